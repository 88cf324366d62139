package re

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Python's regular expression flags (re.RegexFlag), by value.
const (
	flagTemplate   = 1
	flagIgnoreCase = 2
	flagLocale     = 4
	flagMultiline  = 8
	flagDotAll     = 16
	flagUnicode    = 32
	flagVerbose    = 64
	flagDebug      = 128
	flagASCII      = 256

	typeFlags   = flagASCII | flagLocale | flagUnicode
	globalFlags = flagDebug | flagTemplate
)

// inlineFlags are the letters of (?aiLmsux) and their flags.
var inlineFlags = map[rune]int{
	'i': flagIgnoreCase, 'L': flagLocale, 'm': flagMultiline, 's': flagDotAll,
	'x': flagVerbose, 'a': flagASCII, 't': flagTemplate, 'u': flagUnicode,
}

// maxRepeat is CPython's _sre.MAXREPEAT: a bound at or above it is
// "the repetition number is too large"; as a maximum it means unbounded.
const maxRepeat = 1<<32 - 1

// maxGroups bounds the number of groups, as CPython's MAXGROUPS does on
// 64-bit builds (a smaller number here: regexp2 numbers groups with int).
const maxGroups = 1<<31 - 1

// patternError is CPython's re.error: a message and the position in the
// pattern it is about (-1 for none, as for look-behind width errors).
type patternError struct {
	msg     string
	pattern string // the pattern's text, to count lines
	isText  bool   // a str pattern (or template), not bytes
	pos     int    // byte offset in the pattern, or -1
}

// Error is str(re.error): "msg at position N", with "(line L, column C)"
// when the pattern spans several lines.
func (e *patternError) Error() string { return e.exception().Msg }

// valueError is a pattern problem CPython reports as ValueError (flag
// combinations checked after parsing).
type valueError struct{ msg string }

func (e *valueError) Error() string { return e.msg }

// overflowError is CPython's OverflowError for repeat counts.
type overflowError struct{ msg string }

func (e *overflowError) Error() string { return e.msg }

// The node kinds of a parsed pattern, after sre_parse's opcodes.
type nodeKind uint8

const (
	nLiteral  nodeKind = iota // r
	nAny                      // .
	nClass                    // [...]: negate, items
	nCategory                 // \d \D \s \S \w \W: cat, ascii
	nAt                       // ^ $ \A \Z \b \B: cat, ascii
	nGroup                    // (...), (?:...), (?i:...): group (0 if none), add, del, subs[0]
	nAssert                   // lookaround: behind, negate, subs[0]
	nAtomic                   // (?>...): subs[0]
	nRepeat                   // min, max, mode, subs[0]
	nSeq                      // subs
	nBranch                   // subs: alternatives
	nGroupRef                 // group
	nCond                     // (?(group)yes|no): group, subs[0], subs[1] (nil: none)
)

// Repeat modes.
const (
	greedy = iota
	lazy
	possessive
)

// node is one element of a parsed pattern.
type node struct {
	kind     nodeKind
	r        rune
	cat      rune // category or anchor letter
	ascii    bool // \w \d \s \b under re.ASCII or in a bytes pattern
	negate   bool
	behind   bool
	mode     int
	group    int
	add, del int
	min, max int
	items    []classItem
	subs     []*node
}

// classItem is one member of a character set: a rune range (lo == hi for
// one rune) or a category (cat != 0).
type classItem struct {
	lo, hi rune
	cat    rune
	ascii  bool
}

// parsed is a pattern after parsing: its tree, its flags with the inline
// global ones, and its groups.
type parsed struct {
	root      *node
	flags     int
	groups    int            // capturing groups
	names     map[string]int // group name -> number
	nameOrder []string       // names by definition order
	parents   []int          // parent group of each group, 0 for none
}

// parser reads a Python pattern as sre_parse does: a token is one
// character or a backslash and the character after it.
type parser struct {
	text   string // the pattern as written, for errors
	src    []rune // its characters (bytes patterns: one per byte)
	off    []int  // byte offset of each character, and the length
	isText bool   // a str pattern

	index int    // index of the character after next
	next  string // the lookahead token, "" at the end

	flags        int
	groupWidths  [][2]int // per group number (index 0 unused): widths once closed
	groupClosed  []bool
	groupParent  []int
	openGroups   []int // the stack of open capturing groups
	names        map[string]int
	nameOrder    []string
	grouprefpos  map[int]int
	lookbehindAt int // first group inside the current look-behind, -1 outside
	ascii        bool
}

// parsePattern parses pattern (its text and whether it is a str pattern)
// with flags, as sre_parse.parse does, reporting errors as CPython does.
func parsePattern(text string, isText bool, flags int) (*parsed, error) {
	p, err := newTokenizer(text, isText)
	if err != nil {
		return nil, err
	}
	p.flags, p.names, p.grouprefpos, p.lookbehindAt = flags, map[string]int{}, map[int]int{}, -1
	p.groupWidths = [][2]int{{0, 0}}
	p.groupClosed = []bool{true}
	p.groupParent = []int{0}
	p.ascii = flags&flagASCII != 0 || !isText
	root, err := p.parseSub(flags&flagVerbose != 0, 0)
	if err != nil {
		return nil, err
	}
	if err := p.fixFlags(); err != nil {
		return nil, err
	}
	if p.next != "" {
		return nil, p.error("unbalanced parenthesis", 0)
	}
	if err := p.checkLookbehinds(root); err != nil {
		return nil, err
	}
	for g, pos := range p.grouprefpos {
		if g >= p.groups() {
			return nil, &patternError{msg: fmt.Sprintf("invalid group reference %d", g), pattern: text, isText: isText, pos: p.off[pos]}
		}
	}
	return &parsed{root: root, flags: p.flags, groups: p.groups() - 1, names: p.names,
		nameOrder: p.nameOrder, parents: p.groupParent}, nil
}

// newTokenizer reads text (a pattern or a template) with the parser's
// tokenizer.
func newTokenizer(text string, isText bool) (*parser, error) {
	p := &parser{text: text, isText: isText}
	if isText {
		for i, r := range text {
			p.src = append(p.src, r)
			p.off = append(p.off, i)
		}
	} else {
		for i := 0; i < len(text); i++ {
			p.src = append(p.src, rune(text[i]))
			p.off = append(p.off, i)
		}
	}
	p.off = append(p.off, len(text))
	return p, p.advance()
}

// groups is sre_parse's state.groups: the number of groups plus one.
func (p *parser) groups() int { return len(p.groupWidths) }

// fixFlags is sre_parse.fix_flags.
func (p *parser) fixFlags() error {
	if p.isText {
		if p.flags&flagLocale != 0 {
			return &valueError{"cannot use LOCALE flag with a str pattern"}
		}
		if p.flags&flagASCII == 0 {
			p.flags |= flagUnicode
		} else if p.flags&flagUnicode != 0 {
			return &valueError{"ASCII and UNICODE flags are incompatible"}
		}
		return nil
	}
	if p.flags&flagUnicode != 0 {
		return &valueError{"cannot use UNICODE flag with a bytes pattern"}
	}
	if p.flags&flagLocale != 0 && p.flags&flagASCII != 0 {
		return &valueError{"ASCII and LOCALE flags are incompatible"}
	}
	return nil
}

// advance reads the next token into p.next.
func (p *parser) advance() error {
	if p.index >= len(p.src) {
		p.next = ""
		return nil
	}
	c := p.src[p.index]
	if c == '\\' {
		if p.index+1 >= len(p.src) {
			return &patternError{msg: "bad escape (end of pattern)", pattern: p.text, isText: p.isText, pos: p.off[len(p.src)-1]}
		}
		p.next = string([]rune{c, p.src[p.index+1]})
		p.index += 2
		return nil
	}
	p.next = string(c)
	p.index++
	return nil
}

// tokenLen is the length of a token in characters.
func tokenLen(tok string) int { return utf8.RuneCountInString(tok) }

// tell is the character index of the lookahead token.
func (p *parser) tell() int { return p.index - tokenLen(p.next) }

// seek moves back to character index i.
func (p *parser) seek(i int) error {
	p.index = i
	return p.advance()
}

// get consumes and returns the lookahead token ("" at the end).
func (p *parser) get() (string, error) {
	tok := p.next
	return tok, p.advance()
}

// match consumes the lookahead token if it is tok.
func (p *parser) match(tok string) (bool, error) {
	if p.next != "" && p.next == tok {
		return true, p.advance()
	}
	return false, nil
}

// getwhile consumes up to n single-character tokens from set.
func (p *parser) getwhile(n int, set string) (string, error) {
	var b strings.Builder
	for i := 0; i < n; i++ {
		c := p.next
		if c == "" || tokenLen(c) != 1 || !strings.Contains(set, c) {
			break
		}
		b.WriteString(c)
		if err := p.advance(); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// getuntil consumes tokens up to terminator, for a name.
func (p *parser) getuntil(terminator, name string) (string, error) {
	var b strings.Builder
	for {
		c := p.next
		if err := p.advance(); err != nil {
			return "", err
		}
		if c == "" {
			if b.Len() == 0 {
				return "", p.error("missing "+name, 0)
			}
			return "", p.error(fmt.Sprintf("missing %s, unterminated name", terminator), tokenLen(b.String()))
		}
		if c == terminator {
			if b.Len() == 0 {
				return "", p.error("missing "+name, 1)
			}
			return b.String(), nil
		}
		b.WriteString(c)
	}
}

// error is sre_parse's source.error: the position is offset characters
// before the lookahead token.
func (p *parser) error(msg string, offset int) error {
	i := p.tell() - offset
	if i < 0 {
		i = 0
	}
	return &patternError{msg: msg, pattern: p.text, isText: p.isText, pos: p.off[i]}
}

// checkGroupName is sre_parse's checkgroupname.
func (p *parser) checkGroupName(name string, offset int) error {
	if !isIdentifier(name) {
		return p.error(fmt.Sprintf("bad character in group name %s", pyQuote(name)), tokenLen(name)+offset)
	}
	return nil
}

// checkGroup reports whether group gid exists and is closed.
func (p *parser) checkGroup(gid int) bool { return gid < p.groups() && p.groupClosed[gid] }

// checkLookbehindGroup is sre_parse's checklookbehindgroup.
func (p *parser) checkLookbehindGroup(gid int) error {
	if p.lookbehindAt >= 0 {
		if !p.checkGroup(gid) {
			return p.error("cannot refer to an open group", 0)
		}
		if gid >= p.lookbehindAt {
			return p.error("cannot refer to group defined in the same lookbehind subpattern", 0)
		}
	}
	return nil
}

// parseSub parses alternatives separated by |.
func (p *parser) parseSub(verbose bool, nested int) (*node, error) {
	var items []*node
	for {
		item, err := p.parse(verbose, nested+1, nested == 0 && len(items) == 0)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
		if ok, err := p.match("|"); err != nil {
			return nil, err
		} else if !ok {
			break
		}
	}
	if len(items) == 1 {
		return items[0], nil
	}
	return &node{kind: nBranch, subs: items}, nil
}

const (
	specialChars = ".\\[{()*+?^$|"
	digits       = "0123456789"
	octDigits    = "01234567"
	hexDigits    = "0123456789abcdefABCDEF"
	whitespace   = " \t\n\r\v\f"
)

// parse parses one sequence (up to | or ) or the end).
func (p *parser) parse(verbose bool, nested int, first bool) (*node, error) {
	seq := &node{kind: nSeq}
	for {
		this := p.next
		if this == "" || this == "|" || this == ")" {
			break
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		if verbose {
			if strings.Contains(whitespace, this) {
				continue
			}
			if this == "#" {
				for {
					c, err := p.get()
					if err != nil {
						return nil, err
					}
					if c == "" || c == "\n" {
						break
					}
				}
				continue
			}
		}
		switch {
		case this[0] == '\\':
			n, err := p.escape(this)
			if err != nil {
				return nil, err
			}
			seq.subs = append(seq.subs, n)
		case !strings.Contains(specialChars, this):
			r, _ := utf8.DecodeRuneInString(this)
			seq.subs = append(seq.subs, &node{kind: nLiteral, r: r})
		case this == "[":
			n, err := p.parseClass()
			if err != nil {
				return nil, err
			}
			seq.subs = append(seq.subs, n)
		case strings.Contains("*+?{", this):
			if err := p.parseRepeat(seq, this); err != nil {
				return nil, err
			}
		case this == ".":
			seq.subs = append(seq.subs, &node{kind: nAny})
		case this == "(":
			n, global, err := p.parseGroup(seq, verbose, nested, first)
			if err != nil {
				return nil, err
			}
			if global {
				verbose = p.flags&flagVerbose != 0
			}
			if n != nil {
				seq.subs = append(seq.subs, n)
			}
		case this == "^":
			seq.subs = append(seq.subs, &node{kind: nAt, cat: '^'})
		case this == "$":
			seq.subs = append(seq.subs, &node{kind: nAt, cat: '$'})
		}
	}
	return seq, nil
}

// parseRepeat applies a repeat token to the last item of seq, or adds a
// literal "{" when the token does not start a repeat.
func (p *parser) parseRepeat(seq *node, this string) error {
	here := p.tell()
	var min, max int
	switch this {
	case "?":
		min, max = 0, 1
	case "*":
		min, max = 0, maxRepeat
	case "+":
		min, max = 1, maxRepeat
	case "{":
		if p.next == "}" {
			seq.subs = append(seq.subs, &node{kind: nLiteral, r: '{'})
			return nil
		}
		min, max = 0, maxRepeat
		lo, err := p.getwhile(1<<30, digits)
		if err != nil {
			return err
		}
		hi := lo
		if ok, err := p.match(","); err != nil {
			return err
		} else if ok {
			if hi, err = p.getwhile(1<<30, digits); err != nil {
				return err
			}
		}
		if ok, err := p.match("}"); err != nil {
			return err
		} else if !ok {
			seq.subs = append(seq.subs, &node{kind: nLiteral, r: '{'})
			return p.seek(here)
		}
		if lo != "" {
			n, err := strconv.ParseUint(lo, 10, 64)
			if err != nil || n >= maxRepeat {
				return &overflowError{"the repetition number is too large"}
			}
			min = int(n)
		}
		if hi != "" {
			n, err := strconv.ParseUint(hi, 10, 64)
			if err != nil || n >= maxRepeat {
				return &overflowError{"the repetition number is too large"}
			}
			max = int(n)
			if max < min {
				return p.error("min repeat greater than max repeat", p.tell()-here)
			}
		}
	}
	var item *node
	if len(seq.subs) > 0 {
		item = seq.subs[len(seq.subs)-1]
	}
	if item == nil || item.kind == nAt {
		return p.error("nothing to repeat", p.tell()-here+tokenLen(this))
	}
	if item.kind == nRepeat {
		return p.error("multiple repeat", p.tell()-here+tokenLen(this))
	}
	if item.kind == nGroup && item.group == 0 && item.add == 0 && item.del == 0 {
		item = item.subs[0]
	}
	mode := greedy
	if ok, err := p.match("?"); err != nil {
		return err
	} else if ok {
		mode = lazy
	} else if ok, err := p.match("+"); err != nil {
		return err
	} else if ok {
		mode = possessive
	}
	seq.subs[len(seq.subs)-1] = &node{kind: nRepeat, min: min, max: max, mode: mode, subs: []*node{item}}
	return nil
}

// parseClass parses a character set after its "[".
func (p *parser) parseClass() (*node, error) {
	here := p.tell() - 1
	n := &node{kind: nClass}
	negate, err := p.match("^")
	if err != nil {
		return nil, err
	}
	n.negate = negate
	for {
		this, err := p.get()
		if err != nil {
			return nil, err
		}
		if this == "" {
			return nil, p.error("unterminated character set", p.tell()-here)
		}
		if this == "]" && len(n.items) > 0 {
			break
		}
		var item classItem
		if this[0] == '\\' {
			if item, err = p.classEscape(this); err != nil {
				return nil, err
			}
		} else {
			r, _ := utf8.DecodeRuneInString(this)
			item = classItem{lo: r, hi: r}
		}
		ok, err := p.match("-")
		if err != nil {
			return nil, err
		}
		if !ok {
			n.items = append(n.items, item)
			continue
		}
		that, err := p.get()
		if err != nil {
			return nil, err
		}
		if that == "" {
			return nil, p.error("unterminated character set", p.tell()-here)
		}
		if that == "]" {
			n.items = append(n.items, item, classItem{lo: '-', hi: '-'})
			break
		}
		var item2 classItem
		if that[0] == '\\' {
			if item2, err = p.classEscape(that); err != nil {
				return nil, err
			}
		} else {
			r, _ := utf8.DecodeRuneInString(that)
			item2 = classItem{lo: r, hi: r}
		}
		if item.cat != 0 || item2.cat != 0 || item2.lo < item.lo {
			return nil, p.error(fmt.Sprintf("bad character range %s-%s", this, that), tokenLen(this)+1+tokenLen(that))
		}
		n.items = append(n.items, classItem{lo: item.lo, hi: item2.lo})
	}
	return n, nil
}

// parseGroup parses what follows "(": a group, an extension, inline
// flags (global is then true) or a comment (n is then nil).
func (p *parser) parseGroup(seq *node, verbose bool, nested int, first bool) (n *node, global bool, err error) {
	start := p.tell() - 1
	capture, atomic := true, false
	name := ""
	hasName := false
	addFlags, delFlags := 0, 0
	if ok, err := p.match("?"); err != nil {
		return nil, false, err
	} else if ok {
		char, err := p.get()
		if err != nil {
			return nil, false, err
		}
		switch {
		case char == "":
			return nil, false, p.error("unexpected end of pattern", 0)
		case char == "P":
			if ok, err := p.match("<"); err != nil {
				return nil, false, err
			} else if ok {
				if name, err = p.getuntil(">", "group name"); err != nil {
					return nil, false, err
				}
				if err := p.checkGroupName(name, 1); err != nil {
					return nil, false, err
				}
				hasName = true
				break
			}
			if ok, err := p.match("="); err != nil {
				return nil, false, err
			} else if ok {
				name, err := p.getuntil(")", "group name")
				if err != nil {
					return nil, false, err
				}
				if err := p.checkGroupName(name, 1); err != nil {
					return nil, false, err
				}
				gid, ok := p.names[name]
				if !ok {
					return nil, false, p.error(fmt.Sprintf("unknown group name %s", pyQuote(name)), tokenLen(name)+1)
				}
				if !p.checkGroup(gid) {
					return nil, false, p.error("cannot refer to an open group", tokenLen(name)+1)
				}
				if err := p.checkLookbehindGroup(gid); err != nil {
					return nil, false, err
				}
				return &node{kind: nGroupRef, group: gid}, false, nil
			}
			c, err := p.get()
			if err != nil {
				return nil, false, err
			}
			if c == "" {
				return nil, false, p.error("unexpected end of pattern", 0)
			}
			return nil, false, p.error("unknown extension ?P"+c, tokenLen(c)+2)
		case char == ":":
			capture = false
		case char == "#":
			for {
				if p.next == "" {
					return nil, false, p.error("missing ), unterminated comment", p.tell()-start)
				}
				c, err := p.get()
				if err != nil {
					return nil, false, err
				}
				if c == ")" {
					break
				}
			}
			return nil, false, nil
		case char == "=" || char == "!" || char == "<":
			behind := false
			if char == "<" {
				if char, err = p.get(); err != nil {
					return nil, false, err
				}
				if char == "" {
					return nil, false, p.error("unexpected end of pattern", 0)
				}
				if char != "=" && char != "!" {
					return nil, false, p.error("unknown extension ?<"+char, tokenLen(char)+2)
				}
				behind = true
			}
			saved := p.lookbehindAt
			if behind && saved < 0 {
				p.lookbehindAt = p.groups()
			}
			sub, err := p.parseSub(verbose, nested+1)
			if err != nil {
				return nil, false, err
			}
			p.lookbehindAt = saved
			if ok, err := p.match(")"); err != nil {
				return nil, false, err
			} else if !ok {
				return nil, false, p.error("missing ), unterminated subpattern", p.tell()-start)
			}
			return &node{kind: nAssert, behind: behind, negate: char == "!", subs: []*node{sub}}, false, nil
		case char == "(":
			n, err := p.parseConditional(verbose, nested, start)
			return n, false, err
		case char == ">":
			capture, atomic = false, true
		case char == "-" || (tokenLen(char) == 1 && inlineFlags[[]rune(char)[0]] != 0):
			add, del, isGlobal, err := p.parseFlags(char)
			if err != nil {
				return nil, false, err
			}
			if isGlobal {
				if !first || len(seq.subs) > 0 {
					return nil, false, p.error("global flags not at the start of the expression", p.tell()-start)
				}
				if p.flags&flagASCII != 0 {
					p.ascii = true
				}
				return nil, true, nil
			}
			addFlags, delFlags = add, del
			capture = false
		default:
			return nil, false, p.error("unknown extension ?"+char, tokenLen(char)+1)
		}
	}
	group := 0
	if capture {
		group = p.groups()
		if hasName {
			if old, ok := p.names[name]; ok {
				return nil, false, p.error(fmt.Sprintf("redefinition of group name %s as group %d; was group %d", pyQuote(name), group, old), tokenLen(name)+1)
			}
			p.names[name] = group
			p.nameOrder = append(p.nameOrder, name)
		}
		parent := 0
		if len(p.openGroups) > 0 {
			parent = p.openGroups[len(p.openGroups)-1]
		}
		p.groupWidths = append(p.groupWidths, [2]int{})
		p.groupClosed = append(p.groupClosed, false)
		p.groupParent = append(p.groupParent, parent)
		p.openGroups = append(p.openGroups, group)
	}
	subVerbose := (verbose || addFlags&flagVerbose != 0) && delFlags&flagVerbose == 0
	savedASCII := p.ascii
	if addFlags&flagASCII != 0 {
		p.ascii = true
	} else if addFlags&flagUnicode != 0 {
		p.ascii = false
	}
	sub, err := p.parseSub(subVerbose, nested+1)
	p.ascii = savedASCII
	if err != nil {
		return nil, false, err
	}
	if ok, err := p.match(")"); err != nil {
		return nil, false, err
	} else if !ok {
		return nil, false, p.error("missing ), unterminated subpattern", p.tell()-start)
	}
	if capture {
		lo, hi := sub.width(p)
		p.groupWidths[group] = [2]int{lo, hi}
		p.groupClosed[group] = true
		p.openGroups = p.openGroups[:len(p.openGroups)-1]
	}
	if atomic {
		return &node{kind: nAtomic, subs: []*node{sub}}, false, nil
	}
	return &node{kind: nGroup, group: group, add: addFlags, del: delFlags, subs: []*node{sub}}, false, nil
}

// parseConditional parses (?(id/name)yes|no) after its "(?(".
func (p *parser) parseConditional(verbose bool, nested, start int) (*node, error) {
	condname, err := p.getuntil(")", "group name")
	if err != nil {
		return nil, err
	}
	var cond int
	if isIdentifier(condname) {
		gid, ok := p.names[condname]
		if !ok {
			return nil, p.error(fmt.Sprintf("unknown group name %s", pyQuote(condname)), tokenLen(condname)+1)
		}
		cond = gid
	} else {
		n, err := strconv.ParseUint(condname, 10, 64)
		if err != nil || !isASCIIDigits(condname) {
			return nil, p.error(fmt.Sprintf("bad character in group name %s", pyQuote(condname)), tokenLen(condname)+1)
		}
		if n == 0 {
			return nil, p.error("bad group number", tokenLen(condname)+1)
		}
		if n >= maxGroups {
			return nil, p.error(fmt.Sprintf("invalid group reference %d", n), tokenLen(condname)+1)
		}
		cond = int(n)
		if _, ok := p.grouprefpos[cond]; !ok {
			p.grouprefpos[cond] = p.tell() - tokenLen(condname) - 1
		}
	}
	if err := p.checkLookbehindGroup(cond); err != nil {
		return nil, err
	}
	yes, err := p.parse(verbose, nested+1, false)
	if err != nil {
		return nil, err
	}
	var no *node
	if ok, err := p.match("|"); err != nil {
		return nil, err
	} else if ok {
		if no, err = p.parse(verbose, nested+1, false); err != nil {
			return nil, err
		}
		if p.next == "|" {
			return nil, p.error("conditional backref with more than two branches", 0)
		}
	}
	if ok, err := p.match(")"); err != nil {
		return nil, err
	} else if !ok {
		return nil, p.error("missing ), unterminated subpattern", p.tell()-start)
	}
	return &node{kind: nCond, group: cond, subs: []*node{yes, no}}, nil
}

// parseFlags is sre_parse._parse_flags: global is true for (?flags).
func (p *parser) parseFlags(char string) (add, del int, global bool, err error) {
	flagOf := func(tok string) int {
		if tokenLen(tok) != 1 {
			return 0
		}
		return inlineFlags[[]rune(tok)[0]]
	}
	isAlpha := func(tok string) bool {
		r, _ := utf8.DecodeRuneInString(tok)
		return tokenLen(tok) == 1 && unicode.IsLetter(r)
	}
	if char != "-" {
		for {
			flag := flagOf(char)
			if p.isText && char == "L" {
				return 0, 0, false, p.error("bad inline flags: cannot use 'L' flag with a str pattern", 0)
			}
			if !p.isText && char == "u" {
				return 0, 0, false, p.error("bad inline flags: cannot use 'u' flag with a bytes pattern", 0)
			}
			add |= flag
			if flag&typeFlags != 0 && add&typeFlags != flag {
				return 0, 0, false, p.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible", 0)
			}
			if char, err = p.get(); err != nil {
				return
			}
			if char == "" {
				return 0, 0, false, p.error("missing -, : or )", 0)
			}
			if char == ")" || char == "-" || char == ":" {
				break
			}
			if flagOf(char) == 0 {
				msg := "missing -, : or )"
				if isAlpha(char) {
					msg = "unknown flag"
				}
				return 0, 0, false, p.error(msg, tokenLen(char))
			}
		}
	}
	if char == ")" {
		p.flags |= add
		return 0, 0, true, nil
	}
	if add&globalFlags != 0 {
		return 0, 0, false, p.error("bad inline flags: cannot turn on global flag", 1)
	}
	if char == "-" {
		if char, err = p.get(); err != nil {
			return
		}
		if char == "" {
			return 0, 0, false, p.error("missing flag", 0)
		}
		if flagOf(char) == 0 {
			msg := "missing flag"
			if isAlpha(char) {
				msg = "unknown flag"
			}
			return 0, 0, false, p.error(msg, tokenLen(char))
		}
		for {
			flag := flagOf(char)
			if flag&typeFlags != 0 {
				return 0, 0, false, p.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", 0)
			}
			del |= flag
			if char, err = p.get(); err != nil {
				return
			}
			if char == "" {
				return 0, 0, false, p.error("missing :", 0)
			}
			if char == ":" {
				break
			}
			if flagOf(char) == 0 {
				msg := "missing :"
				if isAlpha(char) {
					msg = "unknown flag"
				}
				return 0, 0, false, p.error(msg, tokenLen(char))
			}
		}
	}
	if del&globalFlags != 0 {
		return 0, 0, false, p.error("bad inline flags: cannot turn off global flag", 1)
	}
	if add&del != 0 {
		return 0, 0, false, p.error("bad inline flags: flag turned on and off", 1)
	}
	return add, del, false, nil
}

// simpleEscapes are the escapes of single characters, in and out of sets.
var simpleEscapes = map[rune]rune{'a': '\a', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\'}

// escape parses an escape outside a set (sre_parse._escape).
func (p *parser) escape(esc string) (*node, error) {
	c := []rune(esc)[1]
	switch c {
	case 'd', 'D', 's', 'S', 'w', 'W':
		return &node{kind: nCategory, cat: c, ascii: p.ascii}, nil
	case 'A', 'Z', 'b', 'B':
		return &node{kind: nAt, cat: c, ascii: p.ascii}, nil
	}
	if r, ok := simpleEscapes[c]; ok {
		return &node{kind: nLiteral, r: r}, nil
	}
	r, ok, err := p.codeEscape(esc, c)
	if err != nil {
		return nil, err
	}
	if ok {
		return &node{kind: nLiteral, r: r}, nil
	}
	switch {
	case c == '0':
		more, err := p.getwhile(2, octDigits)
		if err != nil {
			return nil, err
		}
		n, _ := strconv.ParseUint("0"+more, 8, 32)
		return &node{kind: nLiteral, r: rune(n)}, nil
	case c >= '1' && c <= '9':
		esc := string(c)
		if p.next != "" && tokenLen(p.next) == 1 && strings.Contains(digits, p.next) {
			d, err := p.get()
			if err != nil {
				return nil, err
			}
			esc += d
			if strings.ContainsRune(octDigits, rune(esc[0])) && strings.ContainsRune(octDigits, rune(esc[1])) &&
				p.next != "" && tokenLen(p.next) == 1 && strings.Contains(octDigits, p.next) {
				d, err := p.get()
				if err != nil {
					return nil, err
				}
				esc += d
				n, _ := strconv.ParseUint(esc, 8, 32)
				if n > 0o377 {
					return nil, p.error(fmt.Sprintf("octal escape value \\%s outside of range 0-0o377", esc), len(esc)+1)
				}
				return &node{kind: nLiteral, r: rune(n)}, nil
			}
		}
		group, _ := strconv.Atoi(esc)
		if group < p.groups() {
			if !p.checkGroup(group) {
				return nil, p.error("cannot refer to an open group", len(esc)+1)
			}
			if err := p.checkLookbehindGroup(group); err != nil {
				return nil, err
			}
			return &node{kind: nGroupRef, group: group}, nil
		}
		return nil, p.error(fmt.Sprintf("invalid group reference %d", group), len(esc))
	}
	if c < utf8.RuneSelf && isASCIILetter(byte(c)) {
		return nil, p.error("bad escape "+esc, 2)
	}
	return &node{kind: nLiteral, r: c}, nil
}

// classEscape parses an escape inside a set (sre_parse._class_escape).
func (p *parser) classEscape(esc string) (classItem, error) {
	c := []rune(esc)[1]
	if r, ok := simpleEscapes[c]; ok {
		return classItem{lo: r, hi: r}, nil
	}
	if c == 'b' {
		return classItem{lo: '\b', hi: '\b'}, nil
	}
	switch c {
	case 'd', 'D', 's', 'S', 'w', 'W':
		return classItem{cat: c, ascii: p.ascii}, nil
	}
	r, ok, err := p.codeEscape(esc, c)
	if err != nil {
		return classItem{}, err
	}
	if ok {
		return classItem{lo: r, hi: r}, nil
	}
	switch {
	case c >= '0' && c <= '7':
		more, err := p.getwhile(2, octDigits)
		if err != nil {
			return classItem{}, err
		}
		n, _ := strconv.ParseUint(string(c)+more, 8, 32)
		if n > 0o377 {
			return classItem{}, p.error(fmt.Sprintf("octal escape value \\%c%s outside of range 0-0o377", c, more), len(more)+2)
		}
		return classItem{lo: rune(n), hi: rune(n)}, nil
	case c == '8' || c == '9':
		return classItem{}, p.error("bad escape "+esc, 2)
	}
	if c < utf8.RuneSelf && isASCIILetter(byte(c)) {
		return classItem{}, p.error("bad escape "+esc, 2)
	}
	return classItem{lo: c, hi: c}, nil
}

// codeEscape parses \x, \u, \U and \N escapes, in and out of sets.
func (p *parser) codeEscape(esc string, c rune) (rune, bool, error) {
	hex := func(n int) (rune, bool, error) {
		digits, err := p.getwhile(n, hexDigits)
		if err != nil {
			return 0, false, err
		}
		if len(digits) != n {
			return 0, false, p.error(fmt.Sprintf("incomplete escape %s%s", esc, digits), len(digits)+2)
		}
		v, _ := strconv.ParseUint(digits, 16, 32)
		if v > unicode.MaxRune {
			return 0, false, p.error(fmt.Sprintf("bad escape %s%s", esc, digits), len(digits)+2)
		}
		return rune(v), true, nil
	}
	switch {
	case c == 'x':
		return hex(2)
	case c == 'u' && p.isText:
		return hex(4)
	case c == 'U' && p.isText:
		return hex(8)
	case c == 'N' && p.isText:
		if ok, err := p.match("{"); err != nil {
			return 0, false, err
		} else if !ok {
			return 0, false, p.error("missing {", 0)
		}
		name, err := p.getuntil("}", "character name")
		if err != nil {
			return 0, false, err
		}
		r, ok := lookupRuneName(name)
		if !ok {
			return 0, false, p.error(fmt.Sprintf("undefined character name %s", pyQuote(name)), tokenLen(name)+len(`\N{}`))
		}
		return r, true, nil
	}
	return 0, false, nil
}

// width is sre_parse's getwidth: the least and most characters n can
// match, maxRepeat standing for unbounded.
func (n *node) width(p *parser) (lo, hi int) {
	add := func(a, b int) int {
		if a+b > maxRepeat {
			return maxRepeat
		}
		return a + b
	}
	switch n.kind {
	case nLiteral, nAny, nClass, nCategory:
		return 1, 1
	case nAt, nAssert:
		return 0, 0
	case nGroup, nAtomic:
		return n.subs[0].width(p)
	case nSeq:
		for _, s := range n.subs {
			l, h := s.width(p)
			lo, hi = add(lo, l), add(hi, h)
		}
		return lo, hi
	case nBranch:
		lo = maxRepeat
		for _, s := range n.subs {
			l, h := s.width(p)
			lo, hi = min(lo, l), max(hi, h)
		}
		return lo, hi
	case nRepeat:
		l, h := n.subs[0].width(p)
		lo = l * n.min
		if l != 0 && lo/l != n.min || lo > maxRepeat {
			lo = maxRepeat
		}
		hi = h * n.max
		if h != 0 && hi/h != n.max || hi > maxRepeat {
			hi = maxRepeat
		}
		return lo, hi
	case nGroupRef:
		w := p.groupWidths[n.group]
		return w[0], w[1]
	case nCond:
		lo, hi = n.subs[0].width(p)
		l, h := 0, 0
		if n.subs[1] != nil {
			l, h = n.subs[1].width(p)
		}
		return min(lo, l), max(hi, h)
	}
	return 0, 0
}

// checkLookbehinds refuses a look-behind whose width varies, as
// sre_compile does once the pattern is parsed.
func (p *parser) checkLookbehinds(n *node) error {
	if n == nil {
		return nil
	}
	if n.kind == nAssert && n.behind {
		if lo, hi := n.subs[0].width(p); lo != hi {
			return &patternError{msg: "look-behind requires fixed-width pattern", pattern: p.text, pos: -1}
		}
	}
	for _, s := range n.subs {
		if err := p.checkLookbehinds(s); err != nil {
			return err
		}
	}
	return nil
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isIdentifier is Python's str.isidentifier, near enough: a letter or
// underscore, then letters, digits and underscores.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc)) {
			continue
		}
		return false
	}
	return true
}

// pyQuote is Python's repr of a str, for names in messages.
func pyQuote(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
