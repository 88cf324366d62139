package warnings

import (
	"fmt"
	"slices"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// catchWarnings is what catch_warnings(*, record=False, action=None,
// category=Warning, lineno=0, append=False) returns: a context manager
// that restores the filters on exit, and with record=True collects the
// warnings in the list its with statement binds.
type catchWarnings struct {
	m        *module
	record   bool
	action   string
	category starlark.Value
	lineno   int
	append   bool

	entered      bool
	savedFilters []filter
	savedRecord  *starlark.List
}

func (m *module) catchWarnings(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := &catchWarnings{m: m, category: py.Warning}
	var action starlark.Value = starlark.None
	if len(args) > 0 {
		return nil, py.Errorf(py.TypeError, "catch_warnings.__init__() takes 1 positional argument but %d were given", len(args)+1)
	}
	var module starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs, "record?", &c.record, "module?", &module, "action?", &action, "category?", &c.category, "lineno?", &c.lineno, "append?", &c.append); err != nil {
		return nil, err
	}
	if action != starlark.None {
		s, ok := action.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "catch_warnings: action must be a str, not %s", py.TypeName(action))
		}
		if _, err := filterArgs(string(s), c.category, c.lineno, false); err != nil {
			return nil, err
		}
		c.action = string(s)
	}
	return c, nil
}

var _ starlark.HasAttrs = (*catchWarnings)(nil)

func (c *catchWarnings) String() string {
	if c.record {
		return "catch_warnings(record=True)"
	}
	return "catch_warnings()"
}
func (c *catchWarnings) Type() string          { return "catch_warnings" }
func (c *catchWarnings) Freeze()               {}
func (c *catchWarnings) Truth() starlark.Bool  { return true }
func (c *catchWarnings) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(c)) >> 3), nil }
func (c *catchWarnings) Attr(name string) (starlark.Value, error) {
	return catchMethods.Bind(c, name), nil
}
func (c *catchWarnings) AttrNames() []string { return catchMethods.Names() }

var catchMethods = py.MethodTable[*catchWarnings]{
	"__enter__": func(c *catchWarnings, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if c.entered {
			return nil, py.Errorf(py.RuntimeError, "Cannot enter %s twice", c)
		}
		c.entered = true
		m := c.m
		c.savedFilters, c.savedRecord = slices.Clone(m.filters), m.record
		m.setFilters(slices.Clone(m.filters))
		if c.action != "" {
			m.add(filter{action: c.action, category: c.category.(*py.ExceptionClass), lineno: c.lineno}, c.append)
		}
		if !c.record {
			return starlark.None, nil
		}
		m.record = starlark.NewList(nil)
		return m.record, nil
	},
	"__exit__": func(c *catchWarnings, _ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if !c.entered {
			return nil, py.Errorf(py.RuntimeError, "Cannot exit %s without entering first", c)
		}
		c.m.setFilters(c.savedFilters)
		c.m.record = c.savedRecord
		return starlark.False, nil
	},
}

// warningMessage is warnings.WarningMessage: a warning recorded by
// catch_warnings(record=True).
type warningMessage struct {
	message  *py.Exception
	filename string
	lineno   int
}

var _ starlark.HasAttrs = (*warningMessage)(nil)

// String is CPython's: {message : UserWarning('x'), category : 'UserWarning', ...}.
func (w *warningMessage) String() string {
	return fmt.Sprintf("{message : %s, category : %s, filename : %s, lineno : %d, line : %s}",
		py.Repr(w.message), py.Repr(starlark.String(w.message.Class.ClassName)), py.Repr(starlark.String(w.filename)), w.lineno, "None")
}
func (w *warningMessage) Type() string          { return "WarningMessage" }
func (w *warningMessage) Freeze()               {}
func (w *warningMessage) Truth() starlark.Bool  { return true }
func (w *warningMessage) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(w)) >> 3), nil }
func (w *warningMessage) Attr(name string) (starlark.Value, error) {
	switch name {
	case "message":
		return w.message, nil
	case "category":
		return w.message.Class, nil
	case "filename":
		return starlark.String(w.filename), nil
	case "lineno":
		return starlark.MakeInt(w.lineno), nil
	case "file", "line", "source":
		return starlark.None, nil
	}
	return nil, nil
}
func (w *warningMessage) AttrNames() []string {
	return []string{"category", "file", "filename", "line", "lineno", "message", "source"}
}
