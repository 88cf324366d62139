package runtime

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/abc"
	"github.com/kstar-dev/kstar/builtins/lib/argparse"
	"github.com/kstar-dev/kstar/builtins/lib/base64"
	"github.com/kstar-dev/kstar/builtins/lib/binascii"
	"github.com/kstar-dev/kstar/builtins/lib/bisect"
	"github.com/kstar-dev/kstar/builtins/lib/calendar"
	"github.com/kstar-dev/kstar/builtins/lib/collections"
	"github.com/kstar-dev/kstar/builtins/lib/contextlib"
	pycopy "github.com/kstar-dev/kstar/builtins/lib/copy"
	"github.com/kstar-dev/kstar/builtins/lib/csv"
	"github.com/kstar-dev/kstar/builtins/lib/datetime"
	"github.com/kstar-dev/kstar/builtins/lib/enum"
	"github.com/kstar-dev/kstar/builtins/lib/functools"
	"github.com/kstar-dev/kstar/builtins/lib/gzip"
	"github.com/kstar-dev/kstar/builtins/lib/hashlib"
	"github.com/kstar-dev/kstar/builtins/lib/heapq"
	"github.com/kstar-dev/kstar/builtins/lib/hmac"
	"github.com/kstar-dev/kstar/builtins/lib/itertools"
	pymath "github.com/kstar-dev/kstar/builtins/lib/math"
	"github.com/kstar-dev/kstar/builtins/lib/operator"
	"github.com/kstar-dev/kstar/builtins/lib/platform"
	"github.com/kstar-dev/kstar/builtins/lib/pprint"
	"github.com/kstar-dev/kstar/builtins/lib/queue"
	"github.com/kstar-dev/kstar/builtins/lib/random"
	"github.com/kstar-dev/kstar/builtins/lib/re"
	pysignal "github.com/kstar-dev/kstar/builtins/lib/signal"
	"github.com/kstar-dev/kstar/builtins/lib/socket"
	"github.com/kstar-dev/kstar/builtins/lib/statistics"
	pystring "github.com/kstar-dev/kstar/builtins/lib/string"
	pystruct "github.com/kstar-dev/kstar/builtins/lib/struct"
	"github.com/kstar-dev/kstar/builtins/lib/textwrap"
	"github.com/kstar-dev/kstar/builtins/lib/threading"
	pytypes "github.com/kstar-dev/kstar/builtins/lib/types"
	"github.com/kstar-dev/kstar/builtins/lib/uuid"
	"github.com/kstar-dev/kstar/builtins/lib/zlib"
	"github.com/kstar-dev/kstar/builtins/py"
)

// standardModules are the standard library modules of builtins/lib, by
// import name. Each is made anew for every execution, so that module
// state (random's generator, a logger) belongs to one execution and is
// never shared between goroutines.
var standardModules = map[string]func(env *py.Env) starlark.Value{
	"argparse":    argparse.New,
	"re":          re.New,
	"calendar":    calendar.New,
	"datetime":    datetime.New,
	"random":      random.New,
	"hashlib":     hashlib.New,
	"hmac":        hmac.New,
	"uuid":        uuid.New,
	"base64":      base64.New,
	"binascii":    binascii.New,
	"struct":      pystruct.New,
	"zlib":        zlib.New,
	"gzip":        gzip.New,
	"collections": collections.New,
	"contextlib":  contextlib.New,
	"csv":         csv.New,
	"traceback":   newTracebackModule,
	"functools":   functools.New,
	"itertools":   itertools.New,
	"math":        pymath.New,
	"operator":    operator.New,
	"pprint":      pprint.New,
	"statistics":  statistics.New,
	"string":      pystring.New,
	"textwrap":    textwrap.New,
	"socket":      socket.New,
	"platform":    platform.New,
	"signal":      pysignal.New,
	"threading":   threading.New,
	"queue":       queue.New,
	"enum":        enum.New,
	"abc":         abc.New,
	"types":       pytypes.New,
	"copy":        pycopy.New,
	"heapq":       heapq.New,
	"bisect":      bisect.New,
}

// addStandardModules adds the modules of standardModules to modules.
func addStandardModules(modules map[string]starlark.Value, env *py.Env) {
	for name, make := range standardModules {
		modules[name] = make(env)
	}
}
