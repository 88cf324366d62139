package runtime

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/abc"
	"github.com/kstar-dev/kstar/builtins/lib/argparse"
	"github.com/kstar-dev/kstar/builtins/lib/atexit"
	"github.com/kstar-dev/kstar/builtins/lib/base64"
	"github.com/kstar-dev/kstar/builtins/lib/binascii"
	"github.com/kstar-dev/kstar/builtins/lib/bisect"
	"github.com/kstar-dev/kstar/builtins/lib/calendar"
	"github.com/kstar-dev/kstar/builtins/lib/codecs"
	"github.com/kstar-dev/kstar/builtins/lib/collections"
	"github.com/kstar-dev/kstar/builtins/lib/contextlib"
	pycopy "github.com/kstar-dev/kstar/builtins/lib/copy"
	"github.com/kstar-dev/kstar/builtins/lib/csv"
	"github.com/kstar-dev/kstar/builtins/lib/dataclasses"
	"github.com/kstar-dev/kstar/builtins/lib/datetime"
	"github.com/kstar-dev/kstar/builtins/lib/enum"
	"github.com/kstar-dev/kstar/builtins/lib/functools"
	"github.com/kstar-dev/kstar/builtins/lib/futures"
	"github.com/kstar-dev/kstar/builtins/lib/gzip"
	"github.com/kstar-dev/kstar/builtins/lib/hashlib"
	"github.com/kstar-dev/kstar/builtins/lib/heapq"
	"github.com/kstar-dev/kstar/builtins/lib/hmac"
	pyio "github.com/kstar-dev/kstar/builtins/lib/io"
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
	"github.com/kstar-dev/kstar/builtins/lib/typing"
	"github.com/kstar-dev/kstar/builtins/lib/uuid"
	"github.com/kstar-dev/kstar/builtins/lib/warnings"
	"github.com/kstar-dev/kstar/builtins/lib/zlib"
	"github.com/kstar-dev/kstar/builtins/py"
)

// standardModules are the standard library modules of builtins/lib, by
// import name. Each is made anew for every execution, so that module
// state (random's generator, a logger) belongs to one execution and is
// never shared between goroutines.
var standardModules = map[string]func(env *py.Env) starlark.Value{
	"argparse":           argparse.New,
	"re":                 re.New,
	"calendar":           calendar.New,
	"datetime":           datetime.New,
	"random":             random.New,
	"hashlib":            hashlib.New,
	"hmac":               hmac.New,
	"uuid":               uuid.New,
	"base64":             base64.New,
	"binascii":           binascii.New,
	"struct":             pystruct.New,
	"zlib":               zlib.New,
	"gzip":               gzip.New,
	"collections":        collections.New,
	"contextlib":         contextlib.New,
	"csv":                csv.New,
	"traceback":          newTracebackModule,
	"functools":          functools.New,
	"itertools":          itertools.New,
	"math":               pymath.New,
	"operator":           operator.New,
	"pprint":             pprint.New,
	"statistics":         statistics.New,
	"string":             pystring.New,
	"textwrap":           textwrap.New,
	"socket":             socket.New,
	"platform":           platform.New,
	"signal":             pysignal.New,
	"threading":          threading.New,
	"queue":              queue.New,
	"typing":             typing.New,
	"dataclasses":        dataclasses.New,
	"concurrent.futures": futures.New,
	"warnings":           warnings.New,
	"io":                 pyio.New,
	"codecs":             codecs.New,
	"atexit":             atexit.New,
	"enum":               enum.New,
	"abc":                abc.New,
	"types":              pytypes.New,
	"copy":               pycopy.New,
	"heapq":              heapq.New,
	"bisect":             bisect.New,
}

// addStandardModules adds the modules of standardModules to modules.
// A dotted module (concurrent.futures) is also a member of its package
// (concurrent), made here when no module is the package: import
// concurrent.futures binds concurrent, whose futures is the same module.
func addStandardModules(modules map[string]starlark.Value, env *py.Env) {
	for name, make := range standardModules {
		modules[name] = make(env)
	}
	for name, m := range modules {
		pkg, member, dotted := strings.Cut(name, ".")
		if !dotted || strings.Contains(member, ".") {
			continue
		}
		if _, ok := standardModules[name]; !ok {
			continue
		}
		if _, ok := modules[pkg]; !ok {
			modules[pkg] = &starlarkstruct.Module{Name: pkg, Members: starlark.StringDict{}}
		}
		if p, ok := modules[pkg].(*starlarkstruct.Module); ok {
			p.Members[member] = m
		}
	}
}
