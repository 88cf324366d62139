package re

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/runenames"
)

// The parsed Python pattern is written out in regexp2's (.NET) syntax,
// which has the same groups, lookarounds, atomic groups, conditionals and
// backreferences but differs in the details this file takes care of:
//
//   - groups are written unnamed, so they are numbered left to right as
//     Python numbers them (.NET numbers named groups last); the names stay
//     on the Pattern;
//   - \w, \s and their negations are written as the sets Python means
//     (letters, numbers and "_"; str.isspace), not .NET's; under re.ASCII
//     and in bytes patterns \w \d \s are ASCII;
//   - \Z is .NET's \z; \b and \B under re.ASCII are lookarounds over
//     [a-zA-Z0-9_];
//   - {,n} is {0,n}; possessive repeats are atomic groups;
//   - verbose whitespace and comments, and the a/u/x inline flags, are
//     handled while parsing; i, m and s are passed on.
//
// Every literal is escaped, so nothing in Python's syntax reaches
// regexp2 with another meaning.

// translate writes n in regexp2's syntax.
func translate(n *node) string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case nLiteral:
		writeLiteral(b, n.r)
	case nAny:
		b.WriteByte('.')
	case nCategory:
		writeCategory(b, n.cat, n.ascii)
	case nClass:
		b.WriteByte('[')
		if n.negate {
			b.WriteByte('^')
		}
		for _, it := range n.items {
			if it.cat != 0 {
				writeClassCategory(b, it.cat, it.ascii)
				continue
			}
			writeLiteral(b, it.lo)
			if it.hi != it.lo {
				b.WriteByte('-')
				writeLiteral(b, it.hi)
			}
		}
		b.WriteByte(']')
	case nAt:
		switch n.cat {
		case '^':
			b.WriteByte('^')
		case '$':
			b.WriteByte('$')
		case 'A':
			b.WriteString(`\A`)
		case 'Z':
			b.WriteString(`\z`)
		case 'b', 'B':
			if !n.ascii {
				b.WriteString(`\` + string(n.cat))
			} else if n.cat == 'b' {
				b.WriteString(`(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))`)
			} else {
				b.WriteString(`(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))`)
			}
		}
	case nGroup:
		if n.group > 0 {
			b.WriteByte('(')
		} else {
			b.WriteString("(?")
			b.WriteString(dotnetFlags(n.add))
			if del := dotnetFlags(n.del); del != "" {
				b.WriteString("-" + del)
			}
			b.WriteByte(':')
		}
		n.subs[0].write(b)
		b.WriteByte(')')
	case nAssert:
		b.WriteString("(?")
		if n.behind {
			b.WriteByte('<')
		}
		if n.negate {
			b.WriteByte('!')
		} else {
			b.WriteByte('=')
		}
		n.subs[0].write(b)
		b.WriteByte(')')
	case nAtomic:
		b.WriteString("(?>")
		n.subs[0].write(b)
		b.WriteByte(')')
	case nRepeat:
		if n.mode == possessive {
			b.WriteString("(?>")
		}
		sub := n.subs[0]
		switch sub.kind {
		case nLiteral, nAny, nCategory, nClass, nGroup, nAtomic:
			sub.write(b)
		default:
			b.WriteString("(?:")
			sub.write(b)
			b.WriteByte(')')
		}
		writeQuantifier(b, n.min, n.max)
		if n.mode == lazy {
			b.WriteByte('?')
		}
		if n.mode == possessive {
			b.WriteByte(')')
		}
	case nSeq:
		for _, s := range n.subs {
			s.write(b)
		}
	case nBranch:
		for i, s := range n.subs {
			if i > 0 {
				b.WriteByte('|')
			}
			s.write(b)
		}
	case nGroupRef:
		fmt.Fprintf(b, `\k<%d>`, n.group)
	case nCond:
		fmt.Fprintf(b, "(?(%d)", n.group)
		n.subs[0].write(b)
		if n.subs[1] != nil {
			b.WriteByte('|')
			n.subs[1].write(b)
		}
		b.WriteByte(')')
	}
}

// dotnetFlags are the letters of the inline flags .NET shares with
// Python (the others are applied while parsing).
func dotnetFlags(flags int) string {
	var s string
	if flags&flagIgnoreCase != 0 {
		s += "i"
	}
	if flags&flagMultiline != 0 {
		s += "m"
	}
	if flags&flagDotAll != 0 {
		s += "s"
	}
	return s
}

func writeQuantifier(b *strings.Builder, min, max int) {
	// .NET counts with int32; beyond that a count is unbounded in practice.
	if max > math.MaxInt32 && max != maxRepeat {
		max = math.MaxInt32
	}
	if min > math.MaxInt32 {
		min = math.MaxInt32
	}
	switch {
	case min == 0 && max == maxRepeat:
		b.WriteByte('*')
	case min == 1 && max == maxRepeat:
		b.WriteByte('+')
	case min == 0 && max == 1:
		b.WriteByte('?')
	case max == maxRepeat:
		fmt.Fprintf(b, "{%d,}", min)
	case min == max:
		fmt.Fprintf(b, "{%d}", min)
	default:
		fmt.Fprintf(b, "{%d,%d}", min, max)
	}
}

// writeLiteral writes r so that it means r alone, in or out of a set:
// ASCII letters and digits as themselves, other ASCII escaped, the rest
// as \uXXXX or (beyond the BMP) the character.
func writeLiteral(b *strings.Builder, r rune) {
	switch {
	case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'):
		b.WriteRune(r)
	case r > 0x20 && r < 0x7f:
		b.WriteByte('\\')
		b.WriteRune(r)
	case r <= 0xffff:
		fmt.Fprintf(b, `\u%04X`, r)
	default:
		b.WriteRune(r)
	}
}

// pySpace is what Python's \s matches in a str pattern (str.isspace).
const pySpace = `\t-\r\u001C-\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`

// writeCategory writes \d \D \s \S \w \W outside a set.
func writeCategory(b *strings.Builder, cat rune, ascii bool) {
	switch {
	case cat == 'd' && !ascii:
		b.WriteString(`\d`)
	case cat == 'D' && !ascii:
		b.WriteString(`\D`)
	case unicode.IsLower(cat):
		b.WriteString("[" + categorySet(cat, ascii) + "]")
	default:
		b.WriteString("[^" + categorySet(unicode.ToLower(cat), ascii) + "]")
	}
}

// categorySet is the inside of a set for \d \s \w.
func categorySet(cat rune, ascii bool) string {
	switch {
	case cat == 'd' && ascii:
		return `0-9`
	case cat == 'd':
		return `\d`
	case cat == 's' && ascii:
		return `\t-\r\u0020`
	case cat == 's':
		return pySpace
	case ascii:
		return `a-zA-Z0-9_`
	default:
		return `\p{L}\p{N}_`
	}
}

// writeClassCategory writes a category inside a set. .NET's own \W and \S
// are not Python's, and a set cannot hold a negated set, so \W and \S
// are written as the ranges outside \w and \s.
func writeClassCategory(b *strings.Builder, cat rune, ascii bool) {
	switch cat {
	case 'd', 's', 'w':
		b.WriteString(categorySet(cat, ascii))
	case 'D':
		if ascii {
			writeRanges(b, complement([]unicode.Range32{{Lo: '0', Hi: '9', Stride: 1}}))
		} else {
			b.WriteString(`\D`)
		}
	case 'S':
		if ascii {
			writeRanges(b, complement([]unicode.Range32{{Lo: '\t', Hi: '\r', Stride: 1}, {Lo: ' ', Hi: ' ', Stride: 1}}))
		} else {
			writeRanges(b, notSpace())
		}
	case 'W':
		if ascii {
			writeRanges(b, complement([]unicode.Range32{{Lo: '0', Hi: '9', Stride: 1}, {Lo: 'A', Hi: 'Z', Stride: 1}, {Lo: '_', Hi: '_', Stride: 1}, {Lo: 'a', Hi: 'z', Stride: 1}}))
		} else {
			writeRanges(b, notWord())
		}
	}
}

func writeRanges(b *strings.Builder, ranges []unicode.Range32) {
	for _, r := range ranges {
		writeLiteral(b, rune(r.Lo))
		if r.Hi != r.Lo {
			b.WriteByte('-')
			writeLiteral(b, rune(r.Hi))
		}
	}
}

// notWord and notSpace are the characters outside Python's \w (letters,
// numbers, "_") and \s, as ranges; made once, when a set first needs them.
var (
	notWord = sync.OnceValue(func() []unicode.Range32 {
		return complement(rangesOf(unicode.L, unicode.N, &unicode.RangeTable{R16: []unicode.Range16{{Lo: '_', Hi: '_', Stride: 1}}}))
	})
	notSpace = sync.OnceValue(func() []unicode.Range32 {
		return complement([]unicode.Range32{{Lo: 0x9, Hi: 0xd, Stride: 1}, {Lo: 0x1c, Hi: 0x20, Stride: 1},
			{Lo: 0x85, Hi: 0x85, Stride: 1}, {Lo: 0xa0, Hi: 0xa0, Stride: 1}, {Lo: 0x1680, Hi: 0x1680, Stride: 1},
			{Lo: 0x2000, Hi: 0x200a, Stride: 1}, {Lo: 0x2028, Hi: 0x2029, Stride: 1}, {Lo: 0x202f, Hi: 0x202f, Stride: 1},
			{Lo: 0x205f, Hi: 0x205f, Stride: 1}, {Lo: 0x3000, Hi: 0x3000, Stride: 1}})
	})
)

// rangesOf merges range tables into sorted, disjoint ranges of stride 1.
func rangesOf(tables ...*unicode.RangeTable) []unicode.Range32 {
	var in []unicode.Range32
	add := func(lo, hi, stride uint32) {
		if stride == 1 {
			in = append(in, unicode.Range32{Lo: lo, Hi: hi, Stride: 1})
			return
		}
		for c := lo; c <= hi; c += stride {
			in = append(in, unicode.Range32{Lo: c, Hi: c, Stride: 1})
		}
	}
	for _, t := range tables {
		for _, r := range t.R16 {
			add(uint32(r.Lo), uint32(r.Hi), uint32(r.Stride))
		}
		for _, r := range t.R32 {
			add(r.Lo, r.Hi, r.Stride)
		}
	}
	slices.SortFunc(in, func(a, b unicode.Range32) int { return cmp.Compare(a.Lo, b.Lo) })
	var out []unicode.Range32
	for _, r := range in {
		if n := len(out); n > 0 && r.Lo <= out[n-1].Hi+1 {
			out[n-1].Hi = max(out[n-1].Hi, r.Hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

// complement returns the ranges of all characters outside the sorted,
// disjoint ranges rs.
func complement(rs []unicode.Range32) []unicode.Range32 {
	var out []unicode.Range32
	next := uint32(0)
	for _, r := range rs {
		if r.Lo > next {
			out = append(out, unicode.Range32{Lo: next, Hi: r.Lo - 1, Stride: 1})
		}
		next = r.Hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, unicode.Range32{Lo: next, Hi: unicode.MaxRune, Stride: 1})
	}
	return out
}

// runesByName maps Unicode character names to characters, for \N{...};
// made once, when a pattern first uses \N.
var runesByName = sync.OnceValue(func() map[string]rune {
	m := make(map[string]rune, 40000)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if name := runenames.Name(r); name != "" && name[0] != '<' {
			m[name] = r
		}
	}
	return m
})

// lookupRuneName is unicodedata.lookup for \N{name}: names are matched
// without regard to case.
func lookupRuneName(name string) (rune, bool) {
	r, ok := runesByName()[strings.ToUpper(name)]
	return r, ok
}
