// Package string is Python's string module for kstar scripts: the
// constants ascii_letters, ascii_lowercase, ascii_uppercase, digits,
// hexdigits, octdigits, punctuation, printable and whitespace,
// capwords(s, sep=None), and Template ($-substitution: substitute,
// safe_substitute, get_identifiers, is_valid, .template), with CPython
// 3.11's results and errors. Formatter is not provided; str.format is.
package string

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

const (
	asciiLowercase = "abcdefghijklmnopqrstuvwxyz"
	asciiUppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits         = "0123456789"
	punctuation    = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	whitespace     = " \t\n\r\x0b\x0c"
)

// New returns the string module for one execution.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "string", Members: starlark.StringDict{
		"ascii_letters":   starlark.String(asciiLowercase + asciiUppercase),
		"ascii_lowercase": starlark.String(asciiLowercase),
		"ascii_uppercase": starlark.String(asciiUppercase),
		"digits":          starlark.String(digits),
		"hexdigits":       starlark.String(digits + "abcdef" + "ABCDEF"),
		"octdigits":       starlark.String("01234567"),
		"punctuation":     starlark.String(punctuation),
		"printable":       starlark.String(digits + asciiLowercase + asciiUppercase + punctuation + whitespace),
		"whitespace":      starlark.String(whitespace),
		"capwords":        py.Func("capwords", capwords),
		"Template":        templateClass,
	}}
}

// callMethod calls the str method name of s, as a script would.
func callMethod(thread *starlark.Thread, s starlark.Value, name string, args ...starlark.Value) (starlark.Value, error) {
	m, err := py.GetAttr(s, name)
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, m, args, nil)
}

// capwords(s, sep=None) is (sep or ' ').join(w.capitalize() for w in
// s.split(sep)).
func capwords(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s, sep starlark.Value = nil, starlark.None
	if len(args) > 2 {
		return nil, py.Errorf(py.TypeError, "capwords() takes from 1 to 2 positional arguments but %d were given", len(args))
	}
	if len(args) > 0 {
		s = args[0]
	}
	if len(args) > 1 {
		sep = args[1]
	}
	for _, kv := range kwargs {
		switch name := string(kv[0].(starlark.String)); {
		case name == "s" && s == nil:
			s = kv[1]
		case name == "sep" && len(args) < 2:
			sep = kv[1]
		default:
			return nil, py.Errorf(py.TypeError, "capwords() got an unexpected keyword argument '%s'", name)
		}
	}
	if s == nil {
		return nil, py.Errorf(py.TypeError, "capwords() missing 1 required positional argument: 's'")
	}
	words, err := callMethod(thread, s, "split", sep)
	if err != nil {
		return nil, err
	}
	elems, err := py.Elements(thread, words)
	if err != nil {
		return nil, err
	}
	for i, w := range elems {
		if elems[i], err = callMethod(thread, w, "capitalize"); err != nil {
			return nil, err
		}
	}
	joiner := sep
	if !sep.Truth() {
		joiner = starlark.String(" ")
	}
	return callMethod(thread, joiner, "join", starlark.NewList(elems))
}

// Template is string.Template: $name, ${name} and $$ in a template
// string, replaced from a mapping.
type Template struct {
	template starlark.Value
}

var (
	_ starlark.HasAttrs = (*Template)(nil)
	_ py.Instance       = (*Template)(nil)
)

var templateClass = py.NewClass("string.Template", newTemplate, func(v starlark.Value) bool {
	_, ok := v.(*Template)
	return ok
}, nil)

// Template(template)
func newTemplate(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var template starlark.Value
	if len(args)+len(kwargs) != 1 || (len(kwargs) == 1 && kwargs[0][0] != starlark.String("template")) {
		if len(kwargs) > 0 && kwargs[0][0] != starlark.String("template") {
			return nil, py.Errorf(py.TypeError, "Template.__init__() got an unexpected keyword argument '%s'", string(kwargs[0][0].(starlark.String)))
		}
		if len(args)+len(kwargs) == 0 {
			return nil, py.Errorf(py.TypeError, "Template.__init__() missing 1 required positional argument: 'template'")
		}
		return nil, py.Errorf(py.TypeError, "Template.__init__() takes 2 positional arguments but %d were given", len(args)+1)
	}
	if len(args) == 1 {
		template = args[0]
	} else {
		template = kwargs[0][1]
	}
	return &Template{template: template}, nil
}

func (t *Template) PyClass() *py.Type     { return templateClass }
func (t *Template) String() string        { return fmt.Sprintf("<string.Template object at %p>", t) }
func (t *Template) Type() string          { return "Template" }
func (t *Template) Freeze()               { t.template.Freeze() }
func (t *Template) Truth() starlark.Bool  { return true }
func (t *Template) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", t)).Hash() }

// Attr returns template and the methods.
func (t *Template) Attr(name string) (starlark.Value, error) {
	switch name {
	case "template":
		return t.template, nil
	case "delimiter":
		return starlark.String("$"), nil
	}
	if m, ok := templateMethods[name]; ok {
		return m.BindReceiver(t), nil
	}
	return nil, nil
}

func (t *Template) AttrNames() []string {
	return []string{"delimiter", "get_identifiers", "is_valid", "safe_substitute", "substitute", "template"}
}

// placeholder is one $ expression of a template: $$ (escaped), $name or
// ${name} (name set), or an invalid one (invalid set).
type placeholder struct {
	start, end int // the bytes it spans, from its $
	name       string
	escaped    bool
	invalid    bool
}

func isIDStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIDPart(c byte) bool  { return isIDStart(c) || '0' <= c && c <= '9' }

// identifierEnd returns the end of the identifier at s[i:], or i.
func identifierEnd(s string, i int) int {
	if i >= len(s) || !isIDStart(s[i]) {
		return i
	}
	for i++; i < len(s) && isIDPart(s[i]); i++ {
	}
	return i
}

// placeholders finds the $ expressions of s, as Template.pattern does.
func placeholders(s string) []placeholder {
	var found []placeholder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		p := placeholder{start: i}
		switch j := i + 1; {
		case j < len(s) && s[j] == '$':
			p.escaped, p.end = true, j+1
		case identifierEnd(s, j) > j:
			end := identifierEnd(s, j)
			p.name, p.end = s[j:end], end
		case j < len(s) && s[j] == '{' && identifierEnd(s, j+1) > j+1 && identifierEnd(s, j+1) < len(s) && s[identifierEnd(s, j+1)] == '}':
			end := identifierEnd(s, j+1)
			p.name, p.end = s[j+1:end], end+1
		default:
			p.invalid, p.end = true, j
		}
		found = append(found, p)
		i = p.end - 1
	}
	return found
}

// invalidError is Template's error for an invalid placeholder at byte i
// (just after its $), naming its line and column.
func invalidError(s string, i int) error {
	before := s[:i]
	lineno := strings.Count(before, "\n") + 1
	colno := len([]rune(before[strings.LastIndexByte(before, '\n')+1:]))
	if i == 0 {
		colno = 1
	}
	return py.Errorf(py.ValueError, "Invalid placeholder in string: line %d, col %d", lineno, colno)
}

// templateText returns the template as a Go string, or Python's error
// for a template that is not a str.
func (t *Template) text() (string, error) {
	s, ok := t.template.(starlark.String)
	if !ok {
		return "", py.Errorf(py.TypeError, "expected string or bytes-like object, got '%s'", py.TypeName(t.template))
	}
	return string(s), nil
}

// lookup returns the mapping substitute and safe_substitute read:
// keywords first, then the mapping argument.
func lookup(fname string, args starlark.Tuple, kwargs []starlark.Tuple) (func(string) (starlark.Value, bool, error), error) {
	if len(args) > 1 {
		return nil, py.Errorf(py.TypeError, "Template.%s() takes from 1 to 2 positional arguments but %d were given", fname, len(args)+1)
	}
	keywords := map[string]starlark.Value{}
	for _, kv := range kwargs {
		keywords[string(kv[0].(starlark.String))] = kv[1]
	}
	return func(name string) (starlark.Value, bool, error) {
		if v, ok := keywords[name]; ok {
			return v, true, nil
		}
		if len(args) == 0 {
			return nil, false, nil
		}
		m, ok := args[0].(starlark.Mapping)
		if !ok {
			return nil, false, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(args[0]))
		}
		v, found, err := m.Get(starlark.String(name))
		if err != nil {
			if e := py.AsException(err); e != nil && e.Class == py.KeyError {
				return nil, false, nil
			}
		}
		return v, found, err
	}, nil
}

// substitute makes substitute (safe unset: a missing name is KeyError,
// an invalid placeholder ValueError) and safe_substitute (both are left
// as they are).
func substitute(safe bool) func(thread *starlark.Thread, t *Template, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fname := "substitute"
	if safe {
		fname = "safe_substitute"
	}
	return func(thread *starlark.Thread, t *Template, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		get, err := lookup(fname, args, kwargs)
		if err != nil {
			return nil, err
		}
		s, err := t.text()
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		last := 0
		for _, p := range placeholders(s) {
			b.WriteString(s[last:p.start])
			last = p.end
			switch {
			case p.escaped:
				b.WriteByte('$')
			case p.invalid:
				if !safe {
					return nil, invalidError(s, p.end)
				}
				b.WriteString(s[p.start:p.end])
			default:
				v, found, err := get(p.name)
				if err != nil {
					return nil, err
				}
				if !found {
					if !safe {
						return nil, py.KeyErrorOf(starlark.String(p.name))
					}
					b.WriteString(s[p.start:p.end])
					continue
				}
				b.WriteString(py.Str(v))
			}
		}
		b.WriteString(s[last:])
		return starlark.String(b.String()), nil
	}
}

func method(name string, fn func(thread *starlark.Thread, t *Template, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return fn(thread, b.Receiver().(*Template), args, kwargs)
	})
}

// noArgs checks the arguments of a method that takes only self.
func noArgs(fname string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "Template.%s() got an unexpected keyword argument '%s'", fname, string(kwargs[0][0].(starlark.String)))
	}
	if len(args) > 0 {
		return py.Errorf(py.TypeError, "Template.%s() takes 1 positional argument but %d were given", fname, len(args)+1)
	}
	return nil
}

var templateMethods = map[string]*starlark.Builtin{
	"substitute":      method("substitute", substitute(false)),
	"safe_substitute": method("safe_substitute", substitute(true)),
	"get_identifiers": method("get_identifiers", func(thread *starlark.Thread, t *Template, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("get_identifiers", args, kwargs); err != nil {
			return nil, err
		}
		s, err := t.text()
		if err != nil {
			return nil, err
		}
		var ids []starlark.Value
		seen := map[string]bool{}
		for _, p := range placeholders(s) {
			if p.name != "" && !seen[p.name] {
				seen[p.name] = true
				ids = append(ids, starlark.String(p.name))
			}
		}
		return starlark.NewList(ids), nil
	}),
	"is_valid": method("is_valid", func(thread *starlark.Thread, t *Template, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs("is_valid", args, kwargs); err != nil {
			return nil, err
		}
		s, err := t.text()
		if err != nil {
			return nil, err
		}
		for _, p := range placeholders(s) {
			if p.invalid {
				return starlark.False, nil
			}
		}
		return starlark.True, nil
	}),
}
