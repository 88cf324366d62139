package py

import (
	"testing"

	"go.starlark.net/starlark"
)

// positiveArg is a TypedArg for the test: a positive int.
type positiveArg struct {
	n   int
	err error
}

func (p *positiveArg) Unpack(v starlark.Value) error {
	if err := starlark.AsInt(v, &p.n); err != nil || p.n <= 0 {
		p.err = Errorf(ValueError, "n must be positive, not %s", Repr(v))
	}
	return p.err
}

func (p *positiveArg) Failure() error { return p.err }

// TestUnpackTypedArgs: a TypedArg's exception comes out as it is; other
// errors are Starlark's.
func TestUnpackTypedArgs(t *testing.T) {
	for _, c := range []struct {
		args   starlark.Tuple
		kwargs []starlark.Tuple
		want   string
	}{
		{starlark.Tuple{starlark.MakeInt(3)}, nil, "3"},
		{starlark.Tuple{starlark.MakeInt(-1)}, nil, "ValueError: n must be positive, not -1"},
		{nil, []starlark.Tuple{{starlark.String("n"), starlark.String("x")}}, "ValueError: n must be positive, not 'x'"},
		{nil, []starlark.Tuple{{starlark.String("m"), starlark.MakeInt(1)}}, "f: unexpected keyword argument \"m\""},
	} {
		n := positiveArg{n: 1}
		err := UnpackTypedArgs("f", c.args, c.kwargs, "n?", &n)
		got := Repr(starlark.MakeInt(n.n))
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("f%v %v: got %s, want %s", c.args, c.kwargs, got, c.want)
		}
	}
}
