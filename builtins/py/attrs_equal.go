package py

import "go.starlark.net/starlark"

// AttrsEqual reports whether two attribute maps hold equal values under
// the same names: == of namespaces (argparse.Namespace,
// types.SimpleNamespace), whose order does not count.
func AttrsEqual(x, y map[string]starlark.Value, depth int) (bool, error) {
	if len(x) != len(y) {
		return false, nil
	}
	for n, v := range x {
		w, ok := y[n]
		if !ok {
			return false, nil
		}
		if eq, err := starlark.EqualDepth(v, w, depth-1); err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}
