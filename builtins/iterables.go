package builtins

import "go.starlark.net/starlark"

// In Python a str iterates over its characters and bytes over its ints;
// in Starlark neither is iterable. These wrappers give Starlark's
// iterating builtins (sorted, reversed, enumerate, zip, any, all, set,
// min, max) Python's behaviour for str and bytes arguments, and the front
// end passes the X of every `for ... in X` through __iterable__. min and
// max also take Python's default= keyword.
func init() {
	for name, iterArgs := range map[string]int{
		"reversed": 1, "enumerate": 1, "any": 1, "all": 1, "set": 1, "zip": -1,
	} {
		registerGlobal(name, Func(name, iterating(name, iterArgs)))
	}
	registerGlobal("min", Func("min", minMax("min")))
	registerGlobal("max", Func("max", minMax("max")))
	registerGlobal(IterableFunc, Func(IterableFunc, iterable))
}

// iterating wraps the Starlark universe function name, turning its first
// n positional arguments (all of them for n < 0) from str or bytes into
// lists of their elements.
func iterating(name string, n int) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		args, err := elementLists(thread, args, n)
		if err != nil {
			return nil, err
		}
		if args, err = meteredArgs(thread, name, args, n); err != nil {
			return nil, err
		}
		return starlark.Call(thread, starlark.Universe[name], args, kwargs)
	}
}

// elementLists returns args with its first n (all for n < 0) str and
// bytes values replaced by lists of their elements.
func elementLists(thread *starlark.Thread, args starlark.Tuple, n int) (starlark.Tuple, error) {
	var out starlark.Tuple
	for i, a := range args {
		if n >= 0 && i >= n {
			break
		}
		switch a.(type) {
		case starlark.String, starlark.Bytes:
			elems, err := elements(thread, a)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = append(starlark.Tuple(nil), args...)
			}
			out[i] = starlark.NewList(elems)
		}
	}
	if out == nil {
		return args, nil
	}
	return out, nil
}

// minMax is min or max: one iterable (a str too) or several values, with
// Python's default= for an empty iterable.
func minMax(name string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var dflt starlark.Value
		rest := kwargs[:0:0]
		for _, kv := range kwargs {
			if kv[0] == starlark.String("default") {
				dflt = kv[1]
			} else {
				rest = append(rest, kv)
			}
		}
		if len(args) == 1 || dflt != nil {
			if len(args) != 1 {
				return nil, Errorf(TypeError, "Cannot specify a default for %s() with multiple positional arguments", name)
			}
			elems, err := elements(thread, args[0])
			if err != nil {
				return nil, err
			}
			if len(elems) == 0 {
				if dflt != nil {
					return dflt, nil
				}
				return nil, Errorf(ValueError, "%s() arg is an empty sequence", name)
			}
			args = starlark.Tuple{starlark.NewList(elems)}
		}
		args, err := meteredArgs(thread, name, args, -1)
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, starlark.Universe[name], args, rest)
	}
}

// iterable is __iterable__(x), what a for loop iterates: x itself, or the
// elements of a str or bytes; anything else that cannot be iterated is
// Python's TypeError.
func iterable(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	switch x.(type) {
	case starlark.Iterable:
		return x, nil
	case starlark.String, starlark.Bytes:
		elems, err := elements(thread, x)
		return starlark.NewList(elems), err
	}
	return nil, Errorf(TypeError, "'%s' object is not iterable", PyTypeName(x))
}
