package py

import (
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// str.maketrans(x, y=None, z=None) and str.translate(table), and
// dict.fromkeys(iterable, value=None): the class-level calls of str and
// dict (str.maketrans('ab', 'xy'), dict.fromkeys('ab', 0)), which also
// work on an instance, as in Python.

func init() {
	StrType.attrs = map[string]starlark.Value{"maketrans": Func("maketrans", strMaketrans)}
	DictType.attrs = map[string]starlark.Value{"fromkeys": Func("fromkeys", dictFromkeys)}
	for name, fn := range map[string]BuiltinFunc{"maketrans": strMaketrans, "translate": strTranslate} {
		strMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
	dictMethods["fromkeys"] = Func("fromkeys", dictFromkeys)
	RewrittenMethods["fromkeys"] = true
}

// strMaketrans is str.maketrans: a dict from code points to code points,
// strings or None, for str.translate.
func strMaketrans(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "maketrans() takes no keyword arguments")
	}
	if len(args) < 1 || len(args) > 3 {
		return nil, Errorf(TypeError, "maketrans expected at most 3 arguments, got %d", len(args))
	}
	table := starlark.NewDict(0)
	if len(args) == 1 {
		d, ok := args[0].(*starlark.Dict)
		if !ok {
			return nil, Errorf(TypeError, "if you give only one argument to maketrans it must be a dict")
		}
		for k, v := range d.Entries() {
			switch key := k.(type) {
			case starlark.String:
				r, size := utf8.DecodeRuneInString(string(key))
				if size == 0 || size != len(key) {
					return nil, Errorf(ValueError, "string keys in translate table must be of length 1")
				}
				k = starlark.MakeInt(int(r))
			case starlark.Int:
			default:
				return nil, Errorf(TypeError, "keys in translate table must be strings or integers")
			}
			if err := table.SetKey(k, v); err != nil {
				return nil, err
			}
		}
		return table, nil
	}
	if _, ok := args[0].(starlark.String); !ok {
		return nil, Errorf(TypeError, "first maketrans argument must be a string if there is a second argument")
	}
	strs := make([][]rune, len(args))
	for i, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, Errorf(TypeError, "maketrans() argument %d must be str, not %s", i+1, TypeName(a))
		}
		strs[i] = []rune(string(s))
	}
	if len(strs[0]) != len(strs[1]) {
		return nil, Errorf(ValueError, "the first two maketrans arguments must have equal length")
	}
	for i, r := range strs[0] {
		if err := table.SetKey(starlark.MakeInt(int(r)), starlark.MakeInt(int(strs[1][i]))); err != nil {
			return nil, err
		}
	}
	if len(strs) == 3 {
		for _, r := range strs[2] {
			if err := table.SetKey(starlark.MakeInt(int(r)), starlark.None); err != nil {
				return nil, err
			}
		}
	}
	return table, nil
}

// strTranslate is str.translate(table): each character whose code point
// table maps (a dict, or any sequence indexed by code point) becomes
// what it maps to: a str, the character of an int, nothing for None.
func strTranslate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var table starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &table); err != nil {
		return nil, err
	}
	s := string(b.Receiver().(starlark.String))
	var out strings.Builder
	m := NewMeter(thread)
	for _, r := range s {
		if err := m.Tick(); err != nil {
			return nil, err
		}
		v, found, err := translation(table, int(r))
		if err != nil {
			return nil, err
		}
		if !found {
			out.WriteRune(r)
			continue
		}
		switch v := v.(type) {
		case starlark.NoneType:
		case starlark.String:
			out.WriteString(string(v))
		case starlark.Int:
			c, ok := v.Int64()
			if !ok || c < 0 || c > utf8.MaxRune {
				return nil, Errorf(ValueError, "character mapping must be in range(0x110000)")
			}
			out.WriteRune(rune(c))
		default:
			return nil, Errorf(TypeError, "character mapping must return integer, None or str")
		}
	}
	return starlark.String(out.String()), nil
}

// translation is table[code], and whether table has it (a missing key or
// an index out of range leaves the character as it is, as Python's
// LookupError does).
func translation(table starlark.Value, code int) (starlark.Value, bool, error) {
	switch t := table.(type) {
	case starlark.Mapping:
		return t.Get(starlark.MakeInt(code))
	case starlark.Indexable:
		if code < t.Len() {
			return t.Index(code), true, nil
		}
		return nil, false, nil
	}
	return nil, false, Errorf(TypeError, "'%s' object is not subscriptable", TypeName(table))
}

// dictFromkeys is dict.fromkeys(iterable, value=None): a dict mapping
// each element of iterable to value.
func dictFromkeys(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "dict.fromkeys() takes no keyword arguments")
	}
	if len(args) < 1 {
		return nil, Errorf(TypeError, "fromkeys expected at least 1 argument, got 0")
	}
	if len(args) > 2 {
		return nil, Errorf(TypeError, "fromkeys expected at most 2 arguments, got %d", len(args))
	}
	var value starlark.Value = starlark.None
	if len(args) == 2 {
		value = args[1]
	}
	keys, err := elements(thread, args[0])
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(keys))
	for _, k := range keys {
		if err := d.SetKey(k, value); err != nil {
			return nil, err
		}
	}
	return d, nil
}
