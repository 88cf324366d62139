package logging

import (
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/threading"
	"github.com/kstar-dev/kstar/builtins/py"
)

// class is one of logging's classes written in Go (Handler,
// StreamHandler, Formatter, ...). Called, it makes an instance; a script's
// class may derive from it (class KafkaHandler(logging.StreamHandler)),
// and then its instances hold the Go instance as their part, whose
// methods call back through the script's instance, so that what the
// script overrides (emit, format, formatTime, filter) takes effect.
type class struct {
	name string
	doc  string // what help(C) prints
	base *class // the class it derives from in CPython; nil for a root
	// make makes an instance; self is the script's instance it is the
	// part of, or nil.
	make func(thread *starlark.Thread, self starlark.Value, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)
	// methods are the names of the instances' methods; bind binds one
	// to an instance of the family (Class.method(self, ...) in a script).
	methods map[string]bool
	bind    func(v starlark.Value, name string) starlark.Value
	// classOf is the class of a Go instance, or nil if v is none of this
	// family's.
	classOf func(v starlark.Value) *class
	// attrs are the class's attributes besides its methods
	// (Formatter.converter), which a script may set.
	attrs map[string]starlark.Value
}

var (
	_ starlark.Callable    = (*class)(nil)
	_ starlark.HasSetField = (*class)(nil)
	_ py.Subclassable      = (*class)(nil)
	_ py.InstanceChecker   = (*class)(nil)
	_ py.Documented        = (*class)(nil)
)

// Doc is what help(C) prints.
func (c *class) Doc() string { return c.doc }

func (c *class) String() string        { return "<class 'logging." + c.name + "'>" }
func (c *class) Type() string          { return "type" }
func (c *class) Freeze()               {}
func (c *class) Truth() starlark.Bool  { return true }
func (c *class) Hash() (uint32, error) { return uint32(uintptr(unsafe.Pointer(c)) >> 3), nil }
func (c *class) Name() string          { return c.name }

// CallInternal makes an instance: logging.StreamHandler(sys.stdout).
func (c *class) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.make(thread, nil, args, kwargs)
}

// NewPart is C.__init__(self, ...) for a script's subclass.
func (c *class) NewPart(thread *starlark.Thread, self *py.Object, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.make(thread, self, args, kwargs)
}

// IsInstance is isinstance(v, C): v's class is C or derives from it.
func (c *class) IsInstance(v starlark.Value) bool {
	if o, ok := v.(*py.Object); ok {
		if part, err := o.Part(nil); err == nil {
			v = part
		}
	}
	for k := c.classOf(v); k != nil; k = k.base {
		if k == c {
			return true
		}
	}
	return false
}

// Attr gives __init__, the class's names, its attributes and its methods
// unbound (logging.StreamHandler.emit(self, record)).
func (c *class) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__init__":
		return py.SubclassInit(c), nil
	case "__name__", "__qualname__":
		return starlark.String(c.name), nil
	case "__module__":
		return starlark.String("logging"), nil
	}
	for k := c; k != nil; k = k.base {
		if v, ok := k.attrs[name]; ok {
			return v, nil
		}
	}
	if c.methods[name] {
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) == 0 {
				return nil, py.Errorf(py.TypeError, "%s.%s() missing 1 required positional argument: 'self'", c.name, name)
			}
			self := args[0]
			if o, ok := self.(*py.Object); ok {
				part, err := o.Part(thread)
				if err != nil {
					return nil, err
				}
				self = part
			}
			if !c.IsInstance(self) {
				return nil, py.Errorf(py.TypeError, "descriptor '%s' requires a '%s' object but received a '%s'", name, c.name, py.TypeName(args[0]))
			}
			return starlark.Call(thread, c.bind(self, name), args[1:], kwargs)
		}), nil
	}
	return nil, nil
}

func (c *class) AttrNames() []string {
	return []string{"__init__", "__module__", "__name__", "__qualname__"}
}

// SetField sets a class attribute a script may change
// (logging.Formatter.converter = time.gmtime).
func (c *class) SetField(name string, v starlark.Value) error {
	if _, ok := c.attrs[name]; !ok {
		return py.Errorf(py.TypeError, "cannot set '%s' attribute of immutable type 'logging.%s'", name, c.name)
	}
	c.attrs[name] = v
	return nil
}

// call calls method name of v, a Go instance or a script's instance
// (whose override, if any, runs).
func call(thread *starlark.Thread, v starlark.Value, name string, args ...starlark.Value) (starlark.Value, error) {
	m, err := py.GetAttr(v, name)
	if err != nil {
		return nil, err
	}
	return starlark.Call(thread, m, args, nil)
}

// selfAttr is attribute name of self, a script's instance whose part
// holds own: the attribute the script set, else own.
func selfAttr(self starlark.Value, name string, own starlark.Value) starlark.Value {
	if o, ok := self.(*py.Object); ok {
		if v, err := o.Attr(name); err == nil {
			return v
		}
	}
	return own
}

// currentThread is the name and ident of the Python thread that thread
// runs, for a record: threading.current_thread()'s ("MainThread" and 0
// for an execution without a threading module).
func currentThread(thread *starlark.Thread) (string, int64) {
	t, _ := threading.Current(thread).(starlark.HasAttrs)
	if t == nil {
		return "MainThread", 0
	}
	name, _ := t.Attr("name")
	ident, _ := t.Attr("ident")
	n, _ := ident.(starlark.Int).Int64()
	return py.Str(name), n
}
