package csv

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Writer is CPython's _csv.writer: writerow formats a row as its dialect
// says and passes the line to its file's write method.
type Writer struct {
	write   starlark.Value
	dialect *Dialect
	ascii   bool                // the dialect's characters are ASCII
	care    [utf8.RuneSelf]bool // then, the bytes that may need quoting or escaping
}

func newWriter(write starlark.Value, d *Dialect) *Writer {
	w := &Writer{write: write, dialect: d, ascii: d.ascii()}
	for c := range w.care {
		w.care[c] = w.special(rune(c))
	}
	return w
}

var _ starlark.HasAttrs = (*Writer)(nil)

func (w *Writer) String() string        { return fmt.Sprintf("<_csv.writer object at %p>", w) }
func (w *Writer) Type() string          { return "_csv.writer" }
func (w *Writer) Freeze()               {}
func (w *Writer) Truth() starlark.Bool  { return true }
func (w *Writer) Hash() (uint32, error) { return starlark.String(w.String()).Hash() }

// AttrNames lists a writer's attributes.
func (w *Writer) AttrNames() []string { return []string{"dialect", "writerow", "writerows"} }

// Attr returns the writer's dialect and its bound methods.
func (w *Writer) Attr(name string) (starlark.Value, error) {
	switch name {
	case "dialect":
		return w.dialect, nil
	case "writerow":
		return writerowMethod.BindReceiver(w), nil
	case "writerows":
		return writerowsMethod.BindReceiver(w), nil
	}
	return nil, nil
}

var (
	writerowMethod = py.Func("writerow", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := oneArgument("writer.writerow", args, kwargs); err != nil {
			return nil, err
		}
		meter := py.NewMeter(thread)
		return b.Receiver().(*Writer).writerow(thread, &meter, args[0])
	})
	writerowsMethod = py.Func("writerows", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := oneArgument("writer.writerows", args, kwargs); err != nil {
			return nil, err
		}
		return starlark.None, b.Receiver().(*Writer).writerows(thread, args[0])
	})
)

func oneArgument(name string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	if len(kwargs) > 0 {
		return py.Errorf(py.TypeError, "%s() takes no keyword arguments", name)
	}
	if len(args) != 1 {
		return py.Errorf(py.TypeError, "%s() takes exactly one argument (%d given)", name, len(args))
	}
	return nil
}

// writerows writes each row of rows.
func (w *Writer) writerows(thread *starlark.Thread, rows starlark.Value) error {
	it, err := py.Iterate(thread, rows)
	if err != nil {
		return err
	}
	meter := py.NewMeter(thread)
	for {
		row, ok, err := it.Next(thread)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if _, err := w.writerow(thread, &meter, row); err != nil {
			return err
		}
	}
}

// writerow writes one row, as CPython's csv_writerow: each field is a
// str, None (an empty field) or anything else str() converts.
func (w *Writer) writerow(thread *starlark.Thread, meter *py.Meter, row starlark.Value) (starlark.Value, error) {
	it, err := py.Iterate(thread, row)
	if err != nil {
		if e := py.AsException(err); e != nil && e.Class == py.TypeError {
			return nil, py.Errorf(Error, "iterable expected, not %s", py.TypeName(row))
		}
		return nil, err
	}
	d := w.dialect
	var rec []byte
	fields := 0
	for {
		v, ok, err := it.Next(thread)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := meter.Tick(); err != nil {
			return nil, err
		}
		quoted := false
		switch d.quoting {
		case quoteNonNumeric:
			quoted = !isNumber(v)
		case quoteAll:
			quoted = true
		}
		var text string
		switch v := v.(type) {
		case starlark.String:
			text = string(v)
		case starlark.NoneType:
		default:
			if text, err = py.StrOf(thread, v); err != nil {
				return nil, err
			}
		}
		if fields > 0 {
			rec = utf8.AppendRune(rec, d.delimiter)
		}
		if rec, err = w.appendField(rec, text, quoted); err != nil {
			return nil, err
		}
		fields++
	}
	if fields == 1 && len(rec) == 0 {
		if d.quoting == quoteNone {
			return nil, py.Errorf(Error, "single empty field record must be quoted")
		}
		rec = utf8.AppendRune(utf8.AppendRune(rec, d.quotechar), d.quotechar)
	}
	rec = append(rec, d.lineterminator...)
	return starlark.Call(thread, w.write, starlark.Tuple{starlark.String(rec)}, nil)
}

// isNumber is CPython's PyNumber_Check for the values kstar has.
func isNumber(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Int, starlark.Float, starlark.Bool:
		return true
	}
	return false
}

// appendField appends a field's text to rec, quoted when quoted is set or
// when the text needs it, escaping as CPython's join_append_data does.
func (w *Writer) appendField(rec []byte, text string, quoted bool) ([]byte, error) {
	d := w.dialect
	start := len(rec)
	if !w.needsCare(text) {
		rec = append(rec, text...)
	} else {
		for i := 0; i < len(text); {
			c, size := utf8.DecodeRuneInString(text[i:])
			if w.special(c) {
				escape := false
				if d.quoting == quoteNone {
					escape = true
				} else {
					if c == d.quotechar {
						if d.doublequote {
							rec = utf8.AppendRune(rec, d.quotechar)
						} else {
							escape = true
						}
					} else if c == d.escapechar {
						escape = true
					}
					if !escape {
						quoted = true
					}
				}
				if escape {
					if d.escapechar == notSet {
						return nil, py.Errorf(Error, "need to escape, but no escapechar set")
					}
					rec = utf8.AppendRune(rec, d.escapechar)
				}
			}
			rec = append(rec, text[i:i+size]...)
			i += size
		}
	}
	if quoted {
		q := utf8.AppendRune(nil, d.quotechar)
		rec = append(rec, q...)
		rec = append(rec, q...)
		copy(rec[start+len(q):], rec[start:len(rec)-len(q)])
		copy(rec[start:], q)
	}
	return rec, nil
}

// special reports whether the writer may have to quote or escape c.
func (w *Writer) special(c rune) bool {
	d := w.dialect
	return c == d.delimiter || c == d.escapechar || c == d.quotechar || strings.ContainsRune(d.lineterminator, c)
}

// needsCare reports whether text has a character the writer may have to
// quote or escape.
func (w *Writer) needsCare(text string) bool {
	if w.ascii {
		for i := 0; i < len(text); i++ {
			if b := text[i]; b < utf8.RuneSelf && w.care[b] {
				return true
			}
		}
		return false
	}
	for _, c := range text {
		if w.special(c) {
			return true
		}
	}
	return false
}
