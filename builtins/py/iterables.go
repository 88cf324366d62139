package py

import "go.starlark.net/starlark"

// In Python a str iterates over its characters and bytes over its ints;
// in Starlark neither is iterable. These wrappers give Starlark's
// iterating builtins (sorted, reversed, min, max) Python's behaviour
// for str and bytes arguments, and the front end passes the X of every
// `for ... in X` through __iterable__. min and max also take Python's
// default= keyword; reversed refuses iterators, as Python's does (they
// have no end to start from). The lazy builtins are in lazy.go.

// iterating wraps the Starlark universe function name, turning its first
// argument from str or bytes into a list of its elements.
func iterating(name string) BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		args, err := strElements(thread, args)
		if err != nil {
			return nil, err
		}
		if args, err = meteredArgs(thread, name, args, 1); err != nil {
			return nil, err
		}
		return starlark.Call(thread, starlark.Universe[name], args, kwargs)
	}
}

// strElements returns args with a first argument of str or bytes turned
// into the list of its elements.
func strElements(thread *starlark.Thread, args starlark.Tuple) (starlark.Tuple, error) {
	if len(args) > 0 {
		switch args[0].(type) {
		case starlark.String, Bytes:
			elems, err := elements(thread, args[0])
			if err != nil {
				return nil, err
			}
			args = append(starlark.Tuple{starlark.NewList(elems)}, args[1:]...)
		}
	}
	return args, nil
}

// reversed(sequence) is an iterator over the elements of sequence (a
// str's characters and bytes' ints too) from the last, named as
// CPython's (list_reverseiterator, reversed, ...); an iterator (a
// consumer, map(...), iter(x)) or a set is Python's TypeError rather
// than read to its end.
func pyReversed(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 || len(kwargs) != 0 {
		return starlarkReversed(thread, b, args, kwargs)
	}
	x := args[0]
	name := "reversed"
	switch x := x.(type) {
	case *DictView:
		return x.reversed(), nil
	case *starlark.Dict:
		name = "dict_reversekeyiterator"
	case *starlark.List:
		name = "list_reverseiterator"
	case *starlark.Set, Nexter:
		return nil, Errorf(TypeError, "'%s' object is not reversible", TypeName(x))
	case starlark.String, starlark.Iterable:
		if x.Type() == "range" {
			name = "range_iterator"
		}
	default:
		return nil, Errorf(TypeError, "'%s' object is not reversible", TypeName(x))
	}
	elems, err := starlarkReversed(thread, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	list := elems.(*starlark.List)
	it := &listIterator{typeName: name, elems: make([]starlark.Value, list.Len())}
	for i := range it.elems {
		it.elems[i] = list.Index(i)
	}
	return it, nil
}

var starlarkReversed = iterating("reversed")

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
			// The one iterable is metered; several values are compared
			// as they are (each may be a sequence itself).
			if args, err = meteredArgs(thread, name, starlark.Tuple{starlark.NewList(elems)}, 1); err != nil {
				return nil, err
			}
		}
		return starlark.Call(thread, starlark.Universe[name], args, rest)
	}
}

// iterable is __iterable__(x), what a for loop iterates: x itself (bytes
// too), or the characters of a str; anything else that cannot be
// iterated is Python's TypeError.
func iterable(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	switch x.(type) {
	case starlark.Iterable:
		return x, nil
	case starlark.String:
		elems, err := elements(thread, x)
		return starlark.NewList(elems), err
	}
	return nil, Errorf(TypeError, "'%s' object is not iterable", TypeName(x))
}
