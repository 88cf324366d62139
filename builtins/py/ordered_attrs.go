package py

import "go.starlark.net/starlark"

// OrderedAttrs holds attributes in the order they were first set: what
// a namespace (argparse.Namespace, types.SimpleNamespace) is made of.
// The zero value is empty and ready to use.
type OrderedAttrs struct {
	names  []string
	values map[string]starlark.Value
}

// Get returns the attribute name and whether it is set.
func (a *OrderedAttrs) Get(name string) (starlark.Value, bool) {
	v, ok := a.values[name]
	return v, ok
}

// Set sets name to v; a new name goes last.
func (a *OrderedAttrs) Set(name string, v starlark.Value) {
	if a.values == nil {
		a.values = map[string]starlark.Value{}
	}
	if _, ok := a.values[name]; !ok {
		a.names = append(a.names, name)
	}
	a.values[name] = v
}

// Delete removes name and reports whether it was set.
func (a *OrderedAttrs) Delete(name string) bool {
	if _, ok := a.values[name]; !ok {
		return false
	}
	delete(a.values, name)
	for i, n := range a.names {
		if n == name {
			a.names = append(a.names[:i:i], a.names[i+1:]...)
			break
		}
	}
	return true
}

// Names lists the attributes in the order they were set (a copy).
func (a *OrderedAttrs) Names() []string { return append([]string(nil), a.names...) }

// Dict is vars() of the namespace: a new dict of the attributes, in order.
func (a *OrderedAttrs) Dict() *starlark.Dict {
	d := starlark.NewDict(len(a.names))
	for _, n := range a.names {
		_ = d.SetKey(starlark.String(n), a.values[n]) // str keys: no error
	}
	return d
}

// Equal reports whether a and b hold equal values under the same names,
// in any order (a namespace's ==).
func (a *OrderedAttrs) Equal(b *OrderedAttrs, depth int) (bool, error) {
	if len(a.values) != len(b.values) {
		return false, nil
	}
	for n, v := range a.values {
		w, ok := b.values[n]
		if !ok {
			return false, nil
		}
		if eq, err := starlark.EqualDepth(v, w, depth-1); err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}
