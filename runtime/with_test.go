package runtime_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/runtime"
)

// manager is a context manager written in Go, as a host's or a
// library's would be: Manager(name, value=None, suppress=False,
// enter_error=None, exit_error=None, exit=True) writes what its
// __enter__ and __exit__ are called with to log. With exit=False it has
// no __exit__; with an exception for exit, looking __exit__ up raises it.
type manager struct {
	log                   io.Writer
	name                  string
	value                 starlark.Value // what __enter__ returns; None: the manager itself
	suppress              bool           // what __exit__ returns
	enterError, exitError starlark.Value // exceptions __enter__ and __exit__ raise
	exit                  starlark.Value // True, False or the exception looking up __exit__ raises
	slot                  starlark.Value // a field scripts may assign, for attribute targets
}

func newManager(log io.Writer) *starlark.Builtin {
	return py.Func("Manager", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		m := &manager{log: log, value: starlark.None, enterError: starlark.None, exitError: starlark.None, exit: starlark.True, slot: starlark.None}
		err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &m.name, "value?", &m.value, "suppress?", &m.suppress,
			"enter_error?", &m.enterError, "exit_error?", &m.exitError, "exit?", &m.exit)
		return m, err
	})
}

func (m *manager) String() string        { return "<Manager " + m.name + ">" }
func (m *manager) Type() string          { return "Manager" }
func (m *manager) Freeze()               {}
func (m *manager) Truth() starlark.Bool  { return true }
func (m *manager) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 'Manager'") }
func (m *manager) AttrNames() []string   { return []string{"__enter__", "__exit__", "slot"} }

func (m *manager) SetField(name string, v starlark.Value) error {
	if name != "slot" {
		return starlark.NoSuchAttrError(name)
	}
	m.slot = v
	return nil
}

func (m *manager) Attr(name string) (starlark.Value, error) {
	switch name {
	case "slot":
		return m.slot, nil
	case "__enter__":
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			fmt.Fprintf(m.log, "%s.__enter__%s\n", m.name, py.Repr(args))
			if exc, ok := m.enterError.(*py.Exception); ok {
				return nil, exc
			}
			if m.value == starlark.None {
				return m, nil
			}
			return m.value, nil
		}).BindReceiver(m), nil
	case "__exit__":
		if exc, ok := m.exit.(*py.Exception); ok {
			return nil, exc
		}
		if m.exit == starlark.False {
			return nil, nil
		}
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			fmt.Fprintf(m.log, "%s.__exit__%s\n", m.name, py.Repr(args))
			if exc, ok := m.exitError.(*py.Exception); ok {
				return nil, exc
			}
			return starlark.Bool(m.suppress), nil
		}).BindReceiver(m), nil
	}
	return nil, nil
}

// runWith runs src with Manager predeclared (and opts) and returns what it
// printed and what the managers logged, then the last line of its
// traceback, if any.
func runWith(t *testing.T, src string, opts ...runtime.Option) string {
	t.Helper()
	var out bytes.Buffer
	opts = append([]runtime.Option{runtime.WithStdout(&out), runtime.WithStderr(&out), runtime.WithPredeclared("Manager", newManager(&out))}, opts...)
	if err := runtime.New(opts...).ExecFile(context.Background(), "main.py", []byte(src), []string{"main.py"}); err != nil {
		tb := strings.TrimRight(runtime.FormatError(err), "\n")
		out.WriteString(tb[strings.LastIndex(tb, "\n")+1:] + "\n")
	}
	return out.String()
}

// TestWithStatement checks the with statement over context managers
// written in Go: what __enter__ and __exit__ are called with, in which
// order, and what happens to an exception of the body, of __enter__ and
// of __exit__.
func TestWithStatement(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"as", "with Manager('a', value=7) as x:\n    print('body', x)\nprint('after')",
			"a.__enter__()\nbody 7\na.__exit__(None, None, None)\nafter\n"},
		{"without as", "with Manager('a'):\n    print('body')",
			"a.__enter__()\nbody\na.__exit__(None, None, None)\n"},
		{"enter returns the manager", "m = Manager('a')\nwith m as x:\n    print(x == m)",
			"a.__enter__()\nTrue\na.__exit__(None, None, None)\n"},
		{"exception propagates", "try:\n    with Manager('a'):\n        print('body')\n        1 // 0\n        print('not reached')\nexcept ZeroDivisionError as e:\n    print('caught', e)",
			"a.__enter__()\nbody\na.__exit__(<class 'ZeroDivisionError'>, ZeroDivisionError('integer division or modulo by zero'), None)\ncaught integer division or modulo by zero\n"},
		{"exception leaves the script", "with Manager('a'):\n    {}['k']\nprint('not reached')",
			"a.__enter__()\na.__exit__(<class 'KeyError'>, KeyError('k'), None)\nKeyError: 'k'\n"},
		{"exit suppresses", "with Manager('a', suppress=True):\n    print('body')\n    raise ValueError('v')\n    print('not reached')\nprint('after')",
			"a.__enter__()\nbody\na.__exit__(<class 'ValueError'>, ValueError('v'), None)\nafter\n"},
		{"suppressing exit without exception", "with Manager('a', suppress=True):\n    pass\nprint('after')",
			"a.__enter__()\na.__exit__(None, None, None)\nafter\n"},
		{"several items", "with Manager('a', value=1) as x, Manager('b', value=2) as y:\n    print(x, y)",
			"a.__enter__()\nb.__enter__()\n1 2\nb.__exit__(None, None, None)\na.__exit__(None, None, None)\n"},
		{"parenthesised items", "with (\n    Manager('a', value=1) as x,\n    Manager('b'),\n):\n    print(x)",
			"a.__enter__()\nb.__enter__()\n1\nb.__exit__(None, None, None)\na.__exit__(None, None, None)\n"},
		{"parenthesised manager", "with (Manager('a', value=1)) as x:\n    print(x)",
			"a.__enter__()\n1\na.__exit__(None, None, None)\n"},
		{"inner item suppresses", "with Manager('a'), Manager('b', suppress=True):\n    raise KeyError('k')\nprint('after')",
			"a.__enter__()\nb.__enter__()\nb.__exit__(<class 'KeyError'>, KeyError('k'), None)\na.__exit__(None, None, None)\nafter\n"},
		{"outer item suppresses", "with Manager('a', suppress=True), Manager('b'):\n    raise KeyError('k')\nprint('after')",
			"a.__enter__()\nb.__enter__()\nb.__exit__(<class 'KeyError'>, KeyError('k'), None)\na.__exit__(<class 'KeyError'>, KeyError('k'), None)\nafter\n"},
		{"nested", "with Manager('a'):\n    with Manager('b') as b:\n        print('inner')\n    print('outer')",
			"a.__enter__()\nb.__enter__()\ninner\nb.__exit__(None, None, None)\nouter\na.__exit__(None, None, None)\n"},
		{"in a loop", "for i in range(2):\n    with Manager('m%d' % i) as m:\n        print(m)",
			"m0.__enter__()\n<Manager m0>\nm0.__exit__(None, None, None)\nm1.__enter__()\n<Manager m1>\nm1.__exit__(None, None, None)\n"},
		{"loops with break and continue in the body", "with Manager('a'):\n    for i in range(5):\n        if i == 1:\n            continue\n        if i == 3:\n            break\n        print(i)\n    while True:\n        break\nprint('after', i)",
			"a.__enter__()\n0\n2\na.__exit__(None, None, None)\nafter 3\n"},
		{"in a function", "def f(n):\n    with Manager('a', value=n) as x:\n        y = x * 2\n    return y\nprint(f(21))",
			"a.__enter__()\na.__exit__(None, None, None)\n42\n"},
		{"in a try", "try:\n    with Manager('a'):\n        raise ValueError('v')\nexcept KeyError:\n    print('wrong')\nexcept ValueError:\n    print('right')\nfinally:\n    print('finally')",
			"a.__enter__()\na.__exit__(<class 'ValueError'>, ValueError('v'), None)\nright\nfinally\n"},
		{"tuple target", "with Manager('a', value=(1, [2, 3])) as (x, [y, z]):\n    print(x, y, z)",
			"a.__enter__()\n1 2 3\na.__exit__(None, None, None)\n"},
		{"starred target", "with Manager('a', value=(1, 2, 3)) as (x, *rest):\n    print(x, rest)",
			"a.__enter__()\n1 [2, 3]\na.__exit__(None, None, None)\n"},
		{"attribute and item targets", "h = Manager('h')\nd = {}\nwith Manager('a', value=1) as h.slot, Manager('b', value=2) as d['k']:\n    print(h.slot, d)",
			"a.__enter__()\nb.__enter__()\n1 {'k': 2}\nb.__exit__(None, None, None)\na.__exit__(None, None, None)\n"},
		{"target that fails to bind", "with Manager('a', value=(1, 2, 3)) as (x, y):\n    print('not reached')",
			"a.__enter__()\na.__exit__(<class 'ValueError'>, ValueError('too many values to unpack (expected 2)'), None)\nValueError: too many values to unpack (expected 2)\n"},
		{"return in the body", "def f():\n    with Manager('a', value=1) as x:\n        return x + 1\n    print('not reached')\nprint(f())",
			"a.__enter__()\na.__exit__(None, None, None)\n2\n"},
		{"return from several items", "def f():\n    with Manager('a'), Manager('b'):\n        with Manager('c'):\n            return 'r'\nprint(f())",
			"a.__enter__()\nb.__enter__()\nc.__enter__()\nc.__exit__(None, None, None)\nb.__exit__(None, None, None)\na.__exit__(None, None, None)\nr\n"},
		{"break and continue in the body", "for i in range(4):\n    with Manager('m%d' % i):\n        if i == 0:\n            continue\n        if i == 2:\n            break\n        print('body', i)\nprint('after', i)",
			"m0.__enter__()\nm0.__exit__(None, None, None)\nm1.__enter__()\nbody 1\nm1.__exit__(None, None, None)\nm2.__enter__()\nm2.__exit__(None, None, None)\nafter 2\n"},
		{"return after a suppressed exception", "def f():\n    with Manager('a', suppress=True):\n        raise KeyError('k')\n        return 'not reached'\n    return 'after'\nprint(f())",
			"a.__enter__()\na.__exit__(<class 'KeyError'>, KeyError('k'), None)\nafter\n"},
		{"exit raises on return", "def f():\n    with Manager('a', exit_error=KeyError('x')):\n        return 1\nf()",
			"a.__enter__()\na.__exit__(None, None, None)\nKeyError: 'x'\n"},
		{"global target", "x = 0\ndef f():\n    global x\n    with Manager('a', value=5) as x:\n        pass\nf()\nprint(x)",
			"a.__enter__()\na.__exit__(None, None, None)\n5\n"},
		{"nonlocal target", "def f():\n    x = 0\n    def g():\n        nonlocal x\n        with Manager('a', value=5) as x:\n            pass\n    g()\n    return x\nprint(f())",
			"a.__enter__()\na.__exit__(None, None, None)\n5\n"},
		{"enter raises", "with Manager('a', enter_error=KeyError('e')):\n    print('not reached')",
			"a.__enter__()\nKeyError: 'e'\n"},
		{"exit raises", "with Manager('a', exit_error=KeyError('x')):\n    print('body')",
			"a.__enter__()\nbody\na.__exit__(None, None, None)\nKeyError: 'x'\n"},
		{"exit raises over the body's exception", "with Manager('a', exit_error=KeyError('x')):\n    raise ValueError('v')",
			"a.__enter__()\na.__exit__(<class 'ValueError'>, ValueError('v'), None)\nKeyError: 'x'\n"},
		{"second item's enter raises", "with Manager('a'), Manager('b', enter_error=KeyError('e')):\n    print('not reached')",
			"a.__enter__()\nb.__enter__()\na.__exit__(<class 'KeyError'>, KeyError('e'), None)\nKeyError: 'e'\n"},
		{"manager expression raises", "with Manager('a'), Manager(1):\n    print('not reached')",
			"a.__enter__()\na.__exit__(<class 'TypeError'>, TypeError('Manager: for parameter name: got int, want string'), None)\nTypeError: Manager: for parameter name: got int, want string\n"},
		{"no __enter__", "with 1:\n    pass",
			"TypeError: 'int' object does not support the context manager protocol\n"},
		{"no __exit__", "with Manager('a', exit=False):\n    print('not reached')",
			"TypeError: 'Manager' object does not support the context manager protocol (missed __exit__ method)\n"},
		{"__exit__ lookup raises AttributeError", "with Manager('a', exit=AttributeError('no')):\n    print('not reached')",
			"TypeError: 'Manager' object does not support the context manager protocol (missed __exit__ method)\n"},
		{"__exit__ lookup raises", "with Manager('a', exit=KeyError('lookup')):\n    print('not reached')",
			"KeyError: 'lookup'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := runWith(t, tc.src); got != tc.want {
				t.Errorf("%s\n got:\n%s\nwant:\n%s", tc.src, got, tc.want)
			}
		})
	}
}

// TestWithTracebackLine checks the line a traceback gives for errors of
// a with statement, as CPython 3.11 gives it: the with statement's line
// for the protocol, __enter__ and __exit__, the body's own lines for the
// body.
func TestWithTracebackLine(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
	}{
		{"not a manager", "x = 1\nwith (\n    Manager('a'),\n    3 as g,\n):\n    pass", 2},
		{"enter raises", "x = 1\nwith (\n    Manager('a', enter_error=KeyError('e'))\n):\n    pass", 2},
		{"exit raises", "x = 1\nwith Manager('a', exit_error=KeyError('e')):\n    x = 2\n    x = 3", 2},
		{"body raises", "x = 1\nwith Manager('a'):\n    x = 2\n    1 // 0\n    x = 3", 4},
		{"second item raises", "x = 1\nwith (\n    Manager('a'),\n    Manager(1),\n):\n    pass", 4},
		{"body raises in a function", "def f():\n    with Manager('a'):\n        y = 1 // 0\nf()", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			rt := runtime.New(runtime.WithStdout(io.Discard), runtime.WithPredeclared("Manager", newManager(&out)))
			err := rt.ExecFile(context.Background(), "main.py", []byte(tc.src), []string{"main.py"})
			if err == nil {
				t.Fatal("no error")
			}
			tb := runtime.FormatError(err)
			want := fmt.Sprintf("File \"main.py\", line %d,", tc.line)
			lines := strings.Split(strings.TrimSpace(tb), "\n")
			last := ""
			for _, l := range lines {
				if strings.Contains(l, "File \"") {
					last = strings.TrimSpace(l)
				}
			}
			if !strings.HasPrefix(last, want) {
				t.Errorf("%s\nlast frame %q, want %s\n%s", tc.src, last, want, tb)
			}
		})
	}
}

// TestWithTraceback checks whole tracebacks of exceptions that leave a
// with block, as CPython 3.11 prints them (less its carets): the body's
// exception once, however it was raised (a bare raise in a try, as the
// lowered with has, re-raises it unchained); an exception of __exit__ after
// the body's, which it was raised while handling.
func TestWithTraceback(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"starlark's own error", "with Manager('a'):\n    {}['k']", `Traceback (most recent call last):
  File "main.py", line 2, in <module>
    {}['k']
KeyError: 'k'
`},
		{"re-raised by a try", "try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise", `Traceback (most recent call last):
  File "main.py", line 2, in <module>
    1 / 0
ZeroDivisionError: division by zero
`},
		{"raised", "def f():\n    raise ValueError('v')\nwith Manager('a'):\n    f()", `Traceback (most recent call last):
  File "main.py", line 4, in <module>
    f()
  File "main.py", line 2, in f
    raise ValueError('v')
ValueError: v
`},
		{"exit raises while the body's exception is handled", "with Manager('a', exit_error=KeyError('x')):\n    1 // 0", `Traceback (most recent call last):
  File "main.py", line 2, in <module>
    1 // 0
ZeroDivisionError: integer division or modulo by zero

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "main.py", line 1, in <module>
    with Manager('a', exit_error=KeyError('x')):
KeyError: 'x'
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := runtime.New(runtime.WithStdout(io.Discard), runtime.WithPredeclared("Manager", newManager(io.Discard)))
			err := rt.ExecFile(context.Background(), "main.py", []byte(tc.src), []string{"main.py"})
			if got := runtime.FormatError(err); got != tc.want {
				t.Errorf("%s\n got:\n%s\nwant:\n%s", tc.src, got, tc.want)
			}
		})
	}
}

// TestWithInterrupted checks that a Ctrl-C in a with block reaches
// __exit__ as KeyboardInterrupt, which goes on to the script's except.
func TestWithInterrupted(t *testing.T) {
	signals := runtime.NewSignals()
	out := newLineWatcher("sleeping\n")
	rt := runtime.New(runtime.WithStdout(out), runtime.WithSignals(signals), runtime.WithPredeclared("Manager", newManager(out)))
	go func() {
		<-out.seen
		signals.Send(syscall.SIGINT)
	}()
	err := rt.ExecFile(context.Background(), "main.py", []byte(`import time
try:
    with Manager('a'):
        print('sleeping')
        time.sleep(60)
except KeyboardInterrupt as e:
    print('caught', repr(e))
`), nil)
	if err != nil {
		t.Fatal(runtime.FormatError(err))
	}
	want := "a.__enter__()\nsleeping\na.__exit__(<class 'KeyboardInterrupt'>, KeyboardInterrupt(), None)\ncaught KeyboardInterrupt()\n"
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestWithOpenFile checks that a with block closes the file open() returns
// when the block ends and when it raises.
func TestWithOpenFile(t *testing.T) {
	dir := t.TempDir()
	src := `with open('data.txt', 'w') as f:
    f.write('line 1\n')
print(f.closed)
with open('data.txt') as f:
    print(repr(f.read()))
try:
    with open('data.txt', 'a') as f:
        f.write('line 2\n')
        raise ValueError('stop')
except ValueError as e:
    print(e, f.closed)
with open('data.txt') as a, open('data.txt') as b:
    print(repr(a.readline()), repr(b.read()))
print(a.closed, b.closed)
`
	want := "True\n'line 1\\n'\nstop True\n'line 1\\n' 'line 1\\nline 2\\n'\nTrue True\n"
	if got := runWith(t, src, runtime.WithFiles(dir)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, "data.txt"))
	if err != nil || string(data) != "line 1\nline 2\n" {
		t.Errorf("data.txt holds %q (%v)", data, err)
	}
}

// TestWithKafkaClients checks the with statement over kstar's Kafka
// clients, on a broker: a producer's with block ends by flushing and
// closing it (its records are on the broker for the next statement, its
// linger notwithstanding), a consumer's ends by closing it (committing
// what was consumed) when the block raises, and the exception goes on;
// an admin client's closes it.
func TestWithKafkaClients(t *testing.T) {
	boot := testbroker.Isolated(t)
	src := `from kafka import KafkaProducer, KafkaConsumer, KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import IllegalStateError

with KafkaAdminClient() as admin:
    admin.create_topics([NewTopic('with-records', 1, 1)])
try:
    admin.list_topics()
except IllegalStateError as e:
    print('admin:', e)

with KafkaProducer(linger_ms=60000) as producer:
    for i in range(5):
        producer.send('with-records', b'v%d' % i)
try:
    producer.send('with-records', b'late')
except IllegalStateError as e:
    print('producer:', e)

def group_member():
    return KafkaConsumer('with-records', group_id='with-group', auto_offset_reset='earliest', consumer_timeout_ms=10000)

try:
    with group_member() as consumer:
        for record in consumer:
            print('read', record.value)
            if record.offset == 1:
                raise KeyError('stop')
except KeyError as e:
    print('propagated', e)
try:
    consumer.poll()
except IllegalStateError as e:
    print('consumer:', e)

with group_member() as consumer:
    rest = []
    for record in consumer:
        rest.append(record.value)
        if len(rest) == 3:
            break
print('then', rest)
`
	want := `admin: IllegalStateError: KafkaAdminClient is closed
producer: IllegalStateError: KafkaProducer already closed!
read b'v0'
read b'v1'
propagated 'stop'
consumer: IllegalStateError: KafkaConsumer is closed
then [b'v2', b'v3', b'v4']
`
	if got := runWith(t, src, runtime.WithBootstrapServers(boot), runtime.WithCallTimeout(0)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// BenchmarkWithStatement is the cost of one empty with block over a
// manager written in Go whose __enter__ and __exit__ do nothing, the loop
// around it included (BenchmarkWithStatement/loop is the loop alone).
// CPython's figure, over a class whose methods do nothing (divide by a
// million):
//
//	python3 -m timeit -s $'class M:\n def __enter__(self): pass\n def __exit__(self, *a): pass\nm = M()' $'for i in range(1000000):\n with m:\n  pass'
func BenchmarkWithStatement(b *testing.B) {
	noop := py.Func("noop", func(thread *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, nil
	})
	trivial := starlarkstruct.FromStringDict(starlark.String("trivial"), starlark.StringDict{"__enter__": noop, "__exit__": noop})
	src := `
def with_block(m, n):
    for _ in range(n):
        with m:
            pass

def loop(m, n):
    for _ in range(n):
        pass
`
	s, err := runtime.New(runtime.WithoutLimits()).Load(context.Background(), "bench.py", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{"with_block", "loop"} {
		b.Run(name, func(b *testing.B) {
			if _, err := s.Call(context.Background(), name, trivial, starlark.MakeInt(b.N)); err != nil {
				b.Fatal(err)
			}
		})
	}
}
