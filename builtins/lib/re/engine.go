package re

import (
	"context"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// engine is one regexp2 program of a pattern (searching, anchored at the
// start, anchored at both ends, or non-empty at the start). regexp2 sets
// a match's timeout per compiled Regexp, not per call, so an engine keeps
// one Regexp without a timeout, for executions nobody can cancel, and
// Regexps with timeouts of 100 ms, 200 ms, 400 ms..., compiled when first
// needed: a match that runs out of one is started again with the next,
// until the execution's context is done. A match that takes t costs at
// most about 2t, and a cancelled or timed-out execution stops within
// about its own running time (at the latest at the context's deadline).
type engine struct {
	expr  string
	opts  regexp2.RegexOptions
	plain *regexp2.Regexp

	mu    sync.Mutex                        // serialises additions to timed
	timed atomic.Pointer[[]*regexp2.Regexp] // read without the lock: a match reads it every time
}

// firstSlice is the timeout of an engine's first timed Regexp.
const firstSlice = 100 * time.Millisecond

// maxSliceLevel bounds the doubling of the timeouts (about 400 s).
const maxSliceLevel = 12

func newEngine(expr string, opts regexp2.RegexOptions) (*engine, error) {
	re, err := regexp2.Compile(expr, opts, regexp2.OptionMaxBacktrackingStackSize(-1))
	if err != nil {
		return nil, err
	}
	return &engine{expr: expr, opts: opts, plain: re}, nil
}

// withTimeout returns the Regexp whose timeout is firstSlice << level.
func (e *engine) withTimeout(level int) *regexp2.Regexp {
	if timed := e.timed.Load(); timed != nil && len(*timed) > level {
		return (*timed)[level]
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var timed []*regexp2.Regexp
	if t := e.timed.Load(); t != nil {
		timed = *t
	}
	for len(timed) <= level {
		re, err := regexp2.Compile(e.expr, e.opts, regexp2.OptionMaxBacktrackingStackSize(-1))
		if err != nil { // compiled once already, so never
			return e.plain
		}
		re.MatchTimeout = firstSlice << len(timed)
		timed = append(timed[:len(timed):len(timed)], re) // a new array: readers hold the old one
	}
	e.timed.Store(&timed)
	return timed[level]
}

// find calls yield with the first match in runes at or after start (one
// match only: yield's result is ignored), honouring ctx's cancellation.
func (e *engine) find(ctx context.Context, runes []rune, start int, yield func(regexp2.MatchView)) error {
	once := func(v regexp2.MatchView) bool { yield(v); return false }
	if ctx.Done() == nil {
		return e.plain.FindRunesMatches(runes, start, once)
	}
	for attempt := 0; ; attempt++ {
		if ctx.Err() != nil {
			return py.Interrupted(ctx)
		}
		level := min(attempt, maxSliceLevel)
		if deadline, ok := ctx.Deadline(); ok {
			for level > 0 && firstSlice<<level > time.Until(deadline) {
				level--
			}
		}
		err := e.withTimeout(level).FindRunesMatches(runes, start, once)
		if err == nil || !strings.HasPrefix(err.Error(), "match timeout") {
			return err
		}
	}
}

// subject is a string being searched: its characters for regexp2 and the
// byte offset of each, since kstar's str indexes count UTF-8 bytes.
type subject struct {
	value   starlark.Value // the str or bytes
	s       string
	isBytes bool
	runes   []rune
	offsets []int // byte offset of each character and of the end; nil when equal to the index
	buf     *[]rune
}

var runePool = sync.Pool{New: func() any { b := make([]rune, 0, 64); return &b }}

// newSubject decodes v, a str, bytes or bytearray, for pattern p; the caller
// releases it.
func newSubject(thread *starlark.Thread, p *Pattern, v starlark.Value) (subject, error) {
	sub := subject{value: v}
	switch v := v.(type) {
	case starlark.String:
		if p.isBytes {
			return sub, py.Errorf(py.TypeError, "cannot use a bytes pattern on a string-like object")
		}
		sub.s = string(v)
	case py.Bytes, *py.Bytearray: // a bytearray's groups are bytes, as Python's
		if !p.isBytes {
			return sub, py.Errorf(py.TypeError, "cannot use a string pattern on a bytes-like object")
		}
		sub.s, _ = py.BytesLike(v)
		sub.isBytes = true
	default:
		return sub, py.Errorf(py.TypeError, "expected string or bytes-like object, got '%s'", py.TypeName(v))
	}
	if len(sub.s) > 1<<16 { // its characters as runes, and their offsets
		if err := py.Reserve(thread, int64(len(sub.s))*12); err != nil {
			return sub, err
		}
	}
	sub.buf = runePool.Get().(*[]rune)
	runes := (*sub.buf)[:0]
	s := sub.s
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || sub.isBytes {
		for i := 0; i < len(s); i++ {
			runes = append(runes, rune(s[i]))
		}
	} else {
		sub.offsets = make([]int, 0, len(s)+1)
		for i, r := range s {
			runes = append(runes, r)
			sub.offsets = append(sub.offsets, i)
		}
		sub.offsets = append(sub.offsets, len(s))
	}
	sub.runes = runes
	return sub, nil
}

// release returns the subject's buffer to the pool.
func (sub *subject) release() {
	*sub.buf = sub.runes[:0]
	runePool.Put(sub.buf)
	sub.runes = nil
}

// byteOffset is the byte offset of character i.
func (sub *subject) byteOffset(i int) int {
	if sub.offsets == nil {
		return i
	}
	return sub.offsets[i]
}

// index is the character at or after byte offset b (clamped to the
// string, as Python clamps pos and endpos).
func (sub *subject) index(b int) int {
	if b < 0 {
		b = 0
	}
	if sub.offsets == nil {
		return min(b, len(sub.runes))
	}
	return sort.SearchInts(sub.offsets, b)
}

// Search kinds.
const (
	kindSearch = iota
	kindMatch
	kindFull
)

// find looks for a match of kind in sub's characters [start, end) and
// stores its groups' byte offsets in spans (-1 for a group that did not
// take part). mustAdvance refuses an empty match at start, as CPython's
// iteration after an empty match does.
func (p *Pattern) find(thread *starlark.Thread, kind int, sub *subject, start, end int, mustAdvance bool, spans []int) (bool, error) {
	if start > end {
		return false, nil
	}
	ctx := py.ContextOf(thread)
	runes := sub.runes[:end]
	found := false
	record := func(v regexp2.MatchView) {
		found = true
		for g := 0; g <= p.groups; g++ {
			i, n, ok := v.GroupRange(g)
			if !ok {
				spans[2*g], spans[2*g+1] = -1, -1
				continue
			}
			spans[2*g], spans[2*g+1] = sub.byteOffset(i), sub.byteOffset(i+n)
		}
	}
	eng, err := p.engine(kind)
	if err != nil {
		return false, err
	}
	if mustAdvance {
		nonEmpty, err := p.engine(kindNonEmpty)
		if err != nil {
			return false, err
		}
		if err := nonEmpty.find(ctx, runes, start, record); err != nil || found {
			return found, err
		}
		if start++; start > end {
			return false, nil
		}
	}
	err = eng.find(ctx, runes, start, record)
	return found, err
}
