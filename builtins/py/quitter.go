package py

import (
	"math"

	"go.starlark.net/starlark"
)

// RaiseSystemExit is the SystemExit(status) that sys.exit, exit and quit
// raise; for a status that is not None, a bool or an int the exit code is
// 1 (and the status is printed to stderr if the exception is not caught,
// see runtime.FormatError).
func RaiseSystemExit(thread *starlark.Thread, status starlark.Value) error {
	switch s := status.(type) {
	case starlark.NoneType:
		return &SystemExit{Code: 0, Status: status}
	case starlark.Bool:
		return &SystemExit{Code: map[bool]int{false: 0, true: 1}[bool(s)], Status: status}
	case starlark.Int:
		code, ok := s.Int64()
		if !ok || code > math.MaxInt32 || code < math.MinInt32 {
			code = -1 // CPython: the status does not fit a C long
		}
		return &SystemExit{Code: int(code), Status: status}
	}
	return &SystemExit{Code: 1, Status: status}
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
	return nil, RaiseSystemExit(thread, code)
}
