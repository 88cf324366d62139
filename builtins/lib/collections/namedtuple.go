package collections

import (
	"strings"
	"unicode"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// namedtuple(typename, field_names, *, rename=False, defaults=None,
// module=None) declares a class with py.NewNamedTupleType, the
// implementation kafka's namedtuples (TopicPartition, ConsumerRecord)
// share. field_names is a sequence of str or one str of names separated
// by commas or whitespace.
func namedtuple(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 2 {
		return nil, py.Errorf(py.TypeError, "namedtuple() takes 2 positional arguments but %d were given", len(args))
	}
	var typename, fieldNames starlark.Value
	var rename starlark.Value = starlark.False
	defaults, module := starlark.Value(starlark.None), starlark.Value(starlark.None)
	params := map[string]*starlark.Value{"typename": &typename, "field_names": &fieldNames, "rename": &rename, "defaults": &defaults, "module": &module}
	positional := []string{"typename", "field_names"}
	for i, v := range args {
		*params[positional[i]] = v
	}
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		p, ok := params[name]
		if !ok {
			return nil, py.Errorf(py.TypeError, "namedtuple() got an unexpected keyword argument '%s'", name)
		}
		if *p != nil && (name == "typename" || name == "field_names") {
			return nil, py.Errorf(py.TypeError, "namedtuple() got multiple values for argument '%s'", name)
		}
		*p = kv[1]
	}
	var missing []string
	for _, name := range positional {
		if *params[name] == nil {
			missing = append(missing, "'"+name+"'")
		}
	}
	switch len(missing) {
	case 1:
		return nil, py.Errorf(py.TypeError, "namedtuple() missing 1 required positional argument: %s", missing[0])
	case 2:
		return nil, py.Errorf(py.TypeError, "namedtuple() missing 2 required positional arguments: %s and %s", missing[0], missing[1])
	}

	var fields []string
	if s, ok := fieldNames.(starlark.String); ok {
		fields = strings.Fields(strings.ReplaceAll(string(s), ",", " "))
	} else {
		elems, err := py.Elements(thread, fieldNames)
		if err != nil {
			return nil, err
		}
		for _, e := range elems {
			fields = append(fields, py.Str(e))
		}
	}
	name := py.Str(typename)
	if rename.Truth() {
		seen := map[string]bool{}
		for i, f := range fields {
			if !isIdentifier(f) || keywords[f] || strings.HasPrefix(f, "_") || seen[f] {
				fields[i] = "_" + starlark.MakeInt(i).String()
			}
			seen[f] = true
		}
	}
	for _, n := range append([]string{name}, fields...) {
		if !isIdentifier(n) {
			return nil, py.Errorf(py.ValueError, "Type names and field names must be valid identifiers: %s", py.QuoteString(n))
		}
		if keywords[n] {
			return nil, py.Errorf(py.ValueError, "Type names and field names cannot be a keyword: %s", py.QuoteString(n))
		}
	}
	seen := map[string]bool{}
	for _, f := range fields {
		if strings.HasPrefix(f, "_") && !bool(rename.Truth()) {
			return nil, py.Errorf(py.ValueError, "Field names cannot start with an underscore: %s", py.QuoteString(f))
		}
		if seen[f] {
			return nil, py.Errorf(py.ValueError, "Encountered duplicate field name: %s", py.QuoteString(f))
		}
		seen[f] = true
	}
	var dflts []starlark.Value
	if defaults != starlark.None {
		var err error
		if dflts, err = py.Elements(thread, defaults); err != nil {
			return nil, err
		}
		if len(dflts) > len(fields) {
			return nil, py.Errorf(py.TypeError, "Got more default values than field names")
		}
	}
	t := py.NewNamedTupleType(name, fields, dflts...)
	t.Module = "__main__"
	if module != starlark.None {
		t.Module = py.Str(module)
	}
	return t, nil
}

// isIdentifier is Python's str.isidentifier.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) {
			continue
		}
		if i > 0 && (unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc)) {
			continue
		}
		return false
	}
	return true
}

// keywords are Python's keywords, which no name may be.
var keywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true,
	"for": true, "from": true, "global": true, "if": true, "import": true, "in": true,
	"is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true,
	"raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}
