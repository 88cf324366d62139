package py

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Module is a standard module whose missing attributes raise CPython's
// AttributeError, "module 'os' has no attribute 'nope'" (a
// starlarkstruct.Module's name is lost in Starlark's message, which
// kstar can only render as "'module' object has no attribute 'nope'").
// repr, vars and help treat it as the module it holds.
type Module struct {
	starlarkstruct.Module
	repr string
}

var (
	_ starlark.HasAttrs = (*Module)(nil)
	_ Reprer            = (*Module)(nil)
	_ VarsHaver         = (*Module)(nil)
)

// NewModule returns the module name with members; repr shows it as
// CPython 3.11 shows a frozen module (os): <module 'os' (frozen)>.
func NewModule(name string, members starlark.StringDict) *Module {
	return &Module{Module: starlarkstruct.Module{Name: name, Members: members}, repr: "<module '" + name + "' (frozen)>"}
}

// Attr is a member, or CPython's AttributeError.
func (m *Module) Attr(name string) (starlark.Value, error) {
	if v, ok := m.Members[name]; ok {
		return v, nil
	}
	return nil, Errorf(AttributeError, "module '%s' has no attribute '%s'", m.Name, name)
}

// PyRepr is <module 'os' (frozen)>.
func (m *Module) PyRepr() string { return m.repr }

// Vars is vars(module): its members.
func (m *Module) Vars() *starlark.Dict { return stringDict(m.Members) }
