package py

import "go.starlark.net/starlark"

// ellipsis is the type of Ellipsis, the value of the literal "...".
type ellipsis struct{}

// Ellipsis is Python's Ellipsis: what "..." evaluates to (often a
// placeholder body: def todo(): ...).
var Ellipsis starlark.Value = ellipsis{}

func (ellipsis) String() string        { return "Ellipsis" }
func (ellipsis) Type() string          { return "ellipsis" }
func (ellipsis) Freeze()               {}
func (ellipsis) Truth() starlark.Bool  { return true }
func (ellipsis) Hash() (uint32, error) { return 0xe111, nil }
