package kafka

import (
	"go.starlark.net/starlark"
)

// The context manager protocol of the Kafka clients, as kafka-python
// releases after 2.0.2 have it: "with KafkaProducer(...) as p:" binds the
// client and closes it when the block ends, however it ends.

// clientMethod is the shape of a Kafka client's method in its method
// table, a method expression such as (*KafkaConsumer).pyClose.
type clientMethod[T starlark.Value] func(recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// clientEnter is a client's __enter__(): the client itself.
func clientEnter[T starlark.Value](recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return recv, nil
}

// clientExit is the __exit__(exc_type, exc_value, traceback) of a client
// whose close method is closeMethod: close() with its defaults (a
// producer flushes what it buffered, a consumer commits as close()
// does). It returns None: an exception of the with block propagates.
func clientExit[T starlark.Value](closeMethod clientMethod[T]) clientMethod[T] {
	return func(recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var excType, excValue, traceback starlark.Value
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "exc_type", &excType, "exc_value", &excValue, "traceback", &traceback); err != nil {
			return nil, err
		}
		if _, err := closeMethod(recv, thread, b, nil, nil); err != nil {
			return nil, err
		}
		return starlark.None, nil
	}
}
