package argparse

import "go.starlark.net/starlark"

// Vars is vars(ns): the attributes in the order they were set (a copy).
func (ns *Namespace) Vars() *starlark.Dict { return ns.attrs.Dict() }
