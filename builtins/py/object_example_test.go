package py_test

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// tickerClass is a Go-defined class scripts may subclass: Ticker(start=0).
type tickerClass struct{}

func (tickerClass) String() string        { return "<class 'demo.Ticker'>" }
func (tickerClass) Type() string          { return "type" }
func (tickerClass) Freeze()               {}
func (tickerClass) Truth() starlark.Bool  { return true }
func (tickerClass) Hash() (uint32, error) { return 1, nil }
func (tickerClass) Name() string          { return "Ticker" }

// Attr gives Ticker.__init__, for subclasses that call it explicitly.
func (c tickerClass) Attr(name string) (starlark.Value, error) {
	if name == "__init__" {
		return py.SubclassInit(c), nil
	}
	return nil, nil
}
func (tickerClass) AttrNames() []string { return []string{"__init__"} }

// NewPart makes the Go part of a script subclass's instance: what
// Ticker.__init__(self, start=0) sets up. It keeps self to call the
// methods the subclass overrides.
func (tickerClass) NewPart(thread *starlark.Thread, self *py.Object, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t := &ticker{self: self}
	if err := starlark.UnpackArgs("Ticker", args, kwargs, "start?", &t.n); err != nil {
		return nil, err
	}
	return t, nil
}

// ticker is the Go part: its tick method calls the instance's step(),
// which a subclass may override.
type ticker struct {
	self *py.Object
	n    int
}

func (t *ticker) String() string        { return "<ticker>" }
func (t *ticker) Type() string          { return "Ticker" }
func (t *ticker) Freeze()               {}
func (t *ticker) Truth() starlark.Bool  { return true }
func (t *ticker) Hash() (uint32, error) { return 2, nil }
func (t *ticker) AttrNames() []string   { return []string{"step", "tick"} }
func (t *ticker) Attr(name string) (starlark.Value, error) {
	switch name {
	case "step": // the default the subclass may override
		return py.Func("step", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.MakeInt(1), nil
		}), nil
	case "tick":
		return py.Func("tick", func(thread *starlark.Thread, _ *starlark.Builtin, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
			step, err := t.self.Attr("step") // the script's override, if any
			if err != nil {
				return nil, err
			}
			v, err := starlark.Call(thread, step, nil, nil)
			if err != nil {
				return nil, err
			}
			n, err := starlark.AsInt32(v)
			t.n += n
			return starlark.MakeInt(t.n), err
		}), nil
	}
	return nil, nil
}

// A Go-defined class implements py.Subclassable to let a script's class
// derive from it: the script's instances get the Go part's methods, and
// the Go part calls the script's overrides through the instance.
func ExampleSubclassable() {
	src := `
class Ticker10(Ticker):
    def __init__(self):
        super().__init__(start=100)

    def step(self):
        return 10


class Plain(Ticker):
    pass


class Explicit(Ticker):
    def __init__(self):
        Ticker.__init__(self, start=5)


t = Ticker10()
print(t.tick(), t.tick(), isinstance(t, Ticker), Plain().tick(), Explicit().tick())
`
	f, err := frontend.Parse("demo.py", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	predeclared := py.Globals()
	predeclared["Ticker"] = tickerClass{}
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		fmt.Println(err)
		return
	}
	thread := &starlark.Thread{Print: func(_ *starlark.Thread, msg string) { fmt.Println(msg) }}
	py.NewEnv().Attach(thread)
	if _, err := prog.Init(thread, predeclared); err != nil {
		fmt.Println(err)
	}
	// Output: 110 120 True 1 6
}

// registry is a Metaclass that keeps the names of the classes it makes.
type registry struct{ names []string }

func (*registry) String() string        { return "<class 'demo.Registry'>" }
func (*registry) Type() string          { return "type" }
func (*registry) Freeze()               {}
func (*registry) Truth() starlark.Bool  { return true }
func (*registry) Hash() (uint32, error) { return 3, nil }

// NewClass records the class and lets scripts see it as it is.
func (r *registry) NewClass(thread *starlark.Thread, c *py.Class) (starlark.Value, error) {
	r.names = append(r.names, c.Name())
	return c, nil
}

// A Go package defines a class as a script would with py.DefineClass,
// with methods (py.Method) that act on the script's instances, and a
// py.Metaclass that makes each class derived from it, as Python's
// metaclasses do (enum.Enum's members, abc.ABC's abstract methods).
func ExampleDefineClass() {
	reg := &registry{}
	describe := py.Method("describe", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.String("plugin " + py.ClassName(args[0])), nil
	})
	plugin, err := py.DefineClass(nil, "demo", "Plugin", nil, []string{"describe"}, map[string]starlark.Value{"describe": describe}, reg)
	if err != nil {
		fmt.Println(err)
		return
	}
	src := `
class Csv(Plugin):
    pass


class Tsv(Csv):
    def describe(self):
        return super().describe() + " (tabs)"


print(Csv().describe(), "|", Tsv().describe(), "|", isinstance(Tsv(), Plugin))
`
	f, err := frontend.Parse("demo.py", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	predeclared := py.Globals()
	predeclared["Plugin"] = plugin
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		fmt.Println(err)
		return
	}
	thread := &starlark.Thread{Print: func(_ *starlark.Thread, msg string) { fmt.Println(msg) }}
	py.NewEnv().Attach(thread)
	if _, err := prog.Init(thread, predeclared); err != nil {
		fmt.Println(err)
	}
	fmt.Println(reg.names)
	// Output:
	// plugin Csv | plugin Tsv (tabs) | True
	// [Plugin Csv Tsv]
}
