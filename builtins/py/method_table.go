package py

import (
	"sort"

	"go.starlark.net/starlark"
)

// MethodTable maps the Python names of a client's methods to their Go
// implementations, method expressions such as (*KafkaConsumer).pyPoll.
type MethodTable[T starlark.Value] map[string]func(recv T, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// Bind returns recv's method name as a panic-safe builtin (Func) bound to
// recv, or nil when there is no such method.
func (t MethodTable[T]) Bind(recv T, name string) starlark.Value {
	m, ok := t[name]
	if !ok {
		return nil
	}
	return Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return m(recv, thread, b, args, kwargs)
	}).BindReceiver(recv)
}

// BindAll returns every method of recv bound to it (Bind), by name. A
// type whose values are few and whose methods run in loops (the Kafka
// clients: producer.send, consumer.poll) binds them once, when a value is
// made: a lookup then allocates nothing, and a method is the same value
// each time, as Python's bound methods compare equal.
func (t MethodTable[T]) BindAll(recv T) map[string]starlark.Value {
	bound := make(map[string]starlark.Value, len(t))
	for name := range t {
		bound[name] = t.Bind(recv, name)
	}
	return bound
}

// Names lists the method names and extra, sorted.
func (t MethodTable[T]) Names(extra ...string) []string {
	names := append(make([]string, 0, len(t)+len(extra)), extra...)
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
