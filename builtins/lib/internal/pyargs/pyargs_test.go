package pyargs_test

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
)

// TestBindMessages checks the arity errors of both styles against the
// messages CPython 3.11 prints for the same calls.
func TestBindMessages(t *testing.T) {
	one, two := starlark.MakeInt(1), starlark.MakeInt(2)
	kw := func(name string) []starlark.Tuple { return []starlark.Tuple{{starlark.String(name), one}} }
	randint := &pyargs.Func{Name: "Random.randint", Params: []string{"a", "b"}, Required: 2, Method: true}
	sample := &pyargs.Func{Name: "Random.sample", Params: []string{"population", "k", "*", "counts"}, Required: 2, Method: true}
	uuid3 := &pyargs.Func{Name: "uuid3", Params: []string{"namespace", "name"}, Required: 2}
	hexlify := &pyargs.Func{Name: "hexlify", Params: []string{"data", "sep", "bytes_per_sep"}, Required: 1, C: true}
	for _, tc := range []struct {
		f      *pyargs.Func
		args   starlark.Tuple
		kwargs []starlark.Tuple
		want   string
	}{
		{randint, starlark.Tuple{one}, nil, "TypeError: Random.randint() missing 1 required positional argument: 'b'"},
		{randint, nil, nil, "TypeError: Random.randint() missing 2 required positional arguments: 'a' and 'b'"},
		{randint, starlark.Tuple{one, two, one}, nil, "TypeError: Random.randint() takes 3 positional arguments but 4 were given"},
		{randint, starlark.Tuple{one}, kw("a"), "TypeError: Random.randint() got multiple values for argument 'a'"},
		{randint, starlark.Tuple{one, two}, kw("c"), "TypeError: Random.randint() got an unexpected keyword argument 'c'"},
		{sample, starlark.Tuple{one, two, one}, nil, "TypeError: Random.sample() takes 3 positional arguments but 4 were given"},
		{uuid3, starlark.Tuple{one, two, one}, nil, "TypeError: uuid3() takes 2 positional arguments but 3 were given"},
		{hexlify, nil, nil, "TypeError: hexlify() missing required argument 'data' (pos 1)"},
		{hexlify, starlark.Tuple{one}, kw("foo"), "TypeError: 'foo' is an invalid keyword argument for hexlify()"},
		{hexlify, starlark.Tuple{one}, kw("data"), "TypeError: argument for hexlify() given by name ('data') and position (1)"},
		{hexlify, starlark.Tuple{one, one, one, one}, nil, "TypeError: hexlify() takes at most 3 arguments (4 given)"},
	} {
		dst := make([]starlark.Value, 0, 3)
		var ptrs []*starlark.Value
		for _, p := range tc.f.Params {
			if p != "*" {
				dst = append(dst, nil)
				ptrs = append(ptrs, &dst[len(dst)-1])
			}
		}
		err := tc.f.Bind(tc.args, tc.kwargs, ptrs...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s%v: got %v, want %s", tc.f.Name, tc.args, err, tc.want)
		}
	}
}
