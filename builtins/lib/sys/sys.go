// Package sys is kstar's sys module: the parts of Python's sys a script needs:
//
//	argv              the script's arguments (Env.Argv), a list
//	exit(status=None) ends the script: None is 0, an int is the exit code,
//	                  anything else is printed to stderr and exits 1
//	exc_info()        (type, value, traceback) of the exception being handled
//	stdin             the Env's Stdin as a text stream (see py/hostio.go),
//	                  stdin.buffer as a binary one
//	stdout, stderr    text streams with write(s) and flush(), writing to
//	                  the Env's Stdout and Stderr; their buffer attribute
//	                  writes bytes there (sys.stdout.buffer.write(b))
//	version, version_info, platform, maxsize, byteorder
package sys

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the sys module of an execution: its argv is env.Argv.
func New(env *py.Env) starlark.Value {
	argv := make([]starlark.Value, len(env.Argv))
	for i, a := range env.Argv {
		argv[i] = starlark.String(a)
	}
	return &starlarkstruct.Module{Name: "sys", Members: starlark.StringDict{
		"argv":         starlark.NewList(argv),
		"exit":         py.Func("exit", sysExit),
		"exc_info":     py.Func("exc_info", py.ExcInfo),
		"stdin":        env.StdinFile(),
		"stdout":       Stdout,
		"stderr":       Stderr,
		"version":      starlark.String(Version),
		"version_info": sysVersionInfo,
		"platform":     starlark.String(sysPlatform()),
		"maxsize":      starlark.MakeInt64(math.MaxInt64),
		"byteorder":    starlark.String("little"),
	}}
}

// Version is sys.version: the Python language level kstar follows, and
// what runs it.
const Version = "3.11.0 (kstar: kafka-python 2.0.2 API on franz-go) [Starlark on Go]"

var sysVersionInfo = py.NewNamedTupleType("sys.version_info", []string{"major", "minor", "micro", "releaselevel", "serial"}).Make(
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
		return nil, py.Errorf(py.TypeError, "sys.exit() takes no keyword arguments")
	}
	var status starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs("sys.exit", args, nil, 0, &status); err != nil {
		return nil, err
	}
	return nil, py.RaiseSystemExit(thread, status)
}

// StdStream is sys.stdout or sys.stderr: a text stream whose writes go to
// the Stdout or Stderr of the Env of the thread that writes.
type StdStream struct {
	name   string // "<stdout>" or "<stderr>"
	stderr bool
	buffer *StdBuffer
}

// The values of sys.stdout and sys.stderr.
var (
	Stdout = newStdStream("<stdout>", false)
	Stderr = newStdStream("<stderr>", true)
)

func newStdStream(name string, stderr bool) *StdStream {
	s := &StdStream{name: name, stderr: stderr}
	s.buffer = &StdBuffer{s}
	return s
}

var (
	_ py.TextWriter     = (*StdStream)(nil)
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
	_, err := io.WriteString(s.writer(thread), text)
	return err
}

// Attr offers write(s) (returning the number of characters written),
// flush(), name, mode and encoding.
func (s *StdStream) Attr(name string) (starlark.Value, error) {
	switch name {
	case "write":
		return py.Func("write", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
				return nil, err
			}
			text, ok := v.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "write() argument must be str, not %s", py.TypeName(v))
			}
			if err := s.WriteText(thread, string(text)); err != nil {
				return nil, py.Errorf(py.OSError, "%v", err)
			}
			return starlark.MakeInt(utf8.RuneCountInString(string(text))), nil
		}).BindReceiver(s), nil
	case "flush":
		return py.Func("flush", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			if f, ok := s.writer(thread).(interface{ Flush() error }); ok {
				if err := f.Flush(); err != nil {
					return nil, py.Errorf(py.OSError, "%v", err)
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
	case "buffer":
		return s.buffer, nil
	}
	return nil, nil
}

func (s *StdStream) AttrNames() []string {
	return []string{"buffer", "encoding", "flush", "mode", "name", "write"}
}

// writer is the Env's output the stream writes to.
func (s *StdStream) writer(thread *starlark.Thread) io.Writer {
	env := py.EnvOf(thread)
	if s.stderr {
		return env.Stderr
	}
	return env.Stdout
}

// StdBuffer is sys.stdout.buffer or sys.stderr.buffer: the binary stream
// under the text one, writing bytes to the same output.
type StdBuffer struct{ stream *StdStream }

var _ starlark.HasAttrs = (*StdBuffer)(nil)

func (b *StdBuffer) String() string {
	return fmt.Sprintf("<_io.BufferedWriter name='%s'>", b.stream.name)
}
func (b *StdBuffer) Type() string          { return "BufferedWriter" }
func (b *StdBuffer) Freeze()               {}
func (b *StdBuffer) Truth() starlark.Bool  { return true }
func (b *StdBuffer) Hash() (uint32, error) { return starlark.String(b.String()).Hash() }

// Attr offers write(b) (returning the number of bytes written), flush(),
// name and mode.
func (b *StdBuffer) Attr(name string) (starlark.Value, error) {
	switch name {
	case "write":
		return py.Func("write", func(thread *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 1, &v); err != nil {
				return nil, err
			}
			data, ok := py.BytesLike(v)
			if !ok {
				return nil, py.Errorf(py.TypeError, "a bytes-like object is required, not '%s'", py.TypeName(v))
			}
			if _, err := io.WriteString(b.stream.writer(thread), data); err != nil {
				return nil, py.Errorf(py.OSError, "%v", err)
			}
			return starlark.MakeInt(len(data)), nil
		}).BindReceiver(b), nil
	case "flush":
		return b.stream.Attr("flush")
	case "name":
		return starlark.String(b.stream.name), nil
	case "mode":
		return starlark.String("wb"), nil
	}
	return nil, nil
}

func (b *StdBuffer) AttrNames() []string { return []string{"flush", "mode", "name", "write"} }

// Help documents the sys module's functions and sys.stdout's methods
// for help(obj).
var Help = py.HelpTable{
	// sys
	"sys.exc_info": {Params: "", Doc: "Return (type, value, traceback) of the exception being handled, or (None, None, None)."},
	"sys.exit":     {Params: "status=None", Doc: "Exit the script: None is status 0, an int is the status, anything else is printed to stderr (status 1)."},

	// sys.stdout and sys.stderr
	"TextIOWrapper.write": {Params: "s", Doc: "Write the string s to the stream; returns the number of characters written."},
	"TextIOWrapper.flush": {Params: "", Doc: "Flush the stream's buffered output."},
}
