package runtime

import (
	"strconv"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// The helpers of lowered match statements (frontend/lower_match.go):
// each returns the parts of the subject that a pattern's sub-patterns
// match, or None when the subject does not fit the pattern.

// matchSequence is __match_seq__(subject, n, star): the n items of a
// sequence subject (a list, tuple, range or deque, not a str, bytes or
// bytearray), those at star and after gathered in a list when star >= 0.
func matchSequence(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var subject starlark.Value
	var n, star int
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &subject, &n, &star); err != nil {
		return nil, err
	}
	if !isSequence(subject) {
		return starlark.None, nil
	}
	items, err := py.Elements(thread, subject)
	if err != nil {
		return nil, err
	}
	if star < 0 {
		if len(items) != n {
			return starlark.None, nil
		}
		return starlark.NewList(items), nil
	}
	after := n - star - 1
	if len(items) < n-1 {
		return starlark.None, nil
	}
	out := append([]starlark.Value(nil), items[:star]...)
	out = append(out, starlark.NewList(append([]starlark.Value(nil), items[star:len(items)-after]...)))
	return starlark.NewList(append(out, items[len(items)-after:]...)), nil
}

// isSequence reports whether a sequence pattern may match v, as
// collections.abc.Sequence (less str, bytes and bytearray) tells CPython.
func isSequence(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.List, starlark.Tuple, py.NamedTupleValue:
		return true
	}
	switch py.TypeName(v) {
	case "range", "deque", "collections.deque":
		return true
	}
	return false
}

// matchMapping is __match_map__(subject, keys, rest): the values of a
// mapping subject at keys, and with rest the dict of its other items; a
// missing key is no match.
func matchMapping(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var subject starlark.Value
	var keyList *starlark.List
	var rest bool
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &subject, &keyList, &rest); err != nil {
		return nil, err
	}
	keys := listItems(keyList)
	m, ok := subject.(starlark.IterableMapping)
	if !ok || isScriptInstance(subject) {
		return starlark.None, nil
	}
	if starlark.Len(m) < len(keys) { // as CPython, before it looks for duplicate keys
		return starlark.None, nil
	}
	out := make(starlark.Tuple, 0, len(keys)+1)
	for i, k := range keys {
		for _, seen := range keys[:i] {
			if eq, err := starlark.Equal(k, seen); err == nil && eq {
				return nil, py.Errorf(py.ValueError, "mapping pattern checks duplicate key (%s)", py.Repr(k))
			}
		}
		// "in" first, as CPython's get(key, default), so that a
		// defaultdict does not make the missing key.
		in, err := starlark.Binary(syntax.IN, k, m)
		if err != nil {
			return nil, err
		}
		if !in.Truth() {
			return starlark.None, nil
		}
		v, _, err := m.Get(k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if rest {
		d := starlark.NewDict(0)
		for _, item := range m.Items() {
			if has, err := keys.Has(item[0]); err != nil {
				return nil, err
			} else if !has {
				if err := d.SetKey(item[0], item[1]); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// listItems are the items of a list the lowering passes.
func listItems(l *starlark.List) starlark.Tuple {
	items := make(starlark.Tuple, l.Len())
	for i := range items {
		items[i] = l.Index(i)
	}
	return items
}

// isScriptInstance reports whether v is an instance of a script's class,
// which is a mapping for a mapping pattern only as a dict's subclass.
func isScriptInstance(v starlark.Value) bool {
	if _, ok := v.(*starlark.Dict); ok {
		return false
	}
	c := py.AsClass(py.TypeOf(v))
	return c != nil && c.Scripted()
}

// selfMatching are the builtin classes whose one positional sub-pattern
// matches the subject itself (case int(n):).
var selfMatching = map[starlark.Value]bool{
	py.BoolType: true, py.BytearrayType: true, py.BytesType: true, py.DictType: true, py.FloatType: true, py.FrozensetType: true,
	py.IntType: true, py.ListType: true, py.SetType: true, py.StrType: true, py.TupleType: true,
}

// matchClass is __match_class__(subject, cls, npositional, kwnames): the
// attributes of an instance of cls that the positional sub-patterns
// (named by cls.__match_args__) and the keyword ones match; a missing
// attribute is no match.
func matchClass(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var subject, cls starlark.Value
	var npositional int
	var kwList *starlark.List
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 4, &subject, &cls, &npositional, &kwList); err != nil {
		return nil, err
	}
	kwnames := listItems(kwList)
	if !isClass(cls) {
		return nil, py.Errorf(py.TypeError, "called match pattern must be a type")
	}
	if ok, err := py.IsInstance(subject, cls); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return starlark.None, nil
	}
	clsName := className(cls)
	var names []starlark.Value
	out := make(starlark.Tuple, 0, npositional+len(kwnames))
	if npositional > 0 {
		if selfMatching[cls] {
			if npositional > 1 {
				return nil, py.Errorf(py.TypeError, "%s() accepts 1 positional sub-pattern (%d given)", clsName, npositional)
			}
			out = append(out, subject)
		} else {
			matchArgs, err := classMatchArgs(cls)
			if err != nil {
				return nil, err
			}
			if npositional > len(matchArgs) {
				return nil, py.Errorf(py.TypeError, "%s() accepts %s (%d given)", clsName, plural(strconv.Itoa(len(matchArgs)), "positional sub-pattern"), npositional)
			}
			for _, name := range matchArgs[:npositional] {
				if _, ok := name.(starlark.String); !ok {
					return nil, py.Errorf(py.TypeError, "__match_args__ elements must be strings (got %s)", py.TypeName(name))
				}
				names = append(names, name)
			}
		}
	}
	names = append(names, kwnames...)
	for i, name := range names {
		for _, seen := range names[:i] {
			if seen == name {
				return nil, py.Errorf(py.TypeError, "%s() got multiple sub-patterns for attribute %s", clsName, py.Repr(name))
			}
		}
		v, err := py.GetAttr(subject, string(name.(starlark.String)))
		if e := py.AsException(err); e != nil && e.Class == py.AttributeError {
			return starlark.None, nil
		} else if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// isClass reports whether v is a class a class pattern can name.
func isClass(v starlark.Value) bool {
	switch v.(type) {
	case *py.Type, *py.NamedTupleType, *py.ExceptionClass, py.InstanceTester, py.InstanceChecker:
		return true
	}
	return py.AsClass(v) != nil
}

// className is a class's __name__, for errors.
func className(cls starlark.Value) string {
	if n, err := py.GetAttr(cls, "__name__"); err == nil {
		if s, ok := n.(starlark.String); ok {
			return string(s)
		}
	}
	return py.TypeName(cls)
}

// classMatchArgs is cls.__match_args__ (a namedtuple's fields), empty
// when cls has none.
func classMatchArgs(cls starlark.Value) (starlark.Tuple, error) {
	if nt, ok := cls.(*py.NamedTupleType); ok {
		fields := make(starlark.Tuple, len(nt.Fields))
		for i, f := range nt.Fields {
			fields[i] = starlark.String(f)
		}
		return fields, nil
	}
	v, err := py.GetAttr(cls, "__match_args__")
	if e := py.AsException(err); e != nil && e.Class == py.AttributeError {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	t, ok := v.(starlark.Tuple)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s.__match_args__ must be a tuple (got %s)", className(cls), py.TypeName(v))
	}
	return t, nil
}
