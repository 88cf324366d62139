package csv

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// DictReader and DictWriter are classes written in Python in CPython's
// csv.py; these follow that code line for line.

// splitKwargs separates a class's own keyword arguments (params) from
// those it passes on to reader or writer.
func splitKwargs(kwargs []starlark.Tuple, params []string) (own, rest []starlark.Tuple) {
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		mine := false
		for _, p := range params {
			mine = mine || p == name
		}
		if mine {
			own = append(own, kv)
		} else {
			rest = append(rest, kv)
		}
	}
	return own, rest
}

// passedOn checks the extra positional arguments a class passes on to
// reader or writer after the file and the dialect.
func passedOn(args starlark.Tuple, own int) error {
	if len(args) > own {
		return py.Errorf(py.TypeError, " expected at most 2 arguments, got %d", len(args)-own+2)
	}
	return nil
}

var dictReaderSpec = &pyargs.Func{Name: "DictReader.__init__", Params: []string{"f", "fieldnames", "restkey", "restval", "dialect"}, Required: 1, Method: true}

func (m *module) dictReaderClass() *py.Type {
	return py.NewClass("csv.DictReader", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := passedOn(args, len(dictReaderSpec.Params)); err != nil {
			return nil, err
		}
		own, rest := splitKwargs(kwargs, dictReaderSpec.Params)
		var f starlark.Value
		var fieldnames, restkey, restval, dialect starlark.Value = starlark.None, starlark.None, starlark.None, starlark.String("excel")
		if err := dictReaderSpec.Bind(args, own, &f, &fieldnames, &restkey, &restval, &dialect); err != nil {
			return nil, err
		}
		lines, err := py.Iterate(thread, f)
		if err != nil {
			return nil, err
		}
		d, err := m.makeDialect(dialect, rest)
		if err != nil {
			return nil, err
		}
		r := &DictReader{thread: thread, reader: newReader(thread, m, lines, d), fieldnames: fieldnames, restkey: restkey, restval: restval, dialect: dialect}
		r.Iterator = py.NewIterator(thread, "csv.DictReader", r.next)
		return r, nil
	}, func(v starlark.Value) bool {
		_, ok := v.(*DictReader)
		return ok
	}, nil)
}

// DictReader is csv.DictReader: an iterator over the records of a reader
// as dicts keyed by fieldnames (by default the first record).
type DictReader struct {
	*py.Iterator
	thread                                *starlark.Thread // the script's, for reading the header in Attr
	reader                                *Reader
	fieldnames, restkey, restval, dialect starlark.Value
	lineNum                               int
}

var (
	_ starlark.HasAttrs    = (*DictReader)(nil)
	_ starlark.HasSetField = (*DictReader)(nil)
)

// names is the fieldnames property: the first record, read when first
// asked for, unless fieldnames were given.
func (r *DictReader) names(thread *starlark.Thread) (starlark.Value, error) {
	if r.fieldnames == starlark.None {
		row, ok, err := r.reader.Next(thread)
		if err != nil {
			return nil, err
		}
		if ok {
			r.fieldnames = row
		}
	}
	r.lineNum = r.reader.lineNum
	return r.fieldnames, nil
}

func (r *DictReader) next(thread *starlark.Thread) (starlark.Value, bool, error) {
	if r.lineNum == 0 {
		if _, err := r.names(thread); err != nil {
			return nil, false, err
		}
	}
	var row *starlark.List
	for row == nil || row.Len() == 0 { // blank lines make no dicts
		v, ok, err := r.reader.Next(thread)
		if err != nil || !ok {
			return nil, false, err
		}
		row = v.(*starlark.List)
		r.lineNum = r.reader.lineNum
	}
	fieldnames, err := r.names(thread)
	if err != nil {
		return nil, false, err
	}
	names, err := sequence(fieldnames)
	if err != nil {
		return nil, false, err
	}
	d := starlark.NewDict(len(names))
	for i := 0; i < len(names) && i < row.Len(); i++ {
		if err := d.SetKey(names[i], row.Index(i)); err != nil {
			return nil, false, err
		}
	}
	if len(names) < row.Len() {
		rest := make([]starlark.Value, 0, row.Len()-len(names))
		for i := len(names); i < row.Len(); i++ {
			rest = append(rest, row.Index(i))
		}
		if err := d.SetKey(r.restkey, starlark.NewList(rest)); err != nil {
			return nil, false, err
		}
	}
	for i := row.Len(); i < len(names); i++ {
		if err := d.SetKey(names[i], r.restval); err != nil {
			return nil, false, err
		}
	}
	return d, true, nil
}

// sequence returns the elements of fieldnames, which must have a length
// as in CPython.
func sequence(v starlark.Value) ([]starlark.Value, error) {
	seq, ok := v.(starlark.Indexable)
	if !ok {
		if v == starlark.None {
			return nil, py.Errorf(py.TypeError, "'NoneType' object is not iterable")
		}
		return nil, py.Errorf(py.TypeError, "object of type '%s' has no len()", py.TypeName(v))
	}
	elems := make([]starlark.Value, seq.Len())
	for i := range elems {
		elems[i] = seq.Index(i)
	}
	return elems, nil
}

func (r *DictReader) String() string { return fmt.Sprintf("<csv.DictReader object at %p>", r) }

// AttrNames lists a DictReader's attributes.
func (r *DictReader) AttrNames() []string {
	return []string{"dialect", "fieldnames", "line_num", "reader", "restkey", "restval"}
}

// Attr returns an attribute; fieldnames reads the header when needed.
func (r *DictReader) Attr(name string) (starlark.Value, error) {
	switch name {
	case "fieldnames":
		return r.names(r.thread)
	case "restkey":
		return r.restkey, nil
	case "restval":
		return r.restval, nil
	case "dialect":
		return r.dialect, nil
	case "reader":
		return r.reader, nil
	case "line_num":
		return starlark.MakeInt(r.lineNum), nil
	}
	return nil, nil
}

// SetField sets fieldnames, restkey, restval or line_num.
func (r *DictReader) SetField(name string, v starlark.Value) error {
	switch name {
	case "fieldnames":
		r.fieldnames = v
	case "restkey":
		r.restkey = v
	case "restval":
		r.restval = v
	case "line_num":
		n, err := pyargs.Int64(v)
		if err != nil {
			return err
		}
		r.lineNum = int(n)
	default:
		return py.Errorf(py.AttributeError, "'DictReader' object has no attribute '%s'", name)
	}
	return nil
}

var dictWriterSpec = &pyargs.Func{Name: "DictWriter.__init__", Params: []string{"f", "fieldnames", "restval", "extrasaction", "dialect"}, Required: 2, Method: true}

func (m *module) dictWriterClass() *py.Type {
	return py.NewClass("csv.DictWriter", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := passedOn(args, len(dictWriterSpec.Params)); err != nil {
			return nil, err
		}
		own, rest := splitKwargs(kwargs, dictWriterSpec.Params)
		var f, fieldnames starlark.Value
		var restval, extrasaction, dialect starlark.Value = starlark.String(""), starlark.String("raise"), starlark.String("excel")
		if err := dictWriterSpec.Bind(args, own, &f, &fieldnames, &restval, &extrasaction, &dialect); err != nil {
			return nil, err
		}
		action, ok := extrasaction.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'lower'", py.TypeName(extrasaction))
		}
		if lower := strings.ToLower(string(action)); lower != "raise" && lower != "ignore" {
			return nil, py.Errorf(py.ValueError, "extrasaction (%s) must be 'raise' or 'ignore'", string(action))
		}
		write, err := py.GetAttr(f, "write")
		if err != nil {
			return nil, py.Errorf(py.TypeError, "argument 1 must have a \"write\" method")
		}
		d, err := m.makeDialect(dialect, rest)
		if err != nil {
			return nil, err
		}
		return &DictWriter{writer: newWriter(write, d), fieldnames: fieldnames, restval: restval, extrasaction: extrasaction}, nil
	}, func(v starlark.Value) bool {
		_, ok := v.(*DictWriter)
		return ok
	}, nil)
}

// DictWriter is csv.DictWriter: it writes dicts as rows, their values in
// the order of fieldnames.
type DictWriter struct {
	writer                            *Writer
	fieldnames, restval, extrasaction starlark.Value
}

var (
	_ starlark.HasAttrs    = (*DictWriter)(nil)
	_ starlark.HasSetField = (*DictWriter)(nil)
)

func (w *DictWriter) String() string        { return fmt.Sprintf("<csv.DictWriter object at %p>", w) }
func (w *DictWriter) Type() string          { return "csv.DictWriter" }
func (w *DictWriter) Freeze()               {}
func (w *DictWriter) Truth() starlark.Bool  { return true }
func (w *DictWriter) Hash() (uint32, error) { return starlark.String(w.String()).Hash() }

// AttrNames lists a DictWriter's attributes and methods.
func (w *DictWriter) AttrNames() []string {
	return []string{"extrasaction", "fieldnames", "restval", "writeheader", "writer", "writerow", "writerows"}
}

// Attr returns an attribute or a bound method.
func (w *DictWriter) Attr(name string) (starlark.Value, error) {
	switch name {
	case "fieldnames":
		return w.fieldnames, nil
	case "restval":
		return w.restval, nil
	case "extrasaction":
		return w.extrasaction, nil
	case "writer":
		return w.writer, nil
	}
	return dictWriterMethods.Bind(w, name), nil
}

// SetField sets fieldnames, restval or extrasaction.
func (w *DictWriter) SetField(name string, v starlark.Value) error {
	switch name {
	case "fieldnames":
		w.fieldnames = v
	case "restval":
		w.restval = v
	case "extrasaction":
		w.extrasaction = v
	default:
		return py.Errorf(py.AttributeError, "'DictWriter' object has no attribute '%s'", name)
	}
	return nil
}

var dictWriterMethods = py.MethodTable[*DictWriter]{
	"writeheader": func(w *DictWriter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional("writeheader", args, kwargs, 0, 0); err != nil {
			return nil, py.Errorf(py.TypeError, "DictWriter.writeheader() takes 1 positional argument but %d were given", len(args)+1)
		}
		if _, err := py.Iterate(thread, w.fieldnames); err != nil {
			return nil, err
		}
		meter := py.NewMeter(thread)
		return w.writer.writerow(thread, &meter, w.fieldnames)
	},
	"writerow": func(w *DictWriter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var rowdict starlark.Value
		if err := dictWriterRowSpec.Bind(args, kwargs, &rowdict); err != nil {
			return nil, err
		}
		row, err := w.row(thread, rowdict)
		if err != nil {
			return nil, err
		}
		meter := py.NewMeter(thread)
		return w.writer.writerow(thread, &meter, row)
	},
	"writerows": func(w *DictWriter, thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var rowdicts starlark.Value
		if err := dictWriterRowsSpec.Bind(args, kwargs, &rowdicts); err != nil {
			return nil, err
		}
		it, err := py.Iterate(thread, rowdicts)
		if err != nil {
			return nil, err
		}
		meter := py.NewMeter(thread)
		for {
			rowdict, ok, err := it.Next(thread)
			if err != nil {
				return nil, err
			}
			if !ok {
				return starlark.None, nil
			}
			row, err := w.row(thread, rowdict)
			if err != nil {
				return nil, err
			}
			if _, err := w.writer.writerow(thread, &meter, row); err != nil {
				return nil, err
			}
		}
	},
}

var (
	dictWriterRowSpec  = &pyargs.Func{Name: "DictWriter.writerow", Params: []string{"rowdict"}, Required: 1, Method: true}
	dictWriterRowsSpec = &pyargs.Func{Name: "DictWriter.writerows", Params: []string{"rowdicts"}, Required: 1, Method: true}
)

// row is CPython's _dict_to_list: rowdict's values in the order of
// fieldnames (restval for those it lacks), after checking, when
// extrasaction is 'raise', that it has no other keys.
func (w *DictWriter) row(thread *starlark.Thread, rowdict starlark.Value) (starlark.Value, error) {
	var dict *starlark.Dict
	switch v := rowdict.(type) {
	case *starlark.Dict:
		dict = v
	case py.DictSubclass:
		dict = v.Dict()
	}
	fieldnames, err := py.Elements(thread, w.fieldnames)
	if err != nil {
		return nil, err
	}
	if w.extrasaction == starlark.String("raise") {
		if dict == nil {
			return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'keys'", py.TypeName(rowdict))
		}
		known := starlark.NewDict(len(fieldnames))
		for _, f := range fieldnames {
			if err := known.SetKey(f, starlark.None); err != nil {
				return nil, err
			}
		}
		var wrong []string
		for _, k := range dict.Keys() {
			if _, found, err := known.Get(k); err != nil {
				return nil, err
			} else if !found {
				wrong = append(wrong, py.Repr(k))
			}
		}
		if len(wrong) > 0 {
			return nil, py.Errorf(py.ValueError, "dict contains fields not in fieldnames: %s", strings.Join(wrong, ", "))
		}
	}
	if dict == nil {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'get'", py.TypeName(rowdict))
	}
	row := make([]starlark.Value, len(fieldnames))
	for i, f := range fieldnames {
		v, found, err := dict.Get(f)
		if err != nil {
			return nil, err
		}
		if !found {
			v = w.restval
		}
		row[i] = v
	}
	return starlark.NewList(row), nil
}
