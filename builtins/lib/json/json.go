// Package json is kstar's json module: Python's json functions with
// CPython 3.11's exact output and error messages:
//
//	dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True,
//	      allow_nan=True, indent=None, separators=None, default=None,
//	      sort_keys=False)
//	dump(obj, fp, **same keywords)   writes dumps(obj) with fp.write
//	loads(s, *, object_hook=None, parse_float=None, parse_int=None,
//	      parse_constant=None, object_pairs_hook=None, strict=True)
//	load(fp, **same keywords)         loads(fp.read())
//	JSONDecodeError                   raised by loads, a ValueError
//
// and Starlark's own encode, decode and indent (go.starlark.net/lib/json).
//
// dumps writes floats as Python's repr does, tuples and namedtuples as
// arrays, and refuses bytes ("Object of type bytes is not JSON
// serializable"). loads accepts str or bytes (UTF-8, UTF-16 or UTF-32, as
// Python detects them), keeps integers exact however large, and keeps
// object keys in document order.
package json

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	starjson "go.starlark.net/lib/json"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the json module (one per execution; it keeps no state).
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"dumps":           py.Func("dumps", jsonDumps),
		"dump":            py.Func("dump", jsonDump),
		"loads":           py.Func("loads", jsonLoads),
		"load":            py.Func("load", jsonLoad),
		"JSONDecodeError": JSONDecodeError,
	}
	for _, name := range []string{"encode", "decode", "indent"} {
		members[name] = starlarkJSONFunc(name)
	}
	return &starlarkstruct.Module{Name: "json", Members: members}
}

// JSONDecodeError is Python's json.JSONDecodeError (a ValueError): its
// message ends with the position, "Expecting value: line 1 column 1 (char 0)".
var JSONDecodeError = py.NewExceptionClass("JSONDecodeError", "json.decoder", py.ValueError)

// jsonMaxDepth bounds the nesting that dumps and loads follow, as CPython's
// recursion limit does.
const jsonMaxDepth = 1000

// pyIntMaxStrDigits is CPython's default limit on the digits of an int
// converted from or to a decimal string.
const pyIntMaxStrDigits = 4300

// starlarkJSONFunc wraps one function of Starlark's json module (encode,
// decode, indent), turning its errors into ValueError (decode, indent) or
// TypeError (encode).
func starlarkJSONFunc(name string) *starlark.Builtin {
	orig := starjson.Module.Members[name].(*starlark.Builtin)
	excClass := py.ValueError
	if name == "encode" {
		excClass = py.TypeError
	}
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := orig.CallInternal(thread, args, kwargs)
		if err != nil && py.AsException(err) == nil {
			return nil, &py.Exception{Class: excClass, Msg: err.Error(), Args: starlark.Tuple{starlark.String(err.Error())}, Cause: err}
		}
		return v, err
	})
}

// ---- dumps ----

// jsonEncoder holds the options of one dumps call.
type jsonEncoder struct {
	thread                                         *starlark.Thread
	b                                              strings.Builder
	skipKeys, ensureASCII, checkCircular, allowNaN bool
	sortKeys                                       bool
	indent                                         *string // nil: everything on one line
	itemSep, keySep                                string
	dflt                                           starlark.Value // None or a callable
	markers                                        []starlark.Value
	// markersBuf holds the markers of the outermost containers, so
	// that a small document needs no array of its own for them.
	markersBuf [4]starlark.Value
	depth      int
	meter      py.Meter
}

// dumpsOptions are dumps's keyword arguments.
type dumpsOptions struct {
	skipKeys, ensureASCII, checkCircular, allowNaN, sortKeys starlark.Value
	indent, separators, dflt                                 starlark.Value
}

// defaultDumpsOptions are dumps's defaults.
var defaultDumpsOptions = dumpsOptions{
	skipKeys: starlark.False, ensureASCII: starlark.True, checkCircular: starlark.True, allowNaN: starlark.True, sortKeys: starlark.False,
	indent: starlark.None, separators: starlark.None, dflt: starlark.None,
}

// parseDumpsOptions reads dumps's keyword arguments. It is apart from
// newJSONEncoder so that a call without them makes none of the
// allocations UnpackArgs's pointers cost.
func parseDumpsOptions(fname string, kwargs []starlark.Tuple) (dumpsOptions, error) {
	o := defaultDumpsOptions
	err := starlark.UnpackArgs(fname, nil, kwargs,
		"skipkeys?", &o.skipKeys, "ensure_ascii?", &o.ensureASCII, "check_circular?", &o.checkCircular,
		"allow_nan?", &o.allowNaN, "indent?", &o.indent, "separators?", &o.separators,
		"default?", &o.dflt, "sort_keys?", &o.sortKeys)
	return o, err
}

// newJSONEncoder parses dumps's keyword arguments.
func newJSONEncoder(thread *starlark.Thread, fname string, kwargs []starlark.Tuple) (*jsonEncoder, error) {
	o := defaultDumpsOptions
	if len(kwargs) > 0 {
		var err error
		if o, err = parseDumpsOptions(fname, kwargs); err != nil {
			return nil, err
		}
	}
	indent, separators, dflt := o.indent, o.separators, o.dflt
	e := &jsonEncoder{
		thread:        thread,
		skipKeys:      bool(o.skipKeys.Truth()),
		ensureASCII:   bool(o.ensureASCII.Truth()),
		checkCircular: bool(o.checkCircular.Truth()),
		allowNaN:      bool(o.allowNaN.Truth()),
		sortKeys:      bool(o.sortKeys.Truth()),
		itemSep:       ", ",
		keySep:        ": ",
		dflt:          dflt,
		meter:         py.NewMeter(thread),
	}
	e.markers = e.markersBuf[:0]
	e.b.Grow(64) // a small document's text in one allocation, not four doublings from 8
	switch x := indent.(type) {
	case starlark.NoneType:
	case starlark.String:
		s := string(x)
		e.indent = &s
	case starlark.Bool:
		s := map[bool]string{false: "", true: " "}[bool(x)]
		e.indent = &s
	case starlark.Int:
		n, err := starlark.AsInt32(x)
		if err != nil {
			return nil, py.Errorf(py.OverflowError, "cannot fit 'int' into an index-sized integer")
		}
		if n >= py.MinReserve {
			if err := e.meter.Reserve(int64(n)); err != nil {
				return nil, err
			}
		}
		s := strings.Repeat(" ", max(n, 0))
		e.indent = &s
	default:
		return nil, py.Errorf(py.TypeError, "can't multiply sequence by non-int of type '%s'", py.TypeName(indent))
	}
	if e.indent != nil {
		e.itemSep = ","
	}
	if separators != starlark.None {
		seps, err := jsonUnpack2(separators)
		if err != nil {
			return nil, err
		}
		e.itemSep, e.keySep = seps[0], seps[1]
	}
	if dflt != starlark.None {
		if _, ok := dflt.(starlark.Callable); !ok {
			return nil, py.Errorf(py.TypeError, "'%s' object is not callable", py.TypeName(dflt))
		}
	}
	return e, nil
}

// jsonUnpack2 unpacks separators=(item_separator, key_separator).
func jsonUnpack2(v starlark.Value) ([2]string, error) {
	var out [2]string
	iterable, ok := v.(starlark.Iterable)
	if !ok {
		return out, py.Errorf(py.TypeError, "cannot unpack non-iterable %s object", py.TypeName(v))
	}
	var items []starlark.Value
	iter := iterable.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		if len(items) == 2 {
			return out, py.Errorf(py.ValueError, "too many values to unpack (expected 2)")
		}
		items = append(items, x)
	}
	if len(items) < 2 {
		return out, py.Errorf(py.ValueError, "not enough values to unpack (expected 2, got %d)", len(items))
	}
	for i, item := range items {
		s, ok := item.(starlark.String)
		if !ok {
			return out, py.Errorf(py.TypeError, "separators must be str, not %s", py.TypeName(item))
		}
		out[i] = string(s)
	}
	return out, nil
}

// jsonDumps is json.dumps(obj, **options).
func jsonDumps(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.PositionalArgsError("dumps", []string{"obj"}, len(args))
	}
	e, err := newJSONEncoder(thread, b.Name(), kwargs)
	if err != nil {
		return nil, err
	}
	if err := e.encode(args[0], 0); err != nil {
		return nil, err
	}
	return starlark.String(e.b.String()), nil
}

// jsonDump is json.dump(obj, fp, **options): fp is sys.stdout, sys.stderr
// or any value with a write method.
func jsonDump(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 2 {
		return nil, py.PositionalArgsError("dump", []string{"obj", "fp"}, len(args))
	}
	var obj, fp starlark.Value
	var rest []starlark.Tuple
	for _, kv := range kwargs {
		switch kv[0].(starlark.String) {
		case "obj":
			obj = kv[1]
		case "fp":
			fp = kv[1]
		default:
			rest = append(rest, kv)
		}
	}
	if len(args) > 0 {
		obj = args[0]
	}
	if len(args) > 1 {
		fp = args[1]
	}
	if obj == nil {
		return nil, py.Errorf(py.TypeError, "dump() missing required argument: 'obj'")
	}
	if fp == nil {
		return nil, py.Errorf(py.TypeError, "dump() missing required argument: 'fp'")
	}
	e, err := newJSONEncoder(thread, b.Name(), rest)
	if err != nil {
		return nil, err
	}
	if err := e.encode(obj, 0); err != nil {
		return nil, err
	}
	s := e.b.String()
	if w, ok := fp.(py.TextWriter); ok {
		return starlark.None, w.WriteText(thread, s)
	}
	write, err := jsonMethod(fp, "write")
	if err != nil {
		return nil, err
	}
	_, err = starlark.Call(thread, write, starlark.Tuple{starlark.String(s)}, nil)
	return starlark.None, err
}

// jsonMethod returns v.name (write, or read for load), or Python's
// AttributeError.
func jsonMethod(v starlark.Value, name string) (starlark.Value, error) {
	if ha, ok := v.(starlark.HasAttrs); ok {
		x, err := ha.Attr(name)
		if err != nil {
			return nil, err
		}
		if x != nil {
			return x, nil
		}
	}
	return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute '%s'", py.TypeName(v), name)
}

// encode appends the JSON form of v, as CPython's _iterencode does.
func (e *jsonEncoder) encode(v starlark.Value, level int) error {
	if err := e.meter.Tick(); err != nil {
		return err
	}
	switch v := v.(type) {
	case starlark.String:
		return e.writeString(string(v))
	case starlark.NoneType:
		e.b.WriteString("null")
	case starlark.Bool:
		if v {
			e.b.WriteString("true")
		} else {
			e.b.WriteString("false")
		}
	case starlark.Int:
		s, err := pyIntString(v)
		if err != nil {
			return err
		}
		e.b.WriteString(s)
	case starlark.Float:
		s, err := e.floatString(float64(v))
		if err != nil {
			return err
		}
		e.b.WriteString(s)
	case *starlark.List:
		return e.encodeArray(v, v.Len(), v.Index, level)
	case starlark.Tuple:
		return e.encodeArray(v, len(v), func(i int) starlark.Value { return v[i] }, level)
	case py.NamedTupleValue:
		return e.encodeArray(v, v.Len(), v.Index, level)
	case *starlark.Dict:
		return e.encodeObject(v, level)
	case py.DictSubclass:
		return e.encodeObject(v.Dict(), level)
	default:
		if dv, ok := py.DataValueOf(v); ok { // an IntEnum or StrEnum member is its int or str
			return e.encode(dv, level)
		}
		if e.dflt == starlark.None {
			return py.Errorf(py.TypeError, "Object of type %s is not JSON serializable", py.ClassName(v))
		}
		if err := e.enter(v); err != nil {
			return err
		}
		x, err := starlark.Call(e.thread, e.dflt, starlark.Tuple{v}, nil)
		if err != nil {
			return err
		}
		if err := e.encode(x, level); err != nil {
			return err
		}
		e.leave(v)
	}
	return nil
}

// enter records that v is being encoded, detecting cycles and excessive
// nesting as CPython does.
func (e *jsonEncoder) enter(v starlark.Value) error {
	e.depth++
	if e.depth > jsonMaxDepth {
		return py.Errorf(py.RecursionError, "maximum recursion depth exceeded while encoding a JSON object")
	}
	if e.checkCircular && isIdentityComparable(v) {
		for _, m := range e.markers {
			if m == v {
				return py.Errorf(py.ValueError, "Circular reference detected")
			}
		}
		e.markers = append(e.markers, v)
	}
	return nil
}

func (e *jsonEncoder) leave(v starlark.Value) {
	e.depth--
	if n := len(e.markers); n > 0 && isIdentityComparable(v) && e.markers[n-1] == v {
		e.markers = e.markers[:n-1]
	}
}

// isIdentityComparable reports whether v can be compared with == without
// a panic (pointers can; tuples, which are slices, cannot).
func isIdentityComparable(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Tuple:
		return false
	case *starlark.List, *starlark.Dict, *starlark.Set, *py.NamedTuple, *starlark.Function, *starlark.Builtin:
		return true
	}
	defer func() { recover() }()
	_ = v == v
	return true
}

// newline starts a new line at the given indentation level, if indenting.
func (e *jsonEncoder) newline(level int) {
	e.b.WriteByte('\n')
	e.b.WriteString(strings.Repeat(*e.indent, level))
}

func (e *jsonEncoder) encodeArray(v starlark.Value, n int, index func(int) starlark.Value, level int) error {
	if n == 0 {
		e.b.WriteString("[]")
		return nil
	}
	if err := e.enter(v); err != nil {
		return err
	}
	e.b.WriteByte('[')
	if e.indent != nil {
		level++
		e.newline(level)
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			e.b.WriteString(e.itemSep)
			if e.indent != nil {
				e.newline(level)
			}
		}
		if err := e.encode(index(i), level); err != nil {
			return err
		}
	}
	if e.indent != nil {
		e.newline(level - 1)
	}
	e.b.WriteByte(']')
	e.leave(v)
	return nil
}

func (e *jsonEncoder) encodeObject(d *starlark.Dict, level int) error {
	if d.Len() == 0 {
		e.b.WriteString("{}")
		return nil
	}
	if err := e.enter(d); err != nil {
		return err
	}
	items := d.Items()
	if e.sortKeys {
		if err := sortByKey(items); err != nil {
			return err
		}
	}
	e.b.WriteByte('{')
	if e.indent != nil {
		level++
		e.newline(level)
	}
	first := true
	for _, item := range items {
		var key string
		switch k := item[0].(type) {
		case starlark.String:
			key = string(k)
		case starlark.Float:
			s, err := e.floatString(float64(k))
			if err != nil {
				return err
			}
			key = s
		case starlark.Bool:
			key = map[bool]string{true: "true", false: "false"}[bool(k)]
		case starlark.NoneType:
			key = "null"
		case starlark.Int:
			s, err := pyIntString(k)
			if err != nil {
				return err
			}
			key = s
		default:
			if e.skipKeys {
				continue
			}
			return py.Errorf(py.TypeError, "keys must be str, int, float, bool or None, not %s", py.TypeName(k))
		}
		if first {
			first = false
		} else {
			e.b.WriteString(e.itemSep)
			if e.indent != nil {
				e.newline(level)
			}
		}
		if err := e.writeString(key); err != nil {
			return err
		}
		e.b.WriteString(e.keySep)
		if err := e.encode(item[1], level); err != nil {
			return err
		}
	}
	if e.indent != nil {
		e.newline(level - 1)
	}
	e.b.WriteByte('}')
	e.leave(d)
	return nil
}

// sortByKey sorts dict items by key as Python's sorted(d.items()) does,
// failing with Python's TypeError when two keys cannot be ordered.
func sortByKey(items []starlark.Tuple) error {
	var cmpErr error
	sort.SliceStable(items, func(i, j int) bool {
		if cmpErr != nil {
			return false
		}
		a, b := items[i][0], items[j][0]
		less, err := starlark.Compare(syntax.LT, a, b)
		if err != nil {
			cmpErr = py.Errorf(py.TypeError, "'<' not supported between instances of '%s' and '%s'", py.TypeName(a), py.TypeName(b))
		}
		return less
	})
	return cmpErr
}

// floatString is CPython's floatstr: repr(f), or NaN/Infinity/-Infinity.
func (e *jsonEncoder) floatString(f float64) (string, error) {
	var s string
	switch {
	case math.IsNaN(f):
		s = "NaN"
	case math.IsInf(f, 1):
		s = "Infinity"
	case math.IsInf(f, -1):
		s = "-Infinity"
	default:
		return py.FloatRepr(f), nil
	}
	if !e.allowNaN {
		return "", py.Errorf(py.ValueError, "Out of range float values are not JSON compliant")
	}
	return s, nil
}

// pyIntString is str(i), refusing more digits than CPython converts.
func pyIntString(i starlark.Int) (string, error) {
	s := i.String()
	if len(strings.TrimPrefix(s, "-")) > pyIntMaxStrDigits {
		return "", py.Errorf(py.ValueError, "Exceeds the limit (%d digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit", pyIntMaxStrDigits)
	}
	return s, nil
}

// writeString appends s as a JSON string, escaping as CPython does: with
// ensure_ascii every character outside printable ASCII becomes \uXXXX
// (a surrogate pair above U+FFFF); without it only '"', '\\' and control
// characters are escaped.
func (e *jsonEncoder) writeString(s string) error {
	b := &e.b
	b.WriteByte('"')
	check := py.QuoteCheckBytes
	for i := 0; i < len(s); {
		if i >= check {
			if err := e.meter.TickN(py.QuoteCheckBytes / py.BytesPerTick); err != nil {
				return err
			}
			check += py.QuoteCheckBytes
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if sr, ok := wtf8Surrogate(s[i:]); ok {
				r, size = sr, 3
			}
		}
		i += size
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r < 0x20, e.ensureASCII && r > 0x7e && r <= 0xffff:
				b.WriteString(`\u` + py.HexN(int(r), 4))
			case e.ensureASCII && r > 0xffff:
				r1, r2 := utf16.EncodeRune(r)
				b.WriteString(`\u` + py.HexN(int(r1), 4) + `\u` + py.HexN(int(r2), 4))
			case r >= 0xd800 && r <= 0xdfff:
				b.WriteString(wtf8Encode(r))
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return nil
}

// ---- loads ----

// jsonDecoder holds the document and options of one loads call.
type jsonDecoder struct {
	thread                                                     *starlark.Thread
	s                                                          string
	strict                                                     bool
	objectHook, pairsHook, parseFloat, parseInt, parseConstant starlark.Value
	depth                                                      int
	meter                                                      py.Meter
}

// jsonLoad is json.load(fp, **options): loads(fp.read(), **options).
func jsonLoad(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.PositionalArgsError("load", []string{"fp"}, len(args))
	}
	read, err := jsonMethod(args[0], "read")
	if err != nil {
		return nil, err
	}
	text, err := starlark.Call(thread, read, nil, nil)
	if err != nil {
		return nil, err
	}
	return jsonLoads(thread, b, starlark.Tuple{text}, kwargs)
}

// jsonLoads is json.loads(s, **options).
func jsonLoads(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.PositionalArgsError("loads", []string{"s"}, len(args))
	}
	d := &jsonDecoder{thread: thread, meter: py.NewMeter(thread), objectHook: starlark.None, pairsHook: starlark.None, parseFloat: starlark.None, parseInt: starlark.None, parseConstant: starlark.None, strict: true}
	if len(kwargs) > 0 {
		if err := d.parseOptions(b.Name(), kwargs); err != nil {
			return nil, err
		}
	}
	switch s := args[0].(type) {
	case starlark.String:
		if strings.HasPrefix(string(s), "\ufeff") {
			d.s = string(s)
			return nil, d.errorAt("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
		}
		d.s = string(s)
	case py.Bytes, *py.Bytearray:
		b, _ := py.BytesLike(s)
		text, err := jsonDecodeBytes(b)
		if err != nil {
			return nil, err
		}
		d.s = text
	default:
		return nil, py.Errorf(py.TypeError, "the JSON object must be str, bytes or bytearray, not %s", py.TypeName(args[0]))
	}
	v, end, err := d.scan(d.skipSpace(0))
	if err != nil {
		return nil, err
	}
	if end = d.skipSpace(end); end != len(d.s) {
		return nil, d.errorAt("Extra data", end)
	}
	return v, nil
}

// parseOptions reads loads's keyword arguments. It is apart from
// jsonLoads so that a call without them does not allocate strict.
func (d *jsonDecoder) parseOptions(fname string, kwargs []starlark.Tuple) error {
	var strict starlark.Value = starlark.True
	if err := starlark.UnpackArgs(fname, nil, kwargs,
		"object_hook?", &d.objectHook, "parse_float?", &d.parseFloat, "parse_int?", &d.parseInt,
		"parse_constant?", &d.parseConstant, "object_pairs_hook?", &d.pairsHook, "strict?", &strict); err != nil {
		return err
	}
	d.strict = bool(strict.Truth())
	return nil
}

// errorAt returns a JSONDecodeError for the byte offset pos, reported as
// Python does with a character offset: "msg: line L column C (char P)".
func (d *jsonDecoder) errorAt(msg string, pos int) *py.Exception {
	before := d.s[:pos]
	char := utf8.RuneCountInString(before)
	line := strings.Count(before, "\n") + 1
	col := char + 1
	if nl := strings.LastIndexByte(before, '\n'); nl >= 0 {
		col = char - utf8.RuneCountInString(before[:nl])
	}
	return py.Errorf(JSONDecodeError, "%s: line %d column %d (char %d)", msg, line, col, char)
}

func (d *jsonDecoder) skipSpace(i int) int {
	for i < len(d.s) {
		switch d.s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scan decodes the value starting at byte i, returning it and the offset
// just after it (CPython's scan_once).
func (d *jsonDecoder) scan(i int) (starlark.Value, int, error) {
	if err := d.meter.Tick(); err != nil {
		return nil, 0, err
	}
	if i >= len(d.s) {
		return nil, 0, d.errorAt("Expecting value", i)
	}
	rest := d.s[i:]
	switch rest[0] {
	case '"':
		s, end, err := d.scanString(i + 1)
		return starlark.String(s), end, err
	case '{':
		return d.nested(" while decoding a JSON object from a unicode string", func() (starlark.Value, int, error) { return d.scanObject(i + 1) })
	case '[':
		return d.nested(" while decoding a JSON array from a unicode string", func() (starlark.Value, int, error) { return d.scanArray(i + 1) })
	}
	for _, c := range []struct {
		text  string
		value starlark.Value
	}{{"null", starlark.None}, {"true", starlark.True}, {"false", starlark.False}} {
		if strings.HasPrefix(rest, c.text) {
			return c.value, i + len(c.text), nil
		}
	}
	for _, c := range []struct {
		text  string
		value float64
	}{{"NaN", math.NaN()}, {"Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)}} {
		if strings.HasPrefix(rest, c.text) {
			v, err := d.hook(d.parseConstant, c.text, starlark.Float(c.value))
			return v, i + len(c.text), err
		}
	}
	return d.scanNumber(i)
}

// nested runs fn one level deeper, failing past jsonMaxDepth.
func (d *jsonDecoder) nested(what string, fn func() (starlark.Value, int, error)) (starlark.Value, int, error) {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > jsonMaxDepth {
		return nil, 0, py.Errorf(py.RecursionError, "maximum recursion depth exceeded%s", what)
	}
	return fn()
}

// hook calls a parse_* hook with the token's text, or returns v if the
// hook is None.
func (d *jsonDecoder) hook(fn starlark.Value, text string, v starlark.Value) (starlark.Value, error) {
	if fn == starlark.None {
		return v, nil
	}
	return starlark.Call(d.thread, fn, starlark.Tuple{starlark.String(text)}, nil)
}

func jsonIsDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber matches -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? at i, as
// CPython's _match_number_unicode does (backtracking over a bare "e").
func (d *jsonDecoder) scanNumber(start int) (starlark.Value, int, error) {
	s := d.s
	i := start
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i++; i < len(s) && jsonIsDigit(s[i]); i++ {
		}
	case i < len(s) && s[i] == '0':
		i++
	default:
		return nil, 0, d.errorAt("Expecting value", start)
	}
	isFloat := false
	if i+1 < len(s) && s[i] == '.' && jsonIsDigit(s[i+1]) {
		isFloat = true
		for i += 2; i < len(s) && jsonIsDigit(s[i]); i++ {
		}
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j+1 < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		k := j
		for k < len(s) && jsonIsDigit(s[k]) {
			k++
		}
		if k > j {
			isFloat, i = true, k
		}
	}
	text := s[start:i]
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64) // out of range gives ±Inf or 0, as Python's float()
		v, err := d.hook(d.parseFloat, text, starlark.Float(f))
		return v, i, err
	}
	if d.parseInt != starlark.None {
		v, err := d.hook(d.parseInt, text, nil)
		return v, i, err
	}
	v, err := parsePyInt(text)
	return v, i, err
}

// parsePyInt converts a decimal integer literal, refusing more digits than
// CPython converts.
func parsePyInt(text string) (starlark.Value, error) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return starlark.MakeInt64(n), nil
	}
	if digits := len(strings.TrimPrefix(text, "-")); digits > pyIntMaxStrDigits {
		return nil, py.Errorf(py.ValueError, "Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", pyIntMaxStrDigits, digits)
	}
	n, ok := new(big.Int).SetString(text, 10)
	if !ok {
		return nil, py.Errorf(py.ValueError, "invalid literal for int() with base 10: %s", py.QuoteString(text))
	}
	return starlark.MakeBigInt(n), nil
}

// scanString decodes the string whose opening quote is just before end,
// returning it and the offset after its closing quote (CPython's
// scanstring_unicode).
func (d *jsonDecoder) scanString(end int) (string, int, error) {
	s := d.s
	begin := end - 1
	var b strings.Builder
	for {
		next := end
		for ; next < len(s); next++ {
			c := s[next]
			if c == '"' || c == '\\' {
				break
			}
			if c <= 0x1f && d.strict {
				return "", 0, d.errorAt("Invalid control character at", next)
			}
		}
		if next >= len(s) {
			return "", 0, d.errorAt("Unterminated string starting at", begin)
		}
		b.WriteString(s[end:next])
		if s[next] == '"' {
			return b.String(), next + 1, nil
		}
		next++ // the backslash
		if next == len(s) {
			return "", 0, d.errorAt("Unterminated string starting at", begin)
		}
		c := s[next]
		if c != 'u' {
			end = next + 1
			switch c {
			case '"', '\\', '/':
				b.WriteByte(c)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			default:
				return "", 0, d.errorAt("Invalid \\escape", end-2)
			}
			continue
		}
		next++
		end = next + 4
		if end >= len(s) {
			return "", 0, d.errorAt("Invalid \\uXXXX escape", next-1)
		}
		r, ok := jsonHex4(s[next:end])
		if !ok {
			return "", 0, d.errorAt("Invalid \\uXXXX escape", end-5)
		}
		if utf16.IsSurrogate(r) && r < 0xdc00 && end+6 < len(s) && s[end] == '\\' && s[end+1] == 'u' {
			r2, ok := jsonHex4(s[end+2 : end+6])
			if !ok {
				return "", 0, d.errorAt("Invalid \\uXXXX escape", end+1)
			}
			if r2 >= 0xdc00 && r2 <= 0xdfff {
				r = utf16.DecodeRune(r, r2)
				end += 6
			}
		}
		pyWriteRune(&b, r) // a lone surrogate is kept, as in Python
	}
}

// A Python str may hold lone surrogates (json.loads('"\\ud800"')), which
// UTF-8 cannot; kstar keeps them in a string as their 3-byte generalised
// UTF-8 (WTF-8) form, so that dumps writes them back as Python does.

// wtf8Encode returns the 3-byte form of the surrogate r.
func wtf8Encode(r rune) string {
	return string([]byte{0xe0 | byte(r>>12), 0x80 | byte(r>>6)&0x3f, 0x80 | byte(r)&0x3f})
}

// wtf8Surrogate decodes a surrogate's 3-byte form at the start of s.
func wtf8Surrogate(s string) (rune, bool) {
	if len(s) < 3 || s[0] != 0xed || s[1] < 0xa0 || s[1] > 0xbf || s[2] < 0x80 || s[2] > 0xbf {
		return 0, false
	}
	return rune(s[0]&0x0f)<<12 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), true
}

// jsonHex4 decodes four hexadecimal digits.
func jsonHex4(s string) (rune, bool) {
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		var v byte
		switch {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

func (d *jsonDecoder) scanObject(i int) (starlark.Value, int, error) {
	s := d.s
	// Without object_pairs_hook the pairs go straight into the dict, as
	// dict(pairs) would put them (a repeated key keeps its first place
	// and takes its last value); the hook gets them as a list.
	var pairs []starlark.Tuple
	var dict *starlark.Dict
	if d.pairsHook == starlark.None {
		dict = starlark.NewDict(0)
	}
	i = d.skipSpace(i)
	if i >= len(s) || s[i] != '}' {
		for {
			if i >= len(s) || s[i] != '"' {
				return nil, 0, d.errorAt("Expecting property name enclosed in double quotes", i)
			}
			key, next, err := d.scanString(i + 1)
			if err != nil {
				return nil, 0, err
			}
			i = d.skipSpace(next)
			if i >= len(s) || s[i] != ':' {
				return nil, 0, d.errorAt("Expecting ':' delimiter", i)
			}
			i = d.skipSpace(i + 1)
			v, next, err := d.scan(i)
			if err != nil {
				return nil, 0, err
			}
			if dict != nil {
				if err := dict.SetKey(starlark.String(key), v); err != nil {
					return nil, 0, err
				}
			} else {
				pairs = append(pairs, starlark.Tuple{starlark.String(key), v})
			}
			i = d.skipSpace(next)
			if i < len(s) && s[i] == '}' {
				break
			}
			if i >= len(s) || s[i] != ',' {
				return nil, 0, d.errorAt("Expecting ',' delimiter", i)
			}
			i = d.skipSpace(i + 1)
		}
	}
	end := i + 1
	if dict == nil {
		list := make([]starlark.Value, len(pairs))
		for j, p := range pairs {
			list[j] = p
		}
		v, err := starlark.Call(d.thread, d.pairsHook, starlark.Tuple{starlark.NewList(list)}, nil)
		return v, end, err
	}
	if d.objectHook != starlark.None {
		v, err := starlark.Call(d.thread, d.objectHook, starlark.Tuple{dict}, nil)
		return v, end, err
	}
	return dict, end, nil
}

func (d *jsonDecoder) scanArray(i int) (starlark.Value, int, error) {
	s := d.s
	var elems []starlark.Value
	i = d.skipSpace(i)
	if i >= len(s) || s[i] != ']' {
		for {
			v, next, err := d.scan(i)
			if err != nil {
				return nil, 0, err
			}
			elems = append(elems, v)
			i = d.skipSpace(next)
			if i < len(s) && s[i] == ']' {
				break
			}
			if i >= len(s) || s[i] != ',' {
				return nil, 0, d.errorAt("Expecting ',' delimiter", i)
			}
			i = d.skipSpace(i + 1)
		}
	}
	return starlark.NewList(elems), i + 1, nil
}

// ---- text decoding of bytes ----

// jsonDecodeBytes decodes a bytes document in the encoding Python's
// json.detect_encoding picks: UTF-8 (a BOM is dropped), or UTF-16/UTF-32
// by BOM or by the pattern of zero bytes at the start.
func jsonDecodeBytes(b string) (string, error) {
	switch {
	case strings.HasPrefix(b, "\x00\x00\xfe\xff"):
		return pyDecodeUTF32(b[4:], "utf-32-be", true, 4)
	case strings.HasPrefix(b, "\xff\xfe\x00\x00"):
		return pyDecodeUTF32(b[4:], "utf-32-le", false, 4)
	case strings.HasPrefix(b, "\xfe\xff"):
		return pyDecodeUTF16(b[2:], "utf-16-be", true, 2)
	case strings.HasPrefix(b, "\xff\xfe"):
		return pyDecodeUTF16(b[2:], "utf-16-le", false, 2)
	case strings.HasPrefix(b, "\xef\xbb\xbf"):
		return py.DecodeUTF8(b[3:], "utf-8", true, 3)
	}
	if len(b) >= 4 {
		switch {
		case b[0] == 0 && b[1] != 0:
			return pyDecodeUTF16(b, "utf-16-be", true, 0)
		case b[0] == 0:
			return pyDecodeUTF32(b, "utf-32-be", true, 0)
		case b[1] == 0 && (b[2] != 0 || b[3] != 0):
			return pyDecodeUTF16(b, "utf-16-le", false, 0)
		case b[1] == 0:
			return pyDecodeUTF32(b, "utf-32-le", false, 0)
		}
	} else if len(b) == 2 {
		switch {
		case b[0] == 0:
			return pyDecodeUTF16(b, "utf-16-be", true, 0)
		case b[1] == 0:
			return pyDecodeUTF16(b, "utf-16-le", false, 0)
		}
	}
	return py.DecodeUTF8(b, "utf-8", true, 0)
}

// pyDecodeUTF16 decodes UTF-16 with Python's surrogatepass handler (lone
// surrogates are kept, see wtf8Encode).
func pyDecodeUTF16(b, codec string, bigEndian bool, base int) (string, error) {
	var out strings.Builder
	unit := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	for i := 0; i+1 < len(b); i += 2 {
		r := unit(i)
		if r >= 0xd800 && r < 0xdc00 && i+3 < len(b) {
			if r2 := unit(i + 2); r2 >= 0xdc00 && r2 <= 0xdfff {
				out.WriteRune(utf16.DecodeRune(r, r2))
				i += 2
				continue
			}
		}
		pyWriteRune(&out, r)
	}
	if len(b)%2 != 0 {
		return "", py.NewUnicodeDecodeError(codec, b, len(b)-1, len(b), base, "truncated data")
	}
	return out.String(), nil
}

// pyDecodeUTF32 decodes UTF-32 with Python's surrogatepass handler.
func pyDecodeUTF32(b, codec string, bigEndian bool, base int) (string, error) {
	var out strings.Builder
	for i := 0; i < len(b); i += 4 {
		if i+4 > len(b) {
			return "", py.NewUnicodeDecodeError(codec, b, i, len(b), base, "truncated data")
		}
		var r uint32
		if bigEndian {
			r = uint32(b[i])<<24 | uint32(b[i+1])<<16 | uint32(b[i+2])<<8 | uint32(b[i+3])
		} else {
			r = uint32(b[i+3])<<24 | uint32(b[i+2])<<16 | uint32(b[i+1])<<8 | uint32(b[i])
		}
		if r > utf8.MaxRune {
			return "", py.NewUnicodeDecodeError(codec, b, i, i+4, base, "code point not in range(0x110000)")
		}
		pyWriteRune(&out, rune(r))
	}
	return out.String(), nil
}

// pyWriteRune appends r, keeping a surrogate in its WTF-8 form.
func pyWriteRune(b *strings.Builder, r rune) {
	if utf16.IsSurrogate(r) {
		b.WriteString(wtf8Encode(r))
	} else {
		b.WriteRune(r)
	}
}

// jsonHelp documents the json module's functions for help(obj).
var Help = py.HelpTable{
	// json: CPython's functions and Starlark's own.
	"json.dumps":  {Params: "obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, indent=None, separators=None, default=None, sort_keys=False", Doc: "Serialize obj to a JSON formatted str."},
	"json.dump":   {Params: "obj, fp, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, indent=None, separators=None, default=None, sort_keys=False", Doc: "Serialize obj as JSON to fp, a value with a write method (sys.stdout)."},
	"json.loads":  {Params: "s, *, object_hook=None, parse_float=None, parse_int=None, parse_constant=None, object_pairs_hook=None, strict=True", Doc: "Deserialize s, a str or bytes holding a JSON document, to a Python object."},
	"json.load":   {Params: "fp, *, object_hook=None, parse_float=None, parse_int=None, parse_constant=None, object_pairs_hook=None, strict=True", Doc: "Deserialize the JSON document fp.read() returns (fp: a file, io.StringIO, ...) to a Python object."},
	"json.encode": {Params: "x", Doc: "Starlark's json.encode: the compact JSON text of x."},
	"json.decode": {Params: "x[, default]", Doc: "Starlark's json.decode: the value of JSON text x; default, if given, when x is not valid JSON."},
	"json.indent": {Params: "str, *, prefix='', indent='\\t'", Doc: "Starlark's json.indent: JSON text str reformatted with one element per line."},
}
