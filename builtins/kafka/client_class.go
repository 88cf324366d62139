package kafka

import (
	"slices"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// clientClass is a kafka-python client class (KafkaProducer,
// KafkaConsumer, KafkaAdminClient): calling it builds a client. It prints
// as kafka-python's class (<class 'kafka.producer.kafka.KafkaProducer'>),
// describes itself for help() and lists its config keys for the REPL's
// completion.
type clientClass struct {
	name   string // KafkaProducer
	pyPath string // kafka.producer.kafka.KafkaProducer, for the repr
	doc    string // what help() prints: the signature, then a description
	// keys lists the constructor's config keys, sorted.
	keys func() []string
	// methods lists the instances' method names, which the class offers
	// unbound: KafkaProducer.send(p, 'topic', b'v'), help(KafkaProducer.send).
	methods func() []string
	// positional is whether the constructor takes positional arguments
	// (KafkaConsumer's topics); the others take configs as keywords only.
	positional bool
	// construct builds the client.
	construct func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)
}

var (
	_ starlark.Callable = (*clientClass)(nil)
	_ starlark.HasAttrs = (*clientClass)(nil)
	_ py.Documented     = (*clientClass)(nil)
)

func (c *clientClass) String() string        { return "<class '" + c.pyPath + "'>" }
func (c *clientClass) Type() string          { return "type" }
func (c *clientClass) Freeze()               {}
func (c *clientClass) Truth() starlark.Bool  { return true }
func (c *clientClass) Hash() (uint32, error) { return starlark.String(c.name).Hash() }
func (c *clientClass) Name() string          { return c.name }

// Attr returns an unbound method, which takes the instance first, as a
// Python class's function attribute does.
func (c *clientClass) Attr(name string) (starlark.Value, error) {
	if name == "__name__" {
		return starlark.String(c.name), nil
	}
	if !slices.Contains(c.methods(), name) {
		return nil, py.Errorf(py.AttributeError, "type object '%s' has no attribute '%s'", c.name, name)
	}
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) == 0 {
			return nil, py.Errorf(py.TypeError, "%s.%s() missing 1 required positional argument: 'self'", c.name, name)
		}
		self, ok := args[0].(starlark.HasAttrs)
		if !ok || args[0].Type() != c.name {
			return nil, py.Errorf(py.TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object", name, c.name, py.TypeName(args[0]))
		}
		method, err := self.Attr(name)
		if err != nil {
			return nil, err
		}
		return starlark.Call(thread, method, args[1:], kwargs)
	}).BindReceiver(c), nil
}

// AttrNames lists the methods.
func (c *clientClass) AttrNames() []string {
	names := append([]string{"__name__"}, c.methods()...)
	slices.Sort(names)
	return names
}

// ConfigKeyNames lists the constructor's config keys (REPL completion).
func (c *clientClass) ConfigKeyNames() []string { return c.keys() }

// Doc describes the constructor for help().
func (c *clientClass) Doc() string { return c.doc }

// CallInternal builds a client; a panic while building it is a
// RuntimeError naming the class.
func (c *clientClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (v starlark.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, py.Errorf(py.RuntimeError, "internal error in %s: %v", c.name, p)
		}
	}()
	if len(args) > 0 && !c.positional {
		return nil, py.Errorf(py.TypeError, "%s() takes 0 positional arguments but %d were given (pass configs as keywords)", c.name, len(args))
	}
	return c.construct(thread, args, kwargs)
}

// MethodsOf is the type name of the class's instances, whose methods it
// offers unbound.
func (c *clientClass) MethodsOf() string { return c.name }
