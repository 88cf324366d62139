package re

import (
	"fmt"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Match is re.Match, the result of a successful match. Its positions are
// str indexes as kstar counts them: UTF-8 bytes when the text is not
// ASCII, so s[m.start():m.end()] == m.group() always holds.
type Match struct {
	pat         *Pattern
	str         starlark.Value // the str or bytes searched
	s           string
	spans       []int // start and end of each group, -1 for a group that did not match
	pos, endpos int
	inline      [8]int // the spans of up to three groups, in the same allocation
}

// newMatch makes a Match of p over str (whose text is s), with room for
// its spans.
func newMatch(p *Pattern, str starlark.Value, s string, pos, endpos int) *Match {
	m := &Match{pat: p, str: str, s: s, pos: pos, endpos: endpos}
	if n := 2 * (p.groups + 1); n <= len(m.inline) {
		m.spans = m.inline[:n]
	} else {
		m.spans = make([]int, n)
	}
	return m
}

var (
	_ starlark.HasAttrs = (*Match)(nil)
	_ starlark.Mapping  = (*Match)(nil)
)

// String is CPython's repr: <re.Match object; span=(0, 3), match='abc'>.
func (m *Match) String() string {
	return fmt.Sprintf("<re.Match object; span=(%d, %d), match=%s>", m.spans[0], m.spans[1], py.Repr(m.groupValue(0, starlark.None)))
}
func (m *Match) Type() string          { return "re.Match" }
func (m *Match) Freeze()               {}
func (m *Match) Truth() starlark.Bool  { return true }
func (m *Match) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: 're.Match'") }

// groupValue is the text of group g, or def when it did not match.
func (m *Match) groupValue(g int, def starlark.Value) starlark.Value {
	i, j := m.spans[2*g], m.spans[2*g+1]
	if i < 0 {
		return def
	}
	if m.pat.isBytes {
		return py.Bytes(m.s[i:j])
	}
	return starlark.String(m.s[i:j])
}

// groupIndex resolves a group argument (a number or a name).
func (m *Match) groupIndex(v starlark.Value) (int, error) {
	switch v := v.(type) {
	case starlark.Int:
		if n, ok := v.Int64(); ok && n >= 0 && n <= int64(m.pat.groups) {
			return int(n), nil
		}
	case starlark.Bool:
		if v {
			return m.groupIndex(starlark.MakeInt(1))
		}
		return 0, nil
	case starlark.String:
		if g, ok := m.pat.names[string(v)]; ok {
			return g, nil
		}
	}
	return 0, py.Errorf(py.IndexError, "no such group")
}

// Get is m[g]: the same as m.group(g).
func (m *Match) Get(k starlark.Value) (starlark.Value, bool, error) {
	g, err := m.groupIndex(k)
	if err != nil {
		return nil, false, err
	}
	return m.groupValue(g, starlark.None), true, nil
}

func (m *Match) AttrNames() []string {
	return []string{"end", "endpos", "expand", "group", "groupdict", "groups", "lastgroup", "lastindex", "pos", "re", "regs", "span", "start", "string"}
}

// lastIndex is the number of the group that closed last: of the groups
// that took part, the one ending last; of those ending together, the
// one containing the others, or else the later one.
func (m *Match) lastIndex() int {
	best := 0
	for g := 1; g <= m.pat.groups; g++ {
		if m.spans[2*g] < 0 {
			continue
		}
		if best == 0 || m.spans[2*g+1] > m.spans[2*best+1] {
			best = g
			continue
		}
		if m.spans[2*g+1] == m.spans[2*best+1] && !m.pat.contains(best, g) {
			best = g
		}
	}
	return best
}

// contains reports whether group outer encloses group inner.
func (p *Pattern) contains(outer, inner int) bool {
	for g := p.parents[inner]; g != 0; g = p.parents[g] {
		if g == outer {
			return true
		}
	}
	return false
}

// Attr returns the attributes and bound methods of re.Match.
func (m *Match) Attr(name string) (starlark.Value, error) {
	switch name {
	case "string":
		return m.str, nil
	case "re":
		return m.pat, nil
	case "pos":
		return starlark.MakeInt(m.pos), nil
	case "endpos":
		return starlark.MakeInt(m.endpos), nil
	case "lastindex":
		if g := m.lastIndex(); g > 0 {
			return starlark.MakeInt(g), nil
		}
		return starlark.None, nil
	case "lastgroup":
		if g := m.lastIndex(); g > 0 && m.pat.groupName[g] != "" {
			return starlark.String(m.pat.groupName[g]), nil
		}
		return starlark.None, nil
	case "regs":
		regs := make(starlark.Tuple, m.pat.groups+1)
		for g := range regs {
			regs[g] = starlark.Tuple{starlark.MakeInt(m.spans[2*g]), starlark.MakeInt(m.spans[2*g+1])}
		}
		return regs, nil
	case "group":
		return method(name, m, func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(kwargs) > 0 {
				return nil, py.Errorf(py.TypeError, "group() takes no keyword arguments")
			}
			if len(args) == 0 {
				return m.groupValue(0, starlark.None), nil
			}
			out := make(starlark.Tuple, len(args))
			for i, a := range args {
				g, err := m.groupIndex(a)
				if err != nil {
					return nil, err
				}
				out[i] = m.groupValue(g, starlark.None)
			}
			if len(out) == 1 {
				return out[0], nil
			}
			return out, nil
		}), nil
	case "groups", "groupdict":
		return method(name, m, func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var def starlark.Value
			if err := unpackMethod(name, args, kwargs, []string{"default"}, 0, &def); err != nil {
				return nil, err
			}
			if def == nil {
				def = starlark.None
			}
			if name == "groups" {
				out := make(starlark.Tuple, m.pat.groups)
				for g := range out {
					out[g] = m.groupValue(g+1, def)
				}
				return out, nil
			}
			d := starlark.NewDict(len(m.pat.nameOrder))
			for _, n := range m.pat.nameOrder {
				_ = d.SetKey(starlark.String(n), m.groupValue(m.pat.names[n], def))
			}
			return d, nil
		}), nil
	case "start", "end", "span":
		return method(name, m, func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(kwargs) > 0 {
				return nil, py.Errorf(py.TypeError, "%s() takes no keyword arguments", name)
			}
			if len(args) > 1 {
				return nil, py.Errorf(py.TypeError, "%s expected at most 1 argument, got %d", name, len(args))
			}
			g := 0
			if len(args) == 1 {
				var err error
				if g, err = m.groupIndex(args[0]); err != nil {
					return nil, err
				}
			}
			i, j := starlark.MakeInt(m.spans[2*g]), starlark.MakeInt(m.spans[2*g+1])
			switch name {
			case "start":
				return i, nil
			case "end":
				return j, nil
			}
			return starlark.Tuple{i, j}, nil
		}), nil
	case "expand":
		return method(name, m, func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var tv starlark.Value
			if err := unpackMethod(name, args, kwargs, []string{"template"}, 1, &tv); err != nil {
				return nil, err
			}
			t, err := m.pat.parseTemplate(tv)
			if err != nil {
				return nil, err
			}
			var b strings.Builder
			t.expand(&b, m.s, m.spans)
			if m.pat.isBytes {
				return py.Bytes(b.String()), nil
			}
			return starlark.String(b.String()), nil
		}), nil
	}
	return nil, nil
}

// template is a parsed replacement string of sub() or expand(): literal
// text and group references, in order.
type template struct {
	literals []string // literal text before each group, then after the last
	groups   []int
	// wrongType is the type of a replacement of the other kind than the
	// pattern ("bytes" for a str pattern): CPython parses it and fails
	// only when the first match's pieces are joined.
	wrongType string
}

// joinError is the TypeError CPython's join raises for a template of the
// wrong type: item is the index of the result piece before it when the
// template is literal text only.
func (t *template) joinError(isBytes bool, item int) error {
	if len(t.groups) > 0 {
		// CPython joins the literals with the groups between them: the
		// first literal that is not empty fails, after the groups before it.
		item = -1
		for i, lit := range t.literals {
			if lit != "" {
				item = i
				break
			}
		}
		if item < 0 {
			return nil
		}
	}
	if isBytes {
		return py.Errorf(py.TypeError, "sequence item %d: expected a bytes-like object, %s found", item, t.wrongType)
	}
	return py.Errorf(py.TypeError, "sequence item %d: expected str instance, %s found", item, t.wrongType)
}

// expand appends the template for a match of s with spans.
func (t *template) expand(b *strings.Builder, s string, spans []int) {
	for i, g := range t.groups {
		b.WriteString(t.literals[i])
		if spans[2*g] >= 0 {
			b.WriteString(s[spans[2*g]:spans[2*g+1]])
		}
	}
	b.WriteString(t.literals[len(t.groups)])
}

// parseTemplate is re._parser.parse_template: \n and the other escapes,
// \1 to \99, \g<name>, \g<number>, octal escapes; an unknown escape of an
// ASCII letter is an error and other unknown escapes stay as written.
func (p *Pattern) parseTemplate(repl starlark.Value) (*template, error) {
	t := &template{}
	var text string
	var isText bool
	switch v := repl.(type) {
	case starlark.String:
		text, isText = string(v), true
		if p.isBytes {
			t.wrongType = "str"
		}
	case py.Bytes:
		text, isText = string(v), false
		if !p.isBytes {
			t.wrongType = "bytes"
		}
	default:
		return nil, py.Errorf(py.TypeError, "decoding to str: need a bytes-like object, %s found", py.TypeName(repl))
	}
	if !strings.Contains(text, `\`) {
		t.literals = []string{text}
		return t, nil
	}
	s, err := newTokenizer(text, isText)
	if err != nil {
		return nil, patternErr(err)
	}
	var lit strings.Builder
	writeChar := func(r rune) {
		if !isText {
			lit.WriteByte(byte(r))
		} else {
			lit.WriteRune(r)
		}
	}
	addGroup := func(g, offset int) error {
		if g > p.groups {
			return s.error(fmt.Sprintf("invalid group reference %d", g), offset)
		}
		t.literals = append(t.literals, lit.String())
		lit.Reset()
		t.groups = append(t.groups, g)
		return nil
	}
	for {
		this, err := s.get()
		if err != nil {
			return nil, patternErr(err)
		}
		if this == "" {
			break
		}
		rs := []rune(this)
		if rs[0] != '\\' {
			writeChar(rs[0])
			continue
		}
		c := rs[1]
		switch {
		case c == 'g':
			if ok, err := s.match("<"); err != nil {
				return nil, patternErr(err)
			} else if !ok {
				return nil, patternErr(s.error("missing <", 0))
			}
			name, err := s.getuntil(">", "group name")
			if err != nil {
				return nil, patternErr(err)
			}
			var g int
			if isIdentifier(name) {
				var ok bool
				if g, ok = p.names[name]; !ok {
					return nil, py.Errorf(py.IndexError, "unknown group name %s", pyQuote(name))
				}
			} else {
				n, err := strconv.ParseUint(name, 10, 64)
				if err != nil || !isASCIIDigits(name) {
					return nil, patternErr(s.error(fmt.Sprintf("bad character in group name %s", pyQuote(name)), tokenLen(name)+1))
				}
				if n >= maxGroups {
					return nil, patternErr(s.error(fmt.Sprintf("invalid group reference %d", n), tokenLen(name)+1))
				}
				g = int(n)
			}
			if err := addGroup(g, tokenLen(name)+1); err != nil {
				return nil, patternErr(err)
			}
		case c == '0':
			digits := "0"
			for i := 0; i < 2 && s.next != "" && strings.Contains(octDigits, s.next); i++ {
				d, _ := s.get()
				digits += d
			}
			n, _ := strconv.ParseUint(digits, 8, 32)
			writeChar(rune(n & 0xff))
		case c >= '1' && c <= '9':
			esc := string(c)
			octal := false
			if s.next != "" && strings.Contains(digits, s.next) {
				d, _ := s.get()
				esc += d
				if c <= '7' && esc[1] <= '7' && s.next != "" && strings.Contains(octDigits, s.next) {
					d, _ := s.get()
					esc += d
					octal = true
					n, _ := strconv.ParseUint(esc, 8, 32)
					if n > 0o377 {
						return nil, patternErr(s.error(fmt.Sprintf("octal escape value \\%s outside of range 0-0o377", esc), len(esc)+1))
					}
					writeChar(rune(n))
				}
			}
			if !octal {
				g, _ := strconv.Atoi(esc)
				if err := addGroup(g, len(esc)); err != nil {
					return nil, patternErr(err)
				}
			}
		default:
			if r, ok := simpleEscapes[c]; ok {
				writeChar(r)
			} else if c == 'b' {
				writeChar('\b')
			} else if c < 0x80 && isASCIILetter(byte(c)) {
				return nil, patternErr(s.error("bad escape "+this, 2))
			} else {
				writeChar('\\')
				writeChar(c)
			}
		}
	}
	t.literals = append(t.literals, lit.String())
	return t, nil
}
