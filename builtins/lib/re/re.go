// Package re is Python's re module for kstar scripts: Python's regular
// expression syntax and behaviour, matched by regexp2
// (github.com/dlclark/regexp2, a backtracking engine after .NET's) once
// the Python pattern is parsed, checked and translated (translate.go).
//
//	compile(pattern, flags=0)          a Pattern (cached, as CPython caches)
//	match, fullmatch, search(pattern, string, flags=0)
//	findall, finditer(pattern, string, flags=0)
//	sub, subn(pattern, repl, string, count=0, flags=0)
//	split(pattern, string, maxsplit=0, flags=0)
//	escape(pattern), purge()
//	error, Pattern, Match
//	A ASCII, I IGNORECASE, L LOCALE, M MULTILINE, S DOTALL, U UNICODE,
//	X VERBOSE, T TEMPLATE, DEBUG, NOFLAG, RegexFlag
//
// Pattern has match/fullmatch/search/findall/finditer (with pos and
// endpos), sub/subn/split, pattern, flags, groups and groupindex; Match
// has group/groups/groupdict/start/end/span/expand, m[g], string, re,
// pos, endpos, lastindex, lastgroup, regs. Patterns accept what CPython
// 3.11 accepts (lookarounds, backreferences, named groups, conditionals,
// atomic groups and possessive repeats, inline and scoped flags, \N{...})
// and refuse what it refuses, with its re.error messages and positions;
// str patterns are Unicode-aware (\d is Nd, \w letters, numbers and "_",
// \s str.isspace), bytes patterns and re.ASCII are ASCII.
//
// Where it differs from CPython:
//   - positions (start, end, span, pos, endpos, an error's position) count
//     UTF-8 bytes of non-ASCII text, as kstar's str indexes do;
//   - \b and \B of str patterns use regexp2's word characters (which
//     include combining marks and not the No/Nl digits);
//   - case-insensitive bytes and re.ASCII patterns also fold non-ASCII
//     letters (Python folds ASCII letters only there);
//   - after an empty match, finditer/findall/sub/split look for a
//     non-empty match at the same place, as CPython 3.7+ does;
//   - re.I == 2 is False (a flag is not an int), though flags combine with
//     ints (re.I | 2) and Pattern.flags is an int; groupindex is a
//     read-only dict, not a mappingproxy; re.LOCALE is accepted for bytes patterns and ignored.
//
// A match runs until its execution is cancelled or times out, however
// much it backtracks (see engine).
package re

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Error is re.error, raised for a bad pattern or template. As CPython's,
// re.error(msg, pattern=None, pos=None) has the attributes msg, pattern,
// pos, lineno and colno, and its message says where in the pattern.
var Error = &py.ExceptionClass{ClassName: "error", Module: "re", Base: py.PyException, Ext: errorMaker{}}

// errorMaker makes re.error's instances, as its __init__ does.
type errorMaker struct{}

var errorInit = &pyargs.Func{Name: "error.__init__", Params: []string{"msg", "pattern", "pos"}, Required: 1, Method: true}

func (errorMaker) Attr(*py.ExceptionClass, string) (starlark.Value, bool) { return nil, false }
func (errorMaker) AttrNames(*py.ExceptionClass) []string                  { return nil }
func (errorMaker) Str(*py.Exception) (string, bool)                       { return "", false }

func (errorMaker) Make(c *py.ExceptionClass, args starlark.Tuple, kwargs []starlark.Tuple) (*py.Exception, error) {
	var msg, pattern, pos starlark.Value = nil, starlark.None, starlark.None
	if err := errorInit.Bind(args, kwargs, &msg, &pattern, &pos); err != nil {
		return nil, err
	}
	if pattern == starlark.None || pos == starlark.None {
		return newError(msg, pattern, "", 0, false), nil
	}
	var text string
	switch p := pattern.(type) {
	case starlark.String:
		text = string(p)
	case py.Bytes:
		text = string(p)
	default:
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'count'", py.TypeName(pattern))
	}
	at, ok := pos.(starlark.Int)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%%d format: a real number is required, not %s", py.TypeName(pos))
	}
	offset, ok := at.Int64()
	if !ok {
		return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
	}
	return newError(msg, pattern, text, int(offset), true), nil
}

// newError is re.error(msg, pattern, pos), pattern's text being text;
// with a position (hasPos) the message says "msg at position pos", then
// "(line L, column C)" when the pattern has several lines. Its
// attributes are msg, pattern, pos, lineno and colno (the last three
// None without a position).
func newError(msg, pattern starlark.Value, text string, pos int, hasPos bool) *py.Exception {
	var position, lineno, colno starlark.Value = starlark.None, starlark.None, starlark.None
	str := py.Str(msg)
	if hasPos {
		end := pos // pattern.count(newline, 0, pos), as a slice bound
		if end < 0 {
			end = max(end+len(text), 0)
		}
		before := text[:min(end, len(text))]
		line := strings.Count(before, "\n") + 1
		col := pos - strings.LastIndex(before, "\n")
		str = fmt.Sprintf("%s at position %d", str, pos)
		if strings.Contains(text, "\n") {
			str += fmt.Sprintf(" (line %d, column %d)", line, col)
		}
		position, lineno, colno = starlark.MakeInt(pos), starlark.MakeInt(line), starlark.MakeInt(col)
	}
	exc := py.NewException(Error, str)
	for _, a := range [...]struct {
		name  string
		value starlark.Value
	}{{"msg", msg}, {"pattern", pattern}, {"pos", position}, {"lineno", lineno}, {"colno", colno}} {
		if err := exc.SetField(a.name, a.value); err != nil {
			panic(err) // a native exception takes any attribute
		}
	}
	return exc
}

// cacheSize bounds the patterns a module keeps compiled, as CPython's
// _MAXCACHE does.
const cacheSize = 512

// module is one execution's re module: its cache of compiled patterns.
// The map is replaced, never changed, so that a lookup (every call of a
// module function) takes no lock.
type module struct {
	mu    sync.Mutex // serialises replacements of cache
	cache atomic.Pointer[map[cacheKey]*cached]
	// last is the entry found last, checked before the map: a loop
	// calling re.match with one pattern string finds it without hashing.
	last atomic.Pointer[cached]
}

// cached is a cache entry: the compiled pattern of key.
type cached struct {
	key cacheKey
	p   *Pattern
}

type cacheKey struct {
	text    string
	isBytes bool
	flags   int
}

// New returns the re module for one execution.
func New(env *py.Env) starlark.Value {
	m := &module{}
	m.cache.Store(&map[cacheKey]*cached{})
	members := starlark.StringDict{
		"compile":   py.Func("compile", m.compileFunc),
		"match":     py.Func("match", m.matchFunc(kindMatch)),
		"fullmatch": py.Func("fullmatch", m.matchFunc(kindFull)),
		"search":    py.Func("search", m.matchFunc(kindSearch)),
		"findall":   py.Func("findall", m.findFunc(false)),
		"finditer":  py.Func("finditer", m.findFunc(true)),
		"sub":       py.Func("sub", m.subFunc(false)),
		"subn":      py.Func("subn", m.subFunc(true)),
		"split":     py.Func("split", m.splitFunc),
		"escape":    py.Func("escape", escape),
		"purge":     py.Func("purge", m.purge),
		"error":     Error,
		"Pattern":   patternType,
		"Match":     matchType,
		"RegexFlag": flagType,
		"NOFLAG":    Flag(0),
	}
	for _, f := range flagNames {
		members[f.name] = Flag(f.value)
		if f.short != "" {
			members[f.short] = Flag(f.value)
		}
	}
	return &starlarkstruct.Module{Name: "re", Members: members}
}

// get returns the compiled pattern for pattern and flags, from the cache
// when it is there. A Pattern is returned as it is (with flags 0).
func (m *module) get(pattern, flags starlark.Value) (*Pattern, error) {
	f, err := flagArg(flags)
	if err != nil {
		return nil, err
	}
	if p, ok := pattern.(*Pattern); ok {
		if f != 0 {
			return nil, py.Errorf(py.ValueError, "cannot process flags argument with a compiled pattern")
		}
		return p, nil
	}
	var key cacheKey
	switch v := pattern.(type) {
	case starlark.String:
		key = cacheKey{string(v), false, f}
	case py.Bytes:
		key = cacheKey{string(v), true, f}
	default:
		return nil, py.Errorf(py.TypeError, "first argument must be string or compiled pattern")
	}
	if c := m.last.Load(); c != nil && c.key == key { // the same string compares in O(1)
		return c.p, nil
	}
	if c, ok := (*m.cache.Load())[key]; ok {
		m.last.Store(c)
		return c.p, nil
	}
	p, err := compile(pattern, f)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.cache.Load()
	next := make(map[cacheKey]*cached, len(old)+1)
	if len(old) < cacheSize { // else forgotten, as CPython's cache forgets all
		maps.Copy(next, old)
	}
	c := &cached{key, p}
	next[key] = c
	m.cache.Store(&next)
	m.last.Store(c)
	return p, nil
}

// flagArg reads a flags argument: a RegexFlag or an int.
func flagArg(v starlark.Value) (int, error) {
	switch v := v.(type) {
	case nil:
		return 0, nil
	case Flag:
		return int(v), nil
	case starlark.Int:
		if n, ok := v.Int64(); ok && n >= -1<<31 && n < 1<<31 {
			return int(n), nil
		}
		return 0, py.Errorf(py.OverflowError, "Python int too large to convert to C int")
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	}
	return 0, py.Errorf(py.TypeError, "unsupported operand type(s) for &: '%s' and 'RegexFlag'", py.TypeName(v))
}

func (m *module) compileFunc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pattern, flags starlark.Value
	if err := unpackFunc("compile", args, kwargs, []string{"pattern", "flags"}, 1, &pattern, &flags); err != nil {
		return nil, err
	}
	return m.get(pattern, flags)
}

func (m *module) matchFunc(kind int) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var pattern, s, flags starlark.Value
		if err := unpackFunc(b.Name(), args, kwargs, []string{"pattern", "string", "flags"}, 2, &pattern, &s, &flags); err != nil {
			return nil, err
		}
		p, err := m.get(pattern, flags)
		if err != nil {
			return nil, err
		}
		return p.matchOne(thread, kind, s, nil, nil)
	}
}

func (m *module) findFunc(iter bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var pattern, s, flags starlark.Value
		if err := unpackFunc(b.Name(), args, kwargs, []string{"pattern", "string", "flags"}, 2, &pattern, &s, &flags); err != nil {
			return nil, err
		}
		p, err := m.get(pattern, flags)
		if err != nil {
			return nil, err
		}
		if iter {
			return p.finditer(thread, s, nil, nil)
		}
		return p.findall(thread, s, nil, nil)
	}
}

func (m *module) subFunc(counted bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var pattern, repl, s, count, flags starlark.Value
		if err := unpackFunc(b.Name(), args, kwargs, []string{"pattern", "repl", "string", "count", "flags"}, 3, &pattern, &repl, &s, &count, &flags); err != nil {
			return nil, err
		}
		p, err := m.get(pattern, flags)
		if err != nil {
			return nil, err
		}
		return p.sub(thread, repl, s, count, counted)
	}
}

func (m *module) splitFunc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pattern, s, maxsplit, flags starlark.Value
	if err := unpackFunc("split", args, kwargs, []string{"pattern", "string", "maxsplit", "flags"}, 2, &pattern, &s, &maxsplit, &flags); err != nil {
		return nil, err
	}
	p, err := m.get(pattern, flags)
	if err != nil {
		return nil, err
	}
	return p.split(thread, s, maxsplit)
}

func (m *module) purge(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := unpackFunc("purge", args, kwargs, nil, 0); err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.cache.Store(&map[cacheKey]*cached{})
	m.last.Store(nil)
	m.mu.Unlock()
	return starlark.None, nil
}

// escapedChars are the characters re.escape backslashes.
const escapedChars = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"

// escape is re.escape.
func escape(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pattern starlark.Value
	if err := unpackFunc("escape", args, kwargs, []string{"pattern"}, 1, &pattern); err != nil {
		return nil, err
	}
	var s string
	switch v := pattern.(type) {
	case starlark.String:
		s = string(v)
	case py.Bytes:
		s = string(v)
	default:
		return nil, py.Errorf(py.TypeError, "decoding to str: need a bytes-like object, %s found", py.TypeName(pattern))
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(escapedChars, s[i]) >= 0 {
			out.WriteByte('\\')
		}
		out.WriteByte(s[i])
	}
	if _, ok := pattern.(py.Bytes); ok {
		return py.Bytes(out.String()), nil
	}
	return starlark.String(out.String()), nil
}

// unpackFunc unpacks the arguments of a module function as a Python
// function of those parameters would (the first required ones
// mandatory), with CPython's messages.
func unpackFunc(fname string, args starlark.Tuple, kwargs []starlark.Tuple, params []string, required int, out ...*starlark.Value) error {
	if len(args) > len(params) {
		if required == len(params) {
			return py.Errorf(py.TypeError, "%s() takes %d positional argument%s but %d were given", fname, len(params), plural(len(params)), len(args))
		}
		return py.Errorf(py.TypeError, "%s() takes from %d to %d positional arguments but %d were given", fname, required, len(params), len(args))
	}
	for i, a := range args {
		*out[i] = a
	}
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		i := indexOf(params, k)
		if i < 0 {
			return py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, k)
		}
		if *out[i] != nil {
			return py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", fname, k)
		}
		*out[i] = kv[1]
	}
	var missing []string
	for i := 0; i < required; i++ {
		if *out[i] == nil {
			missing = append(missing, "'"+params[i]+"'")
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return py.Errorf(py.TypeError, "%s() missing 1 required positional argument: %s", fname, missing[0])
	}
	return py.Errorf(py.TypeError, "%s() missing %d required positional arguments: %s and %s", fname, len(missing),
		strings.Join(missing[:len(missing)-1], ", "), missing[len(missing)-1])
}

// unpackMethod unpacks the arguments of a method of Pattern or Match,
// with the messages of CPython's built-in methods.
func unpackMethod(fname string, args starlark.Tuple, kwargs []starlark.Tuple, params []string, required int, out ...*starlark.Value) error {
	if len(args) > len(params) {
		return py.Errorf(py.TypeError, "%s() takes at most %d argument%s (%d given)", fname, len(params), plural(len(params)), len(args)+len(kwargs))
	}
	for i, a := range args {
		*out[i] = a
	}
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		i := indexOf(params, k)
		if i < 0 {
			return py.Errorf(py.TypeError, "'%s' is an invalid keyword argument for %s()", k, fname)
		}
		if *out[i] != nil {
			return py.Errorf(py.TypeError, "argument for %s() given by name ('%s') and position (%d)", fname, k, i+1)
		}
		*out[i] = kv[1]
	}
	for i := 0; i < required; i++ {
		if *out[i] == nil {
			return py.Errorf(py.TypeError, "%s() missing required argument '%s' (pos %d)", fname, params[i], i+1)
		}
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// typeValue is a class of the re module (re.Pattern, re.Match,
// re.RegexFlag): isinstance recognises its instances.
type typeValue struct {
	name string
	is   func(starlark.Value) bool
}

var (
	patternType = &typeValue{"re.Pattern", func(v starlark.Value) bool { _, ok := v.(*Pattern); return ok }}
	matchType   = &typeValue{"re.Match", func(v starlark.Value) bool { _, ok := v.(*Match); return ok }}
	flagType    = &typeValue{"re.RegexFlag", func(v starlark.Value) bool { _, ok := v.(Flag); return ok }}
)

var _ py.InstanceChecker = (*typeValue)(nil)

func (t *typeValue) String() string                   { return fmt.Sprintf("<class '%s'>", t.name) }
func (t *typeValue) Type() string                     { return "type" }
func (t *typeValue) Freeze()                          {}
func (t *typeValue) Truth() starlark.Bool             { return true }
func (t *typeValue) Hash() (uint32, error)            { return starlark.String(t.name).Hash() }
func (t *typeValue) IsInstance(v starlark.Value) bool { return t.is(v) }
