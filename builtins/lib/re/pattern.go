package re

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dlclark/regexp2/v2"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Pattern is re.Pattern, a compiled regular expression.
type Pattern struct {
	pattern   starlark.Value // the str or bytes compiled
	text      string
	isBytes   bool
	flags     int
	groups    int
	names     map[string]int
	nameOrder []string
	groupName []string // by group number, "" for an unnamed group
	parents   []int    // the group each group is nested in, 0 for none

	expr    string // the pattern in regexp2's syntax
	opts    regexp2.RegexOptions
	engines [4]func() (*engine, error) // by kind, compiled when first used

	// bound are the pattern's methods (patternMethodFuncs) bound to it,
	// made when first looked up: a loop calling p.match makes none.
	bound [len(patternMethodFuncs)]atomic.Pointer[starlark.Builtin]
}

var (
	_ starlark.HasAttrs   = (*Pattern)(nil)
	_ starlark.Comparable = (*Pattern)(nil)
	_ py.Reprer           = (*Pattern)(nil)
)

// kindNonEmpty is the engine that matches at its start only, and only a
// non-empty match ((?<!\G) fails where the match began).
const kindNonEmpty = kindFull + 1

// compile compiles a str or bytes pattern with flags, as re.compile does.
func compile(pattern starlark.Value, flags int) (*Pattern, error) {
	p := &Pattern{pattern: pattern}
	switch v := pattern.(type) {
	case starlark.String:
		p.text = string(v)
	case py.Bytes:
		p.text, p.isBytes = string(v), true
	default:
		return nil, py.Errorf(py.TypeError, "first argument must be string or compiled pattern")
	}
	tree, err := parsePattern(p.text, !p.isBytes, flags)
	if err != nil {
		return nil, patternErr(err)
	}
	p.flags, p.groups, p.names, p.nameOrder, p.parents = tree.flags, tree.groups, tree.names, tree.nameOrder, tree.parents
	p.groupName = make([]string, p.groups+1)
	for name, g := range p.names {
		p.groupName[g] = name
	}
	p.expr = translate(tree.root)
	if p.flags&flagIgnoreCase != 0 {
		p.opts |= regexp2.IgnoreCase
	}
	if p.flags&flagMultiline != 0 {
		p.opts |= regexp2.Multiline
	}
	if p.flags&flagDotAll != 0 {
		p.opts |= regexp2.Singleline
	}
	for kind, expr := range [4]string{p.expr, `\G(?:` + p.expr + `)`, `\G(?:` + p.expr + `)\z`, `\G(?:` + p.expr + `)(?<!\G)`} {
		p.engines[kind] = sync.OnceValues(func() (*engine, error) { return newEngine(expr, p.opts) })
	}
	if _, err := p.engine(kindSearch); err != nil {
		return nil, err
	}
	return p, nil
}

// engine returns the compiled program for a kind of search.
func (p *Pattern) engine(kind int) (*engine, error) {
	e, err := p.engines[kind]()
	if err != nil {
		// The translation is meant to be valid regexp2 syntax always.
		return nil, py.Errorf(Error, "internal error: %s cannot be compiled by regexp2 (%v)", p.expr, err)
	}
	return e, nil
}

// patternErr turns a parse error into the exception CPython raises.
func patternErr(err error) error {
	var pe *patternError
	var ve *valueError
	var oe *overflowError
	switch {
	case errors.As(err, &pe):
		return pe.exception()
	case errors.As(err, &ve):
		return py.NewException(py.ValueError, ve.msg)
	case errors.As(err, &oe):
		return py.NewException(py.OverflowError, oe.msg)
	}
	return err
}

// exception is the re.error CPython raises for e.
func (e *patternError) exception() *py.Exception {
	if e.pos < 0 {
		return newError(starlark.String(e.msg), starlark.None, "", 0, false)
	}
	var pattern starlark.Value = starlark.String(e.pattern)
	if !e.isText {
		pattern = py.Bytes(e.pattern)
	}
	return newError(starlark.String(e.msg), pattern, e.pattern, e.pos, true)
}

// String is the Pattern's repr, as PyRepr.
func (p *Pattern) String() string { return p.PyRepr() }

// PyRepr is CPython's repr: re.compile('a+', re.IGNORECASE), the pattern's
// repr cut at 200 characters.
func (p *Pattern) PyRepr() string {
	r := py.Repr(p.pattern)
	if n := []rune(r); len(n) > 200 {
		r = string(n[:200])
	}
	flags := p.flags
	if !p.isBytes {
		flags &^= flagUnicode
	}
	if flags == 0 {
		return "re.compile(" + r + ")"
	}
	return "re.compile(" + r + ", " + Flag(flags).String() + ")"
}

func (p *Pattern) Type() string         { return "re.Pattern" }
func (p *Pattern) Freeze()              {}
func (p *Pattern) Truth() starlark.Bool { return true }
func (p *Pattern) Hash() (uint32, error) {
	h, _ := starlark.String(p.text).Hash()
	return h ^ uint32(p.flags), nil
}

// CompareSameType: patterns are equal when their pattern and flags are.
func (p *Pattern) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	q := y.(*Pattern)
	eq := p.text == q.text && p.isBytes == q.isBytes && p.flags == q.flags
	switch op {
	case syntax.EQL:
		return eq, nil
	case syntax.NEQ:
		return !eq, nil
	}
	return false, py.Errorf(py.TypeError, "'%s' not supported between instances of 're.Pattern' and 're.Pattern'", op)
}

// methodIndex is the index of a method in patternMethodFuncs, or -1.
func methodIndex(name string) int {
	for i, m := range patternMethodFuncs {
		if m.Name() == name {
			return i
		}
	}
	return -1
}

// patternMethodFuncs are re.Pattern's methods, for Attr to bind to a
// pattern (once per pattern: p.bound).
var patternMethodFuncs = [...]*starlark.Builtin{
	py.Func("findall", patternFind),
	py.Func("finditer", patternFind),
	py.Func("fullmatch", patternMatch(kindFull)),
	py.Func("match", patternMatch(kindMatch)),
	py.Func("search", patternMatch(kindSearch)),
	py.Func("split", patternSplit),
	py.Func("sub", patternSub),
	py.Func("subn", patternSub),
}

// patternMatch makes Pattern.match, fullmatch and search.
func patternMatch(kind int) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var s, pos, endpos starlark.Value
		if err := unpackMethod(b.Name(), args, kwargs, []string{"string", "pos", "endpos"}, 1, &s, &pos, &endpos); err != nil {
			return nil, err
		}
		return b.Receiver().(*Pattern).matchOne(thread, kind, s, pos, endpos)
	}
}

// patternFind is Pattern.findall and finditer.
func patternFind(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s, pos, endpos starlark.Value
	if err := unpackMethod(b.Name(), args, kwargs, []string{"string", "pos", "endpos"}, 1, &s, &pos, &endpos); err != nil {
		return nil, err
	}
	p := b.Receiver().(*Pattern)
	if b.Name() == "findall" {
		return p.findall(thread, s, pos, endpos)
	}
	return p.finditer(thread, s, pos, endpos)
}

// patternSplit is Pattern.split.
func patternSplit(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s, maxsplit starlark.Value
	if err := unpackMethod(b.Name(), args, kwargs, []string{"string", "maxsplit"}, 1, &s, &maxsplit); err != nil {
		return nil, err
	}
	return b.Receiver().(*Pattern).split(thread, s, maxsplit)
}

// patternSub is Pattern.sub and subn.
func patternSub(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var repl, s, count starlark.Value
	if err := unpackMethod(b.Name(), args, kwargs, []string{"repl", "string", "count"}, 2, &repl, &s, &count); err != nil {
		return nil, err
	}
	return b.Receiver().(*Pattern).sub(thread, repl, s, count, b.Name() == "subn")
}

func (p *Pattern) AttrNames() []string {
	names := []string{"flags", "groupindex", "groups", "pattern"}
	for _, m := range patternMethodFuncs {
		names = append(names, m.Name())
	}
	return names
}

// Attr returns the attributes and bound methods of re.Pattern.
func (p *Pattern) Attr(name string) (starlark.Value, error) {
	switch name {
	case "pattern":
		return p.pattern, nil
	case "flags":
		return starlark.MakeInt(p.flags), nil
	case "groups":
		return starlark.MakeInt(p.groups), nil
	case "groupindex":
		d := starlark.NewDict(len(p.nameOrder))
		for _, name := range p.nameOrder {
			_ = d.SetKey(starlark.String(name), starlark.MakeInt(p.names[name]))
		}
		d.Freeze()
		return d, nil
	}
	if i := methodIndex(name); i >= 0 {
		if m := p.bound[i].Load(); m != nil {
			return m, nil
		}
		m := patternMethodFuncs[i].BindReceiver(p)
		p.bound[i].Store(m)
		return m, nil
	}
	return nil, nil
}

// method binds a method of re.Pattern or re.Match to its receiver.
func method(name string, recv starlark.Value, fn func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return fn(thread, args, kwargs)
	}).BindReceiver(recv)
}

// bounds converts pos and endpos (None for the defaults) to character
// indexes of sub, clamped as CPython clamps them.
func bounds(sub *subject, pos, endpos starlark.Value) (int, int, error) {
	start, end := 0, len(sub.runes)
	if pos != nil && pos != starlark.None {
		n, err := indexArg(pos)
		if err != nil {
			return 0, 0, err
		}
		start = sub.index(n)
	}
	if endpos != nil && endpos != starlark.None {
		n, err := indexArg(endpos)
		if err != nil {
			return 0, 0, err
		}
		end = sub.index(n)
	}
	return start, end, nil
}

// indexArg reads an int argument (pos, endpos, count, maxsplit),
// saturating beyond the int range as CPython's Py_ssize_t clamping does.
func indexArg(v starlark.Value) (int, error) {
	i, ok := v.(starlark.Int)
	if !ok {
		if b, isBool := v.(starlark.Bool); isBool {
			return map[starlark.Bool]int{false: 0, true: 1}[b], nil
		}
		return 0, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
	}
	if n, ok := i.Int64(); ok && n >= math.MinInt && n <= math.MaxInt {
		return int(n), nil
	}
	if i.Sign() < 0 {
		return math.MinInt, nil
	}
	return math.MaxInt, nil
}

// matchOne is Pattern.match, fullmatch and search.
func (p *Pattern) matchOne(thread *starlark.Thread, kind int, s, pos, endpos starlark.Value) (starlark.Value, error) {
	sub, err := newSubject(thread, p, s)
	if err != nil {
		return nil, err
	}
	defer sub.release()
	start, end, err := bounds(&sub, pos, endpos)
	if err != nil {
		return nil, err
	}
	var buf [len(Match{}.inline)]int
	spans := buf[:]
	if n := 2 * (p.groups + 1); n > len(buf) {
		spans = make([]int, n)
	}
	found, err := p.find(thread, kind, &sub, start, end, false, spans)
	if err != nil {
		return nil, err
	}
	if !found {
		return starlark.None, nil
	}
	m := newMatch(p, s, sub.s, sub.byteOffset(start), sub.byteOffset(end))
	copy(m.spans, spans)
	return m, nil
}

// each calls fn for every match in sub's characters [start, end), as
// CPython's iteration finds them: after an empty match the next one may
// not be empty at the same place. fn returns false to stop.
func (p *Pattern) each(thread *starlark.Thread, sub *subject, start, end int, fn func(spans []int) (bool, error)) error {
	mustAdvance := false
	spans := make([]int, 2*(p.groups+1)) // fn reads them before the next search
	meter := py.NewMeter(thread)         // each match may make a value, an empty one per character
	for start <= end {
		if err := meter.Tick(); err != nil {
			return err
		}
		found, err := p.find(thread, kindSearch, sub, start, end, mustAdvance, spans)
		if err != nil || !found {
			return err
		}
		if more, err := fn(spans); err != nil || !more {
			return err
		}
		mustAdvance = spans[0] == spans[1]
		start = sub.index(spans[1])
	}
	return nil
}

// slice is the text of bytes [i, j) of sub, as a str or bytes.
func slice(sub *subject, i, j int) starlark.Value {
	if sub.isBytes {
		return py.Bytes(sub.s[i:j])
	}
	return starlark.String(sub.s[i:j])
}

// findall is Pattern.findall.
func (p *Pattern) findall(thread *starlark.Thread, s, pos, endpos starlark.Value) (starlark.Value, error) {
	sub, err := newSubject(thread, p, s)
	if err != nil {
		return nil, err
	}
	defer sub.release()
	start, end, err := bounds(&sub, pos, endpos)
	if err != nil {
		return nil, err
	}
	var out []starlark.Value
	group := func(spans []int, g int) starlark.Value {
		if spans[2*g] < 0 {
			return slice(&sub, 0, 0)
		}
		return slice(&sub, spans[2*g], spans[2*g+1])
	}
	err = p.each(thread, &sub, start, end, func(spans []int) (bool, error) {
		switch p.groups {
		case 0:
			out = append(out, group(spans, 0))
		case 1:
			out = append(out, group(spans, 1))
		default:
			t := make(starlark.Tuple, p.groups)
			for g := range t {
				t[g] = group(spans, g+1)
			}
			out = append(out, t)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return starlark.NewList(out), nil
}

// split is Pattern.split.
func (p *Pattern) split(thread *starlark.Thread, s, maxsplit starlark.Value) (starlark.Value, error) {
	limit := 0
	if maxsplit != nil {
		n, err := indexArg(maxsplit)
		if err != nil {
			return nil, err
		}
		limit = n
	}
	sub, err := newSubject(thread, p, s)
	if err != nil {
		return nil, err
	}
	defer sub.release()
	var out []starlark.Value
	if limit < 0 {
		return starlark.NewList([]starlark.Value{s}), nil
	}
	last, n := 0, 0
	err = p.each(thread, &sub, 0, len(sub.runes), func(spans []int) (bool, error) {
		if limit > 0 && n >= limit {
			return false, nil
		}
		out = append(out, slice(&sub, last, spans[0]))
		for g := 1; g <= p.groups; g++ {
			if spans[2*g] < 0 {
				out = append(out, starlark.None)
			} else {
				out = append(out, slice(&sub, spans[2*g], spans[2*g+1]))
			}
		}
		n++
		last = spans[1]
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	out = append(out, slice(&sub, last, len(sub.s)))
	return starlark.NewList(out), nil
}

// sub is Pattern.sub and (with counted) Pattern.subn.
func (p *Pattern) sub(thread *starlark.Thread, repl, s, count starlark.Value, counted bool) (starlark.Value, error) {
	limit := 0
	if count != nil {
		n, err := indexArg(count)
		if err != nil {
			return nil, err
		}
		limit = n
	}
	var tmpl *template
	callable, isCallable := repl.(starlark.Callable)
	if !isCallable {
		var err error
		if tmpl, err = p.parseTemplate(repl); err != nil {
			return nil, err
		}
	}
	sub, err := newSubject(thread, p, s)
	if err != nil {
		return nil, err
	}
	defer sub.release()
	var b strings.Builder
	last, n, items := 0, 0, 0
	if limit >= 0 {
		err = p.each(thread, &sub, 0, len(sub.runes), func(spans []int) (bool, error) {
			if limit > 0 && n >= limit {
				return false, nil
			}
			if last < spans[0] {
				b.WriteString(sub.s[last:spans[0]])
				items++
			}
			if tmpl != nil && tmpl.wrongType != "" {
				if err := tmpl.joinError(p.isBytes, items); err != nil {
					return false, err
				}
			}
			if tmpl != nil {
				tmpl.expand(&b, sub.s, spans)
				items++
			} else {
				m := newMatch(p, s, sub.s, 0, len(sub.s))
				copy(m.spans, spans)
				v, err := starlark.Call(thread, callable, starlark.Tuple{m}, nil)
				if err != nil {
					return false, err
				}
				switch v := v.(type) {
				case starlark.String:
					if p.isBytes {
						return false, py.Errorf(py.TypeError, "sequence item %d: expected a bytes-like object, str found", items)
					}
					b.WriteString(string(v))
					items++
				case py.Bytes:
					if !p.isBytes {
						return false, py.Errorf(py.TypeError, "sequence item %d: expected str instance, bytes found", items)
					}
					b.WriteString(string(v))
					items++
				case starlark.NoneType:
				default:
					if p.isBytes {
						return false, py.Errorf(py.TypeError, "sequence item %d: expected a bytes-like object, %s found", items, py.TypeName(v))
					}
					return false, py.Errorf(py.TypeError, "sequence item %d: expected str instance, %s found", items, py.TypeName(v))
				}
			}
			n++
			last = spans[1]
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	b.WriteString(sub.s[last:])
	result := slice(&subject{s: b.String(), isBytes: p.isBytes}, 0, b.Len())
	if counted {
		return starlark.Tuple{result, starlark.MakeInt(n)}, nil
	}
	return result, nil
}

// finditer is Pattern.finditer: an iterator that searches as it is
// advanced.
func (p *Pattern) finditer(thread *starlark.Thread, s, pos, endpos starlark.Value) (starlark.Value, error) {
	sub, err := newSubject(thread, p, s)
	if err != nil {
		return nil, err
	}
	start, end, err := bounds(&sub, pos, endpos)
	if err != nil {
		sub.release()
		return nil, err
	}
	// The iterator keeps its characters; they are not returned to the pool.
	it := &matchIterator{pat: p, thread: thread, sub: &sub, pos: start, start: start, end: end}
	return it, nil
}

// matchIterator is what finditer returns (CPython's callable_iterator).
type matchIterator struct {
	pat         *Pattern
	thread      *starlark.Thread
	sub         *subject
	pos         int // the search's first character
	start, end  int
	mustAdvance bool
	done        bool
}

var (
	_ starlark.Iterable = (*matchIterator)(nil)
	_ py.Nexter         = (*matchIterator)(nil)
)

func (it *matchIterator) String() string       { return fmt.Sprintf("<callable_iterator object at %p>", it) }
func (it *matchIterator) Type() string         { return "callable_iterator" }
func (it *matchIterator) Freeze()              {}
func (it *matchIterator) Truth() starlark.Bool { return true }
func (it *matchIterator) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: 'callable_iterator'")
}

// Next finds the next match (next(it) and for loops).
func (it *matchIterator) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	if it.done || it.start > it.end {
		it.done = true
		return nil, false, nil
	}
	p, sub := it.pat, it.sub
	m := newMatch(p, sub.value, sub.s, sub.byteOffset(it.pos), sub.byteOffset(it.end))
	found, err := p.find(thread, kindSearch, sub, it.start, it.end, it.mustAdvance, m.spans)
	if err != nil || !found {
		it.done = true
		return nil, false, err
	}
	it.mustAdvance = m.spans[0] == m.spans[1]
	it.start = sub.index(m.spans[1])
	return m, true, nil
}

// Iterate returns the iterator itself: iterating it consumes it.
func (it *matchIterator) Iterate() starlark.Iterator { return (*matchIteration)(it) }

type matchIteration matchIterator

func (it *matchIteration) Next(p *starlark.Value) bool {
	v, ok, err := (*matchIterator)(it).Next(it.thread)
	if err != nil {
		py.Fail(it.thread, err)
		return false
	}
	if ok {
		*p = v
	}
	return ok
}

func (it *matchIteration) Done() {}
