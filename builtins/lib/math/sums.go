package math

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/libm"
	"github.com/kstar-dev/kstar/builtins/py"
)

// fsum(iterable) is the correctly rounded sum of the floats.
func fsum(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := py.OneArg("math.fsum", args, kwargs)
	if err != nil {
		return nil, err
	}
	src, err := py.Iterate(thread, v)
	if err != nil {
		return nil, err
	}
	var sum libm.Sum
	for {
		item, ok, err := src.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		x, err := real(item)
		if err != nil {
			return nil, err
		}
		if err := sum.Add(x); err != nil {
			return nil, py.Errorf(py.OverflowError, "%s", err)
		}
	}
	r, err := sum.Result()
	if err != nil {
		return nil, py.Errorf(py.ValueError, "%s", err)
	}
	return starlark.Float(r), nil
}
