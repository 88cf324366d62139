package runtime

import (
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// tupleEqual is __tuple_eq__(x, y), x == y where one side is a tuple
// display: a namedtuple (TopicPartition, OffsetAndMetadata...) equals
// the tuple of its values, as in Python.
func tupleEqual(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &y); err != nil {
		return nil, err
	}
	eq, err := starlark.Equal(asTuple(x), asTuple(y))
	return starlark.Bool(eq), err
}

// asTuple is the values of x when it is a namedtuple, and x otherwise.
func asTuple(x starlark.Value) starlark.Value {
	if nt, ok := x.(py.NamedTupleValue); ok {
		return py.NamedTupleValues(nt)
	}
	return x
}
