package csv

import (
	"unicode/utf8"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// parseState is where the parser is in a record: the states of
// CPython's _csv.c, whose transitions parser.char follows one for one.
type parseState uint8

const (
	startRecord parseState = iota
	startField
	escapedChar
	inField
	inQuotedField
	escapeInQuotedField
	quoteInQuotedField
	eatCRNL
	afterEscapedCRNL
)

// parser turns lines into the fields of records. It works on the bytes
// of each line when the dialect's characters are all ASCII (they cannot
// then match inside a multi-byte character, and a str's bytes are kept
// as they are), on its runes otherwise.
type parser struct {
	d       *Dialect
	module  *module // field_size_limit, which may change while a reader is used
	byBytes bool
	state   parseState
	// text holds the record's text fields one after the other, from
	// which one string is made when the record ends: the current field
	// starts at fieldStart, and spans are where each field is (nil in
	// fields; a numeric field is converted when it ends).
	text       []byte
	fieldStart int
	fieldLen   int64 // characters in the current field
	numeric    bool  // field is unquoted under QUOTE_NONNUMERIC
	fields     []starlark.Value
	spans      [][2]int
	thread     *starlark.Thread       // for float() of numeric fields
	meter      py.Meter               // counts lines and fields, on thread
	ordinary   [2][utf8.RuneSelf]bool // per state inField, inQuotedField: bytes that need no decision
	fieldLimit int64
}

func newParser(m *module, d *Dialect) *parser {
	p := &parser{d: d, module: m, byBytes: d.ascii()}
	for i := range p.ordinary {
		for c := range p.ordinary[i] {
			p.ordinary[i][c] = true
		}
	}
	// Bytes that end or escape an unquoted field, and that end or escape
	// a quoted one; notSet matches no byte.
	for _, c := range []rune{'\n', '\r', d.escapechar, d.delimiter} {
		if c >= 0 && c < utf8.RuneSelf {
			p.ordinary[0][c] = false
		}
	}
	special := []rune{d.escapechar}
	if d.quoting != quoteNone {
		special = append(special, d.quotechar)
	}
	for _, c := range special {
		if c >= 0 && c < utf8.RuneSelf {
			p.ordinary[1][c] = false
		}
	}
	return p
}

// reset starts a record.
func (p *parser) reset(thread *starlark.Thread) {
	p.fields = make([]starlark.Value, 0, len(p.spans)) // as many as the last record's
	p.spans = p.spans[:0]
	p.text = p.text[:0]
	if cap(p.text) > 1<<20 { // a huge record's buffer is not kept for the next ones
		p.text = nil
	}
	p.fieldStart = 0
	p.fieldLen = 0
	p.state = startRecord
	p.numeric = false
	if p.thread != thread {
		p.thread, p.meter = thread, py.NewMeter(thread)
	}
	p.fieldLimit = p.module.fieldLimit.Load()
}

// line parses one line and then its end.
func (p *parser) line(s string) error {
	if p.byBytes {
		for i := 0; i < len(s); {
			if p.state == inField || p.state == inQuotedField {
				ordinary := &p.ordinary[0]
				if p.state == inQuotedField {
					ordinary = &p.ordinary[1]
				}
				j := i
				for j < len(s) && (s[j] >= utf8.RuneSelf || ordinary[s[j]]) {
					j++
				}
				if j > i {
					if err := p.add(s[i:j]); err != nil {
						return err
					}
					i = j
					continue
				}
			}
			if err := p.char(rune(s[i]), s[i:i+1]); err != nil {
				return err
			}
			i++
		}
	} else {
		for i := 0; i < len(s); {
			c, size := utf8.DecodeRuneInString(s[i:])
			if err := p.char(c, s[i:i+size]); err != nil {
				return err
			}
			i += size
		}
	}
	return p.char(eol, "\n")
}

// add appends text to the field, within the field size limit (in
// characters, as CPython counts them).
func (p *parser) add(text string) error {
	n := int64(0)
	for i := 0; i < len(text); i++ {
		if text[i]&0xC0 != 0x80 { // not a UTF-8 continuation byte
			n++
		}
	}
	if p.fieldLen+n > p.fieldLimit {
		return py.Errorf(Error, "field larger than field limit (%d)", p.fieldLimit)
	}
	p.text = append(p.text, text...)
	p.fieldLen += n
	return nil
}

// save ends the field.
func (p *parser) save() error {
	if err := p.meter.Tick(); err != nil {
		return err
	}
	var v starlark.Value // a text field's value is made by record
	span := [2]int{p.fieldStart, len(p.text)}
	if p.numeric {
		p.numeric = false
		f, err := starlark.Call(p.thread, py.FloatType, starlark.Tuple{starlark.String(p.text[p.fieldStart:])}, nil)
		if err != nil {
			return err
		}
		v = f
		p.text = p.text[:p.fieldStart]
	}
	p.fields = append(p.fields, v)
	p.spans = append(p.spans, span)
	p.fieldStart = len(p.text)
	p.fieldLen = 0
	return nil
}

// record returns the fields of the record.
func (p *parser) record() *starlark.List {
	text := string(p.text)
	for i, v := range p.fields {
		if v == nil {
			p.fields[i] = starlark.String(text[p.spans[i][0]:p.spans[i][1]])
		}
	}
	fields := p.fields
	p.fields = nil
	return starlark.NewList(fields)
}

// endLine saves the field at a line's end: the record ends with the
// line (eol) or after its \r\n.
func (p *parser) endLine(c rune) error {
	if err := p.save(); err != nil {
		return err
	}
	if c == eol {
		p.state = startRecord
	} else {
		p.state = eatCRNL
	}
	return nil
}

// char takes one character c, whose text is raw (eol's is "\n"), as
// CPython's parse_process_char does.
func (p *parser) char(c rune, raw string) error {
	d := p.d
	switch p.state {
	case startRecord:
		if c == eol {
			return nil
		}
		if c == '\n' || c == '\r' {
			p.state = eatCRNL
			return nil
		}
		p.state = startField
		fallthrough
	case startField:
		switch {
		case c == '\n' || c == '\r' || c == eol:
			return p.endLine(c)
		case c == d.quotechar && d.quoting != quoteNone:
			p.state = inQuotedField
		case c == d.escapechar:
			p.state = escapedChar
		case c == ' ' && d.skipinitialspace:
		case c == d.delimiter:
			return p.save()
		default:
			if d.quoting == quoteNonNumeric {
				p.numeric = true
			}
			p.state = inField
			return p.add(raw)
		}
	case escapedChar:
		if c == '\n' || c == '\r' {
			p.state = afterEscapedCRNL
			return p.add(raw)
		}
		p.state = inField
		return p.add(raw)
	case afterEscapedCRNL, inField:
		if p.state == afterEscapedCRNL && c == eol {
			return nil
		}
		switch {
		case c == '\n' || c == '\r' || c == eol:
			return p.endLine(c)
		case c == d.escapechar:
			p.state = escapedChar
		case c == d.delimiter:
			p.state = startField
			return p.save()
		default: // the state stays: after an escaped \r or \n, the line's end is ignored
			return p.add(raw)
		}
	case inQuotedField:
		switch {
		case c == eol:
		case c == d.escapechar:
			p.state = escapeInQuotedField
		case c == d.quotechar && d.quoting != quoteNone:
			if d.doublequote {
				p.state = quoteInQuotedField
			} else {
				p.state = inField
			}
		default:
			return p.add(raw)
		}
	case escapeInQuotedField:
		p.state = inQuotedField
		return p.add(raw)
	case quoteInQuotedField:
		switch {
		case d.quoting != quoteNone && c == d.quotechar:
			p.state = inQuotedField
			return p.add(raw)
		case c == d.delimiter:
			p.state = startField
			return p.save()
		case c == '\n' || c == '\r' || c == eol:
			return p.endLine(c)
		case !d.strict:
			p.state = inField
			return p.add(raw)
		default:
			return py.Errorf(Error, "'%c' expected after '%c'", d.delimiter, d.quotechar)
		}
	case eatCRNL:
		switch {
		case c == '\n' || c == '\r':
		case c == eol:
			p.state = startRecord
		default:
			return py.Errorf(Error, "new-line character seen in unquoted field - do you need to open the file in universal-newline mode?")
		}
	}
	return nil
}

// Reader is CPython's _csv.reader: an iterator over the records of its
// lines, each a list of fields, taking a line from its iterable only
// when a record needs one.
type Reader struct {
	*py.Iterator
	lines   py.Nexter
	dialect *Dialect
	p       *parser
	lineNum int
}

var (
	_ starlark.HasAttrs    = (*Reader)(nil)
	_ starlark.HasSetField = (*Reader)(nil)
)

func newReader(thread *starlark.Thread, m *module, lines py.Nexter, d *Dialect) *Reader {
	r := &Reader{lines: lines, dialect: d, p: newParser(m, d)}
	r.Iterator = py.NewIterator(thread, "_csv.reader", r.next)
	return r
}

// next is CPython's Reader_iternext.
func (r *Reader) next(thread *starlark.Thread) (starlark.Value, bool, error) {
	p := r.p
	p.reset(thread)
	for {
		v, ok, err := r.lines.Next(thread)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			if len(p.text) == p.fieldStart && p.state != inQuotedField {
				return nil, false, nil
			}
			if p.d.strict {
				return nil, false, py.Errorf(Error, "unexpected end of data")
			}
			if err := p.save(); err != nil {
				return nil, false, err
			}
			break
		}
		line, ok := v.(starlark.String)
		if !ok {
			return nil, false, py.Errorf(Error, "iterator should return strings, not %s (the file should be opened in text mode)", py.TypeName(v))
		}
		r.lineNum++
		if err := p.meter.TickN(1 + len(line)/64); err != nil {
			return nil, false, err
		}
		if err := p.line(string(line)); err != nil {
			return nil, false, err
		}
		if p.state == startRecord {
			break
		}
	}
	return p.record(), true, nil
}

// AttrNames lists a reader's attributes.
func (r *Reader) AttrNames() []string { return []string{"dialect", "line_num"} }

// Attr returns the reader's dialect and line_num (lines read so far).
func (r *Reader) Attr(name string) (starlark.Value, error) {
	switch name {
	case "dialect":
		return r.dialect, nil
	case "line_num":
		return starlark.MakeInt(r.lineNum), nil
	}
	return nil, nil
}

// SetField refuses, as CPython's reader attributes are read-only.
func (r *Reader) SetField(name string, v starlark.Value) error {
	if name == "dialect" || name == "line_num" {
		return py.Errorf(py.AttributeError, "readonly attribute")
	}
	return py.Errorf(py.AttributeError, "'_csv.reader' object has no attribute '%s'", name)
}
