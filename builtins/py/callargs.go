package py

import "go.starlark.net/starlark"

// The *x and **x of a call: Starlark spreads only its own iterables and
// dicts, with messages of its own, so the front end passes x through
// __star_args__ or __kwargs_arg__ (unless x is the calling function's own
// *args or **kwargs, which cannot be anything else).

// starArgs is __star_args__(x) or __star_args__(x, f) for f(*x): x when
// Starlark can spread it, the characters of a str, and otherwise
// Python's TypeError naming f.
func starArgs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := helperArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	switch x := args[0].(type) {
	case starlark.Iterable:
		return x, nil
	case starlark.String:
		elems, err := elements(thread, x)
		return starlark.Tuple(elems), err
	}
	return nil, Errorf(TypeError, "%sargument after * must be an iterable, not %s", callee(args[1:]), TypeName(args[0]))
}

// kwargsArg is __kwargs_arg__(x) or __kwargs_arg__(x, f) for f(**x): x
// when it is a mapping, and otherwise Python's TypeError naming f.
func kwargsArg(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := helperArgs(b, args, kwargs); err != nil {
		return nil, err
	}
	if _, ok := args[0].(starlark.IterableMapping); ok {
		return args[0], nil
	}
	return nil, Errorf(TypeError, "%sargument after ** must be a mapping, not %s", callee(args[1:]), TypeName(args[0]))
}

// callee is how CPython's messages about a call's arguments name the
// function called ("__main__.f() ", "print() "), or "" when the front end
// did not pass it.
func callee(fn starlark.Tuple) string {
	if len(fn) == 0 {
		return ""
	}
	switch f := fn[0].(type) {
	case *starlark.Function:
		name := f.Name()
		if name == "lambda" {
			name = "<lambda>"
		}
		return "__main__." + name + "() "
	case starlark.Callable:
		return f.Name() + "() "
	}
	return ""
}

// helperArgs checks the arguments of __star_args__ and __kwargs_arg__:
// the value, and maybe the function called.
func helperArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(args) < 1 || len(args) > 2 || len(kwargs) > 0 {
		return Errorf(TypeError, "%s() takes 1 or 2 positional arguments", b.Name())
	}
	return nil
}
