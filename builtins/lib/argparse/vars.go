package argparse

import "go.starlark.net/starlark"

// Vars is vars(ns): the attributes in the order they were set (a copy).
func (ns *Namespace) Vars() *starlark.Dict {
	d := starlark.NewDict(len(ns.names))
	for _, n := range ns.names {
		_ = d.SetKey(starlark.String(n), ns.values[n])
	}
	return d
}
