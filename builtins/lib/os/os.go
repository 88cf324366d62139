// Package os is kstar's os module. It offers read-only access to the environment the host lets
// the script see (Env.Getenv; none by default):
//
//	getenv(key, default=None)   the variable's value, or default
//	environ                     a read-only mapping: environ['X'] (KeyError
//	                            if unset), environ.get(k, d), 'X' in environ,
//	                            iteration, len, keys(), values(), items(), copy()
//	name, sep, linesep          "posix", "/", "\n"
//	urandom(size)               size random bytes from the operating system
//	devnull                     "/dev/null"
//	path, getcwd, listdir, makedirs, remove, unlink, rename   see ospath.go
//
// A missing attribute is CPython's AttributeError: module 'os' has no
// attribute 'nope'.
package os

import (
	"crypto/rand"
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the os module for an execution.
func New(env *py.Env) starlark.Value {
	environ := NewEnviron(env.Getenv)
	members := starlark.StringDict{
		"environ": environ,
		"getenv": py.Func("getenv", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var key, dflt starlark.Value = nil, starlark.None
			if err := starlark.UnpackArgs(b.Name(), args, kwargs, "key", &key, "default?", &dflt); err != nil {
				return nil, err
			}
			k, err := environKey(key)
			if err != nil {
				return nil, err
			}
			if v, ok := environ.vars[k]; ok {
				return starlark.String(v), nil
			}
			return dflt, nil
		}),
		"urandom": py.Func("urandom", urandom),
		"name":    starlark.String("posix"),
		"sep":     starlark.String("/"),
		"linesep": starlark.String("\n"),
		"devnull": starlark.String("/dev/null"),
	}
	for name, v := range osHostMembers(env) {
		members[name] = v
	}
	return py.NewModule("os", members)
}

// Environ is os.environ: a read-only snapshot of the environment taken
// when the script starts, iterated in sorted key order.
type Environ struct {
	vars map[string]string
	keys []string // sorted
}

// NewEnviron snapshots getenv (nil means an empty environment).
func NewEnviron(getenv func() map[string]string) *Environ {
	e := &Environ{vars: map[string]string{}}
	if getenv != nil {
		for k, v := range getenv() {
			e.vars[k] = v
		}
	}
	for k := range e.vars {
		e.keys = append(e.keys, k)
	}
	sort.Strings(e.keys)
	return e
}

var (
	_ starlark.IterableMapping = (*Environ)(nil)
	_ starlark.Sequence        = (*Environ)(nil)
	_ starlark.HasAttrs        = (*Environ)(nil)
)

// environKey checks that an environment key is a str, as Python does.
func environKey(k starlark.Value) (string, error) {
	s, ok := k.(starlark.String)
	if !ok {
		return "", py.Errorf(py.TypeError, "str expected, not %s", py.TypeName(k))
	}
	return string(s), nil
}

// String is Python's repr: environ({'HOME': '/root', ...}).
func (e *Environ) String() string {
	var b strings.Builder
	b.WriteString("environ({")
	for i, k := range e.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(py.QuoteString(k) + ": " + py.QuoteString(e.vars[k]))
	}
	b.WriteString("})")
	return b.String()
}

func (e *Environ) Type() string         { return "_Environ" }
func (e *Environ) Freeze()              {}
func (e *Environ) Truth() starlark.Bool { return len(e.keys) > 0 }
func (e *Environ) Hash() (uint32, error) {
	return 0, py.Errorf(py.TypeError, "unhashable type: '_Environ'")
}
func (e *Environ) Len() int { return len(e.keys) }

// Get implements environ[key]: KeyError: 'X' when X is not set.
func (e *Environ) Get(key starlark.Value) (starlark.Value, bool, error) {
	k, err := environKey(key)
	if err != nil {
		return nil, false, err
	}
	if v, ok := e.vars[k]; ok {
		return starlark.String(v), true, nil
	}
	return nil, false, &py.Exception{Class: py.KeyError, Msg: py.Repr(key), Args: starlark.Tuple{key}}
}

// Iterate yields the keys.
func (e *Environ) Iterate() starlark.Iterator { return e.keyTuple().Iterate() }

// Items returns the (key, value) pairs.
func (e *Environ) Items() []starlark.Tuple {
	items := make([]starlark.Tuple, len(e.keys))
	for i, k := range e.keys {
		items[i] = starlark.Tuple{starlark.String(k), starlark.String(e.vars[k])}
	}
	return items
}

func (e *Environ) keyTuple() starlark.Tuple {
	keys := make(starlark.Tuple, len(e.keys))
	for i, k := range e.keys {
		keys[i] = starlark.String(k)
	}
	return keys
}

// Attr offers get, keys, values, items and copy.
func (e *Environ) Attr(name string) (starlark.Value, error) {
	var fn py.BuiltinFunc
	switch name {
	case "get":
		fn = func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var key, dflt starlark.Value = nil, starlark.None
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &key, &dflt); err != nil {
				return nil, err
			}
			k, err := environKey(key)
			if err != nil {
				return nil, err
			}
			if v, ok := e.vars[k]; ok {
				return starlark.String(v), nil
			}
			return dflt, nil
		}
	case "keys":
		fn = e.listMethod(func(k string) starlark.Value { return starlark.String(k) })
	case "values":
		fn = e.listMethod(func(k string) starlark.Value { return starlark.String(e.vars[k]) })
	case "items":
		fn = e.listMethod(func(k string) starlark.Value {
			return starlark.Tuple{starlark.String(k), starlark.String(e.vars[k])}
		})
	case "copy":
		fn = func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			d := starlark.NewDict(len(e.keys))
			for _, k := range e.keys {
				_ = d.SetKey(starlark.String(k), starlark.String(e.vars[k]))
			}
			return d, nil
		}
	default:
		return nil, nil
	}
	return py.Func(name, fn).BindReceiver(e), nil
}

// listMethod returns a no-argument method listing f(key) for every key.
func (e *Environ) listMethod(f func(k string) starlark.Value) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		list := make([]starlark.Value, len(e.keys))
		for i, k := range e.keys {
			list[i] = f(k)
		}
		return starlark.NewList(list), nil
	}
}

func (e *Environ) AttrNames() []string { return []string{"copy", "get", "items", "keys", "values"} }

// Help documents the os module's functions and os.environ's methods for
// help(obj).
var Help = py.HelpTable{
	// os
	"os.getenv":          {Params: "key, default=None", Doc: "Return the environment variable key if it exists, else default."},
	"os.urandom":         {Params: "size", Doc: "Return size random bytes from the operating system, suitable for cryptographic use."},
	"os.getcwd":          {Params: "", Doc: "Return the current working directory (the granted directory under runtime.WithFiles)."},
	"os.listdir":         {Params: "path='.'", Doc: "Return the sorted names of the entries in the directory path."},
	"os.makedirs":        {Params: "name, mode=0o777, exist_ok=False", Doc: "Create the directory name and any missing parents."},
	"os.remove":          {Params: "path", Doc: "Remove the file path (not a directory)."},
	"os.unlink":          {Params: "path", Doc: "Remove the file path (not a directory); the same as remove."},
	"os.rename":          {Params: "src, dst", Doc: "Rename the file or directory src to dst."},
	"os.path.join":       {Params: "a, *p", Doc: "Join path components, as posixpath.join."},
	"os.path.split":      {Params: "p", Doc: "Split p into (head, tail): tail is what follows the last slash."},
	"os.path.basename":   {Params: "p", Doc: "Return the final component of p."},
	"os.path.dirname":    {Params: "p", Doc: "Return the directory component of p."},
	"os.path.splitext":   {Params: "p", Doc: "Split p into (root, ext), ext starting at the last dot of the final component."},
	"os.path.isabs":      {Params: "p", Doc: "Return whether p is absolute."},
	"os.path.normpath":   {Params: "p", Doc: "Collapse redundant separators and up-level references of p."},
	"os.path.abspath":    {Params: "p", Doc: "Return the absolute, normalised form of p."},
	"os.path.expanduser": {Params: "p", Doc: "Replace a leading ~ by the HOME environment variable."},
	"os.path.exists":     {Params: "p", Doc: "Return whether p names an existing file or directory."},
	"os.path.isfile":     {Params: "p", Doc: "Return whether p is an existing regular file."},
	"os.path.isdir":      {Params: "p", Doc: "Return whether p is an existing directory."},
	"os.path.getsize":    {Params: "p", Doc: "Return the size of the file p in bytes."},

	// os.environ
	"_Environ.get":    {Params: "key, default=None", Doc: "Return the environment variable key if it exists, else default."},
	"_Environ.keys":   {Params: "", Doc: "Return the names of the environment variables, sorted."},
	"_Environ.values": {Params: "", Doc: "Return the values of the environment variables, in the order of keys()."},
	"_Environ.items":  {Params: "", Doc: "Return (name, value) pairs of the environment variables, sorted."},
	"_Environ.copy":   {Params: "", Doc: "Return the environment as a dict."},
}

// urandom is os.urandom(size): size bytes from the operating system's
// random source, within the execution's memory limit.
func urandom(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var size starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &size); err != nil {
		return nil, err
	}
	if flag, ok := size.(starlark.Bool); ok {
		size = starlark.MakeInt(map[starlark.Bool]int{false: 0, true: 1}[flag])
	}
	i, ok := size.(starlark.Int)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(size))
	}
	n, ok := i.Int64()
	switch {
	case i.Sign() < 0:
		return nil, py.Errorf(py.ValueError, "negative argument not allowed")
	case !ok || n > 1<<40:
		return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
	}
	if err := py.Reserve(thread, n); err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	rand.Read(buf)
	return py.Bytes(buf), nil
}
