package runtime

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/internal/testenv"
)

// runForError runs src as a whole script and returns its traceback.
func runForError(t *testing.T, src string) string {
	t.Helper()
	rt := New(WithStdout(io.Discard), WithStderr(io.Discard))
	err := rt.ExecFile(context.Background(), "t.py", []byte(src), []string{"t.py"})
	if err == nil {
		t.Fatalf("%q: no error", src)
	}
	return FormatError(err)
}

// TestStarlarkErrorsReadLikePython checks the last line of tracebacks of
// errors that Starlark itself raises.
func TestStarlarkErrorsReadLikePython(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`d = {"present": 1}` + "\n" + `d["missing"]`, `KeyError: 'missing'`},
		{`{}[1]`, `KeyError: 1`},
		{`{}[("a", -1, None)]`, `KeyError: ('a', -1, None)`},
		{`{}[("a",)]`, `KeyError: ('a',)`},
		{`{}[b"k"]`, `KeyError: b'k'`},
		{`print(nope)`, `NameError: name 'nope' is not defined`},
		{"value = 1\nprint(valeu)", `NameError: name 'valeu' is not defined. Did you mean: 'value'?`},
		{"def f():\n    x = x + 1\nf()", `UnboundLocalError: cannot access local variable 'x' where it is not associated with a value`},
		{`(1).foo`, `AttributeError: 'int' object has no attribute 'foo'`},
		{`[].apend(1)`, `AttributeError: 'list' object has no attribute 'apend'. Did you mean: 'append'?`},
		{"for x in 5:\n    pass", `TypeError: 'int' object is not iterable`},
		{`[x for x in None]`, `TypeError: 'NoneType' object is not iterable`},
		{`[].sort(1)`, `TypeError: sort() takes no positional arguments`},
		{`1 / 0`, `ZeroDivisionError: division by zero`},
		{`1 // 0`, `ZeroDivisionError: integer division or modulo by zero`},
		{`1 % 0`, `ZeroDivisionError: integer modulo by zero`},
		{`1.5 // 0`, `ZeroDivisionError: integer division or modulo by zero`},
		{`[1][5]`, `IndexError: list index out of range`},
		{`[][0]`, `IndexError: list index out of range`},
		{`(1, 2)[-3]`, `IndexError: tuple index out of range`},
		{`"ab"[2]`, `IndexError: string index out of range`},
		{`1 + "a"`, `TypeError: unsupported operand type(s) for +: 'int' and 'str'`},
		{`"a" + 1`, `TypeError: can only concatenate str (not "int") to str`},
		{`[1] + None`, `TypeError: can only concatenate list (not "NoneType") to list`},
		{`1 in 2`, `TypeError: argument of type 'int' is not iterable`},
		{`-"a"`, `TypeError: bad operand type for unary -: 'str'`},
		{`"a" < 1`, `TypeError: '<' not supported between instances of 'str' and 'int'`},
		{`x = 1` + "\n" + `x()`, `TypeError: 'int' object is not callable`},
		{`{[1]: 2}`, `TypeError: unhashable type: 'list'`},
		{"def f(a, b, c):\n    pass\nf()", `TypeError: f() missing 3 required positional arguments: 'a', 'b', and 'c'`},
		{"def f(a, b):\n    pass\nf()", `TypeError: f() missing 2 required positional arguments: 'a' and 'b'`},
		{"def f(a):\n    pass\nf(1, 2)", `TypeError: f() takes 1 positional argument but 2 were given`},
		{"def f():\n    pass\nf(1)", `TypeError: f() takes 0 positional arguments but 1 was given`},
		{"def f(a):\n    pass\nf(b=1)", `TypeError: f() got an unexpected keyword argument 'b'`},
		{"for x in 1:\n    pass", `TypeError: 'int' object is not iterable`},
		{`a, b = (1, 2, 3)`, `ValueError: too many values to unpack (expected 2)`},
		{`a, b, c = (1, 2)`, `ValueError: not enough values to unpack (expected 3, got 2)`},
		{`t = (1,)` + "\n" + `t[0] = 2`, `TypeError: 'tuple' object does not support item assignment`},
		{`[1][::0]`, `ValueError: slice step cannot be zero`},
		{`enumerate([1])[0]`, `TypeError: 'enumerate' object is not subscriptable`},
		{`(1,)[None]`, `TypeError: tuple indices must be integers or slices, not NoneType`},
		{`[1]['a']`, `TypeError: list indices must be integers or slices, not str`},
		{"from kafka import TopicPartition\nTopicPartition('t', 0)[2]", `IndexError: tuple index out of range`},
		{"from kafka import TopicPartition\nTopicPartition('t', 0)[-3]", `IndexError: tuple index out of range`},
		{"from kafka import TopicPartition\nTopicPartition('t', 0)['topic']", `TypeError: tuple indices must be integers or slices, not str`},
		{`len(zip([1]))`, `TypeError: object of type 'zip' has no len()`},
		{"d = {1: 1}\nfor k in d:\n    d[k + 1] = 1", `RuntimeError: dictionary changed size during iteration`},
		{`fail("boom")`, `Exception: boom`},
	} {
		got := runForError(t, tc.src)
		lines := strings.Split(strings.TrimSpace(got), "\n")
		if last := lines[len(lines)-1]; last != tc.want {
			t.Errorf("%q:\n got  %s\n want %s\n(traceback:\n%s)", tc.src, last, tc.want, got)
		}
	}
}

// raisedExceptionLines are scripts, valid Python, that end with an
// uncaught exception, and the last line CPython with kafka-python 2.0.2
// prints for each: the class qualified by its module unless it is a
// builtin, then ": " and str(e) unless str(e) is empty.
var raisedExceptionLines = []struct{ src, want string }{
	{`raise ValueError('x')`, `ValueError: x`},
	{`raise ValueError`, `ValueError`},
	{`raise ValueError()`, `ValueError`},
	{`raise Exception('')`, `Exception`},
	{`raise ValueError('a', 1)`, `ValueError: ('a', 1)`},
	{`raise KeyError('k')`, `KeyError: 'k'`},
	{"def f():\n    raise RuntimeError('deep')\nf()", `RuntimeError: deep`},
	{"from kafka.errors import KafkaTimeoutError\nraise KafkaTimeoutError('x')", `kafka.errors.KafkaTimeoutError: KafkaTimeoutError: x`},
	{"from kafka.errors import KafkaTimeoutError\nraise KafkaTimeoutError", `kafka.errors.KafkaTimeoutError: KafkaTimeoutError`},
	{"from kafka.errors import KafkaError\nraise KafkaError('')", `kafka.errors.KafkaError: KafkaError: `},
	{"from kafka.errors import NoBrokersAvailable\nraise NoBrokersAvailable()", `kafka.errors.NoBrokersAvailable: NoBrokersAvailable`},
	{"from kafka.errors import KafkaConnectionError\nraise KafkaConnectionError('a', 2)", `kafka.errors.KafkaConnectionError: KafkaConnectionError: ('a', 2)`},
	{"from kafka.errors import UnknownTopicOrPartitionError\nraise UnknownTopicOrPartitionError", `kafka.errors.UnknownTopicOrPartitionError: [Error 3] UnknownTopicOrPartitionError`},
	{"from kafka.errors import UnknownTopicOrPartitionError\nraise UnknownTopicOrPartitionError('t', 0)", `kafka.errors.UnknownTopicOrPartitionError: [Error 3] UnknownTopicOrPartitionError: ('t', 0)`},
	{"from kafka.errors import BrokerResponseError\nraise BrokerResponseError('x')", `kafka.errors.BrokerResponseError: [Error None] BrokerResponseError: x`},
	{"from kafka.errors import MessageSizeTooLargeError\ntry:\n    raise MessageSizeTooLargeError('big')\nexcept ValueError:\n    pass", `kafka.errors.MessageSizeTooLargeError: [Error 10] MessageSizeTooLargeError: big`},
	{"import json\njson.loads('{')", `json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)`},
}

// TestRaisedExceptionLines checks the last line of the traceback of
// uncaught exceptions, builtin and kafka.errors ones.
func TestRaisedExceptionLines(t *testing.T) {
	for _, tc := range raisedExceptionLines {
		got := runForError(t, tc.src)
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if last := lines[len(lines)-1]; last != tc.want {
			t.Errorf("%q:\n got  %q\n want %q\n(traceback:\n%s)", tc.src, last, tc.want, got)
		}
	}
}

// TestRaisedExceptionLinesMatchCPython checks that the lines
// TestRaisedExceptionLines wants are what CPython with kafka-python prints.
func TestRaisedExceptionLinesMatchCPython(t *testing.T) {
	python := testenv.Python(t, "kafka")
	for _, tc := range raisedExceptionLines {
		var stderr bytes.Buffer
		cmd := exec.Command(python, "-c", tc.src)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			t.Errorf("%q: CPython raised nothing", tc.src)
			continue
		}
		lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
		if last := lines[len(lines)-1]; last != tc.want {
			t.Errorf("%q: CPython ends with %q, the table wants %q", tc.src, last, tc.want)
		}
	}
}

// A broker that refuses the connection makes every client constructor
// raise kafka-python's NoBrokersAvailable(), without args; why no broker
// answered is left out of the exception's args, str() and repr(), and the
// traceback shows it as the direct cause, as CPython shows
// `raise NoBrokersAvailable() from reason`.
func TestNoBrokersAvailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens there now: the dial is refused
	src := `from kafka import KafkaProducer, KafkaConsumer, KafkaAdminClient
from kafka.errors import NoBrokersAvailable
for client in [KafkaProducer, KafkaConsumer, KafkaAdminClient]:
    try:
        client(bootstrap_servers='` + dead + `')
    except NoBrokersAvailable as e:
        print(repr(e), str(e), e.args, isinstance(e, NoBrokersAvailable))
KafkaProducer(bootstrap_servers='` + dead + `')
`
	var out strings.Builder
	rt := New(WithStdout(&out), WithStderr(io.Discard), WithHostAccess())
	err = rt.ExecFile(context.Background(), "t.py", []byte(src), []string{"t.py"})
	if want := strings.Repeat("NoBrokersAvailable() NoBrokersAvailable () True\n", 3); out.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), want)
	}
	want := `kafka.errors.KafkaConnectionError: KafkaConnectionError: unable to dial: dial tcp ` + dead + `: connect: connection refused

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "t.py", line 8, in <module>
    KafkaProducer(bootstrap_servers='` + dead + `')
kafka.errors.NoBrokersAvailable: NoBrokersAvailable
`
	if got := FormatError(err); got != want {
		t.Errorf("traceback:\n%s\nwant:\n%s", got, want)
	}
	// A Go host reads the reason in the error's text.
	var se *ScriptError
	if !errors.As(newScriptError(context.Background(), err), &se) || se.Name() != "NoBrokersAvailable" || se.Message() != "" ||
		se.Error() != "t.py:8: NoBrokersAvailable (caused by KafkaConnectionError: unable to dial: dial tcp "+dead+": connect: connection refused)" {
		t.Errorf("ScriptError %v: name %q, message %q", se, se.Name(), se.Message())
	}
}

// TestTracebackLines checks whole tracebacks through rewritten code: the
// line quoted is the original one.
func TestTracebackLines(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"x = 1\nimport nosuch\n", `Traceback (most recent call last):
  File "t.py", line 2, in <module>
    import nosuch
ModuleNotFoundError: No module named 'nosuch'
`},
		{"from kafka import (\n    KafkaProducer,\n    NoSuchThing,\n)\n", `Traceback (most recent call last):
  File "t.py", line 1, in <module>
    from kafka import (
ImportError: cannot import name 'NoSuchThing' from 'kafka'
`},
		{"def f(d):\n    return f\"{d['k']:>4}\"\n\nprint(f({}))\n", `Traceback (most recent call last):
  File "t.py", line 4, in <module>
    print(f({}))
  File "t.py", line 2, in f
    return f"{d['k']:>4}"
KeyError: 'k'
`},
		{"x = 1\nmsg = '''\n%s\n''' % (\n    x.foo)\n", `Traceback (most recent call last):
  File "t.py", line 5, in <module>
    x.foo)
AttributeError: 'int' object has no attribute 'foo'
`},
		{"if True:\n    print 'hello'\n", `  File "t.py", line 2
    print 'hello'
    ^
SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?
`},
		{"s = f'{a + }'\n", `  File "t.py", line 1
    s = f'{a + }'
               ^
SyntaxError: f-string: invalid syntax
`},
		{"if True:\nprint(1)\n", `  File "t.py", line 2
    print(1)
    ^
IndentationError: expected an indented block after 'if' statement on line 1
`},
		{"if True:\n    x = 1\n\ty = 2\n", `  File "t.py", line 3
    y = 2
    ^
TabError: inconsistent use of tabs and spaces in indentation
`},
		{"n = nope + nope\nm = nope\n", `Traceback (most recent call last):
  File "t.py", line 1, in <module>
    n = nope + nope
NameError: name 'nope' is not defined
`},
		{"if True:\n\tx = 1 +\n", `  File "t.py", line 2
    x = 1 +
           ^
SyntaxError: invalid syntax
`},
	} {
		if got := runForError(t, tc.src); got != tc.want {
			t.Errorf("%q:\n--- got ---\n%s--- want ---\n%s", tc.src, got, tc.want)
		}
	}
}
