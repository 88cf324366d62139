package py

import (
	//DELETEME
	"strings"

	"go.starlark.net/starlark"
)

// CheckPositional checks the arguments of a builtin whose parameters are
// all positional-only, raising CPython's TypeError when there are
// keywords ("islice() takes no keyword arguments") or when the count is
// outside [min, max] ("pow expected 2 arguments, got 1", "islice expected
// at least 2 arguments, got 1"); max < 0 means no upper limit. name is
// the function as CPython names it.
func CheckPositional(name string, args starlark.Tuple, kwargs []starlark.Tuple, min, max int) error {
	if len(kwargs) > 0 {
		return Errorf(TypeError, "%s() takes no keyword arguments", name)
	}
	n := len(args)
	if n >= min && (max < 0 || n <= max) {
		return nil
	}
	bound, want := "", min
	switch {
	case n < min && max != min:
		bound = "at least "
	case n > max && max != min:
		bound, want = "at most ", max
	}
	s := "s"
	if want == 1 {
		s = ""
	}
	return Errorf(TypeError, "%s expected %s%d argument%s, got %d", name, bound, want, s, n)
}

// OneArg returns the single argument of a builtin that takes exactly one
// positional argument, raising CPython's TypeError otherwise
// ("math.sqrt() takes exactly one argument (2 given)").
func OneArg(name string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "%s() takes no keyword arguments", name)
	}
	if len(args) != 1 {
		return nil, Errorf(TypeError, "%s() takes exactly one argument (%d given)", name, len(args))
	}
	return args[0], nil
}

// KeyErrorOf returns Python's KeyError(key): its str() is repr(key).
func KeyErrorOf(key starlark.Value) *Exception {
	return &Exception{Class: KeyError, Msg: Str(key), Args: starlark.Tuple{key}}
}

// UnpackArgs binds the arguments of a builtin to values (one per
// parameter, left as they are when not passed), raising the TypeErrors
// CPython gives for its C functions: "groupby() missing required argument
// 'iterable' (pos 1)", "'foo' is an invalid keyword argument for
// groupby()", "argument for groupby() given by name ('iterable') and
// position (1)", "groupby() takes at most 2 arguments (3 given)". params
// are the parameter names in order: a "?" suffix marks an optional one,
// and the parameters after a "*" entry are keyword-only (with them, the
// count error says "positional arguments", as CPython's does).
func UnpackArgs(fname string, args starlark.Tuple, kwargs []starlark.Tuple, params []string, values ...*starlark.Value) error {
	sig := Signature{Name: fname, Params: make([]string, len(params)), C: true, Wording: ClinicWording}
	keywordOnly := false
	for i, p := range params {
		name, optional := strings.CutSuffix(p, "?")
		sig.Params[i] = name
		switch {
		case p == "*":
			keywordOnly = true
		case !optional && !keywordOnly:
			sig.Required = i + 1
		}
	}
	return sig.Bind(args, kwargs, values...)
}
