package builtins

import (
	"fmt"
	"math"
	"runtime"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// The sys module offers the parts of Python's sys a script needs:
//
//	argv              the script's arguments (Env.Argv), a list
//	exit(status=None) ends the script: None is 0, an int is the exit code,
//	                  anything else is printed to stderr and exits 1
//	stdin             the Env's Stdin as a text stream (see hostio.go)
//	stdout, stderr    text streams with write(s) and flush(), writing to
//	                  the Env's Stdout and Stderr
//	version, version_info, platform, maxsize, byteorder
func init() {
	registerModule("sys", func(env *Env) starlark.Value {
		argv := make([]starlark.Value, len(env.Argv))
		for i, a := range env.Argv {
			argv[i] = starlark.String(a)
		}
		return &starlarkstruct.Module{Name: "sys", Members: starlark.StringDict{
			"argv":         starlark.NewList(argv),
			"exit":         Func("exit", sysExit),
			"stdin":        env.stdinFile(),
			"stdout":       SysStdout,
			"stderr":       SysStderr,
			"version":      starlark.String(SysVersion),
			"version_info": sysVersionInfo,
			"platform":     starlark.String(sysPlatform()),
			"maxsize":      starlark.MakeInt64(math.MaxInt64),
			"byteorder":    starlark.String("little"),
		}}
	})
}

// SysVersion is sys.version: the Python language level kstar follows, and
// what runs it.
const SysVersion = "3.11.0 (kstar: kafka-python 2.0.2 API on franz-go) [Starlark on Go]"

var sysVersionInfo = NewNamedTupleType("sys.version_info", []string{"major", "minor", "micro", "releaselevel", "serial"}).Make(
	starlark.MakeInt(3), starlark.MakeInt(11), starlark.MakeInt(0), starlark.String("final"), starlark.MakeInt(0))

// sysPlatform is sys.platform: "linux", "darwin", "win32", ...
func sysPlatform() string {
	if runtime.GOOS == "windows" {
		return "win32"
	}
	return runtime.GOOS
}

// sysExit is sys.exit(status=None).
func sysExit(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "sys.exit() takes no keyword arguments")
	}
	var status starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs("sys.exit", args, nil, 0, &status); err != nil {
		return nil, err
	}
	return nil, raiseSystemExit(thread, status)
}

// raiseSystemExit is the SystemExit(status) that sys.exit, exit and quit
// raise; a status that is not None, a bool or an int is printed to stderr
// and the exit code is 1.
func raiseSystemExit(thread *starlark.Thread, status starlark.Value) error {
	switch s := status.(type) {
	case starlark.NoneType:
		return &SystemExit{Code: 0}
	case starlark.Bool:
		return &SystemExit{Code: map[bool]int{false: 0, true: 1}[bool(s)]}
	case starlark.Int:
		code, ok := s.Int64()
		if !ok || code > math.MaxInt32 || code < math.MinInt32 {
			code = -1 // CPython: the status does not fit a C long
		}
		return &SystemExit{Code: int(code)}
	}
	if _, err := fmt.Fprintln(EnvOf(thread).Stderr, Str(status)); err != nil {
		return err
	}
	return &SystemExit{Code: 1}
}

func init() {
	registerGlobal("exit", &Quitter{name: "exit"})
	registerGlobal("quit", &Quitter{name: "quit"})
}

// Quitter is Python's exit and quit builtins (site's Quitter): named
// alone at the REPL they say how to leave it; called, exit(code=None)
// raises SystemExit as sys.exit does.
type Quitter struct{ name string }

var _ starlark.Callable = (*Quitter)(nil)

// String is CPython's repr and str of exit and quit.
func (q *Quitter) String() string        { return "Use " + q.name + "() or Ctrl-D (i.e. EOF) to exit" }
func (q *Quitter) Type() string          { return "Quitter" }
func (q *Quitter) Freeze()               {}
func (q *Quitter) Truth() starlark.Bool  { return true }
func (q *Quitter) Hash() (uint32, error) { return starlark.String(q.name).Hash() }
func (q *Quitter) Name() string          { return q.name }

// CallInternal raises SystemExit(code).
func (q *Quitter) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var code starlark.Value = starlark.None
	if err := starlark.UnpackArgs(q.name, args, kwargs, "code?", &code); err != nil {
		return nil, err
	}
	return nil, raiseSystemExit(thread, code)
}

// StdStream is sys.stdout or sys.stderr: a text stream whose writes go to
// the Stdout or Stderr of the Env of the thread that writes.
type StdStream struct {
	name   string // "<stdout>" or "<stderr>"
	stderr bool
}

// The values of sys.stdout and sys.stderr.
var (
	SysStdout = &StdStream{name: "<stdout>"}
	SysStderr = &StdStream{name: "<stderr>", stderr: true}
)

var (
	_ TextWriter        = (*StdStream)(nil)
	_ starlark.HasAttrs = (*StdStream)(nil)
)

func (s *StdStream) String() string {
	return fmt.Sprintf("<_io.TextIOWrapper name='%s' mode='w' encoding='utf-8'>", s.name)
}
func (s *StdStream) Type() string          { return "TextIOWrapper" }
func (s *StdStream) Freeze()               {}
func (s *StdStream) Truth() starlark.Bool  { return true }
func (s *StdStream) Hash() (uint32, error) { return starlark.String(s.name).Hash() }

// WriteText writes text to the thread's Env output.
func (s *StdStream) WriteText(thread *starlark.Thread, text string) error {
	env := EnvOf(thread)
	w := env.Stdout
	if s.stderr {
		w = env.Stderr
	}
	_, err := w.Write([]byte(text))
	return err
}

// Attr offers write(s) (returning the number of characters written),
// flush(), name, mode and encoding.
func (s *StdStream) Attr(name string) (starlark.Value, error) {
	switch name {
	case "write":
		return Func("write", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
				return nil, err
			}
			text, ok := v.(starlark.String)
			if !ok {
				return nil, Errorf(TypeError, "write() argument must be str, not %s", PyTypeName(v))
			}
			if err := s.WriteText(thread, string(text)); err != nil {
				return nil, Errorf(OSError, "%v", err)
			}
			return starlark.MakeInt(utf8.RuneCountInString(string(text))), nil
		}).BindReceiver(s), nil
	case "flush":
		return Func("flush", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			env := EnvOf(thread)
			w := env.Stdout
			if s.stderr {
				w = env.Stderr
			}
			if f, ok := w.(interface{ Flush() error }); ok {
				if err := f.Flush(); err != nil {
					return nil, Errorf(OSError, "%v", err)
				}
			}
			return starlark.None, nil
		}).BindReceiver(s), nil
	case "name":
		return starlark.String(s.name), nil
	case "mode":
		return starlark.String("w"), nil
	case "encoding":
		return starlark.String("utf-8"), nil
	}
	return nil, nil
}

func (s *StdStream) AttrNames() []string {
	return []string{"encoding", "flush", "mode", "name", "write"}
}
