// Package pprint is Python's pprint module for kstar scripts:
// pprint(object, stream=None, indent=1, width=80, depth=None, *,
// compact=False, sort_dicts=True, underscore_numbers=False), pformat
// (the same but stream), pp (sort_dicts=False), saferepr, isreadable,
// isrecursive and PrettyPrinter (pprint, pformat, isreadable,
// isrecursive). Output is CPython 3.11's to the character: dicts
// (sorted by key unless sort_dicts=False), lists, tuples, sets, long
// strs and bytes (split into adjacent literals) and collections'
// Counter, defaultdict, OrderedDict and deque are wrapped to the width;
// other values print as their repr.
//
// Sets print their elements sorted, as CPython's pprint does; where a
// set is nested inside a value that fits on one line, it prints as its
// repr, whose order is insertion order in kstar and hash order in
// CPython.
package pprint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pystr"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the pprint module for one execution.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "pprint", Members: starlark.StringDict{
		"pprint":        py.Func("pprint", pprintFunc("pprint", true)),
		"pp":            py.Func("pp", pprintFunc("pp", false)),
		"pformat":       py.Func("pformat", pformat),
		"saferepr":      py.Func("saferepr", reprInfo("saferepr")),
		"isreadable":    py.Func("isreadable", reprInfo("isreadable")),
		"isrecursive":   py.Func("isrecursive", reprInfo("isrecursive")),
		"PrettyPrinter": printerClass,
	}}
}

// printGlobal is the print builtin, through which pprint writes.
var printGlobal = py.Globals()["print"]

// PrettyPrinter is pprint.PrettyPrinter: the settings of the formatting.
type PrettyPrinter struct {
	indent     int
	width      int
	depth      int // 0: None
	stream     starlark.Value
	compact    bool
	sortDicts  bool
	underscore bool
}

var (
	_ starlark.HasAttrs = (*PrettyPrinter)(nil)
	_ py.Instance       = (*PrettyPrinter)(nil)
)

var printerClass = py.NewClass("pprint.PrettyPrinter", newPrinterFunc, func(v starlark.Value) bool {
	_, ok := v.(*PrettyPrinter)
	return ok
}, nil)

// newPrinter checks the settings as PrettyPrinter.__init__ does.
func newPrinter(indent, width, depth, stream, compact, sortDicts, underscore starlark.Value) (*PrettyPrinter, error) {
	p := &PrettyPrinter{stream: stream, compact: bool(compact.Truth()), sortDicts: bool(sortDicts.Truth()), underscore: bool(underscore.Truth())}
	var err error
	if p.indent, err = toInt(indent); err != nil {
		return nil, err
	}
	if p.width, err = toInt(width); err != nil {
		return nil, err
	}
	if p.indent < 0 {
		return nil, py.Errorf(py.ValueError, "indent must be >= 0")
	}
	if depth != starlark.None {
		d, ok := depth.(starlark.Int)
		if !ok {
			return nil, py.Errorf(py.TypeError, "'<=' not supported between instances of '%s' and 'int'", py.TypeName(depth))
		}
		n, _ := d.Int64()
		if n <= 0 {
			return nil, py.Errorf(py.ValueError, "depth must be > 0")
		}
		p.depth = int(min(n, 1<<30))
	}
	if p.width == 0 {
		return nil, py.Errorf(py.ValueError, "width must be != 0")
	}
	return p, nil
}

// toInt is Python's int(v) of an indent or width.
func toInt(v starlark.Value) (int, error) {
	switch v := v.(type) {
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n != int64(int(n)) {
			return 0, py.Errorf(py.OverflowError, "Python int too large to convert to C ssize_t")
		}
		return int(n), nil
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case starlark.Float:
		return int(v), nil
	}
	return 0, py.Errorf(py.TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", py.TypeName(v))
}

// bind binds the arguments of pprint, pformat, pp and PrettyPrinter:
// the positional names first, then the keyword-only ones; the first
// required of them are required.
func bind(fname string, positional, keywordOnly []string, required int, args starlark.Tuple, kwargs []starlark.Tuple) (map[string]starlark.Value, error) {
	v := map[string]starlark.Value{
		"stream": starlark.None, "indent": starlark.MakeInt(1), "width": starlark.MakeInt(80), "depth": starlark.None,
		"compact": starlark.False, "sort_dicts": starlark.True, "underscore_numbers": starlark.False,
	}
	if len(args) > len(positional) {
		return nil, py.Errorf(py.TypeError, "%s() takes from %d to %d positional arguments but %d were given", fname, required, len(positional), len(args))
	}
	given := map[string]bool{}
	for i, a := range args {
		v[positional[i]] = a
		given[positional[i]] = true
	}
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		known := false
		for _, p := range append(append([]string{}, positional...), keywordOnly...) {
			known = known || p == name
		}
		if !known {
			return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, name)
		}
		if given[name] {
			return nil, py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", fname, name)
		}
		v[name] = kv[1]
		given[name] = true
	}
	for _, p := range positional[:required] {
		if !given[p] {
			return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: '%s'", fname, p)
		}
	}
	return v, nil
}

func printerOf(v map[string]starlark.Value) (*PrettyPrinter, error) {
	return newPrinter(v["indent"], v["width"], v["depth"], v["stream"], v["compact"], v["sort_dicts"], v["underscore_numbers"])
}

var keywordOnly = []string{"compact", "sort_dicts", "underscore_numbers"}

// PrettyPrinter(indent=1, width=80, depth=None, stream=None, *, ...)
func newPrinterFunc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := bind("PrettyPrinter.__init__", []string{"indent", "width", "depth", "stream"}, keywordOnly, 0, args, kwargs)
	if err != nil {
		return nil, err
	}
	return printerOf(v)
}

// pprintFunc makes pprint(object, stream=None, indent=1, ...) and pp
// (sort_dicts=False by default).
func pprintFunc(name string, sortDicts bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if !sortDicts {
			hasSort := false
			for _, kv := range kwargs {
				hasSort = hasSort || kv[0] == starlark.String("sort_dicts")
			}
			if !hasSort {
				kwargs = append(kwargs, starlark.Tuple{starlark.String("sort_dicts"), starlark.False})
			}
		}
		v, err := bind(name, []string{"object", "stream", "indent", "width", "depth"}, keywordOnly, 1, args, kwargs)
		if err != nil {
			return nil, err
		}
		p, err := printerOf(v)
		if err != nil {
			return nil, err
		}
		return starlark.None, p.print(thread, v["object"])
	}
}

// pformat(object, indent=1, width=80, depth=None, *, ...)
func pformat(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := bind("pformat", []string{"object", "indent", "width", "depth"}, keywordOnly, 1, args, kwargs)
	if err != nil {
		return nil, err
	}
	p, err := printerOf(v)
	if err != nil {
		return nil, err
	}
	s, err := p.pformat(thread, v["object"])
	return starlark.String(s), err
}

// reprInfo makes saferepr, isreadable and isrecursive of an object.
func reprInfo(name string) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := bind(name, []string{"object"}, nil, 1, args, kwargs)
		if err != nil {
			return nil, err
		}
		p := &PrettyPrinter{indent: 1, width: 80, sortDicts: true}
		f := newFormatter(p, thread)
		rep, readable, recursive := f.safeRepr(v["object"], map[starlark.Value]bool{}, 0)
		if f.err != nil {
			return nil, f.err
		}
		switch name {
		case "saferepr":
			return starlark.String(rep), nil
		case "isreadable":
			return starlark.Bool(readable), nil
		}
		return starlark.Bool(recursive), nil
	}
}

// print writes the formatted object and a newline to the stream, or to
// sys.stdout.
func (p *PrettyPrinter) print(thread *starlark.Thread, obj starlark.Value) error {
	s, err := p.pformat(thread, obj)
	if err != nil {
		return err
	}
	var kwargs []starlark.Tuple
	if p.stream != starlark.None {
		kwargs = []starlark.Tuple{{starlark.String("file"), p.stream}}
	}
	_, err = starlark.Call(thread, printGlobal, starlark.Tuple{starlark.String(s)}, kwargs)
	return err
}

func (p *PrettyPrinter) pformat(thread *starlark.Thread, obj starlark.Value) (string, error) {
	f := newFormatter(p, thread)
	f.format(obj, 0, 0, map[starlark.Value]bool{}, 0)
	return f.out.String(), f.err
}

func (p *PrettyPrinter) PyClass() *py.Type     { return printerClass }
func (p *PrettyPrinter) String() string        { return fmt.Sprintf("<pprint.PrettyPrinter object at %p>", p) }
func (p *PrettyPrinter) Type() string          { return "PrettyPrinter" }
func (p *PrettyPrinter) Freeze()               {}
func (p *PrettyPrinter) Truth() starlark.Bool  { return true }
func (p *PrettyPrinter) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", p)).Hash() }

// Attr returns the methods.
func (p *PrettyPrinter) Attr(name string) (starlark.Value, error) {
	if m, ok := printerMethods[name]; ok {
		return m.BindReceiver(p), nil
	}
	return nil, nil
}

func (p *PrettyPrinter) AttrNames() []string {
	return []string{"isreadable", "isrecursive", "pformat", "pprint"}
}

func printerMethod(name string) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := bind("PrettyPrinter."+name, []string{"object"}, nil, 1, args, kwargs)
		if err != nil {
			return nil, err
		}
		p := b.Receiver().(*PrettyPrinter)
		switch name {
		case "pprint":
			return starlark.None, p.print(thread, v["object"])
		case "pformat":
			s, err := p.pformat(thread, v["object"])
			return starlark.String(s), err
		}
		f := newFormatter(p, thread)
		_, readable, recursive := f.safeRepr(v["object"], map[starlark.Value]bool{}, 0)
		if f.err != nil {
			return nil, f.err
		}
		if name == "isrecursive" {
			return starlark.Bool(recursive), nil
		}
		return starlark.Bool(readable && !recursive), nil
	})
}

var printerMethods = map[string]*starlark.Builtin{
	"pprint":      printerMethod("pprint"),
	"pformat":     printerMethod("pformat"),
	"isreadable":  printerMethod("isreadable"),
	"isrecursive": printerMethod("isrecursive"),
}

// formatter is one run of PrettyPrinter._format.
type formatter struct {
	p      *PrettyPrinter
	thread *starlark.Thread
	out    strings.Builder
	// err is what stopped the run: the execution's limits (which meter
	// counts against), nesting deeper than maxDepth, or an error from a
	// Counter's most_common, a deque's maxlen...
	err   error
	meter py.Meter
}

func newFormatter(p *PrettyPrinter, thread *starlark.Thread) *formatter {
	return &formatter{p: p, thread: thread, meter: py.NewMeter(thread)}
}

// maxDepth is how deeply containers may nest: CPython's recursion limit
// (which its pprint, two Python frames a level, reaches at half of it).
const maxDepth = 1000

// stopped counts a value formatted at level and reports whether the run
// must stop (f.err says why).
func (f *formatter) stopped(level int) bool {
	if f.err != nil {
		return true
	}
	if level > maxDepth {
		f.err = py.Errorf(py.RecursionError, "maximum recursion depth exceeded")
		return true
	}
	f.err = f.meter.Tick()
	return f.err != nil
}

func (f *formatter) write(s string) { f.out.WriteString(s) }

// width is len() of a str: its characters.
func width(s string) int { return utf8.RuneCountInString(s) }

// isContainer reports whether v can contain itself, so that recursion
// through it is tracked (by identity, as CPython's id()).
func isContainer(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.List, *starlark.Dict, *starlark.Set, py.DictSubclass:
		return true
	}
	return py.TypeName(v) == "collections.deque"
}

// className is the qualified name of v's class ("collections.Counter").
func className(v starlark.Value) string {
	s := py.TypeOf(v).String()
	return strings.TrimSuffix(strings.TrimPrefix(s, "<class '"), "'>")
}

// format writes obj, wrapped to fit in the width less indent and
// allowance (the characters that will follow it on its last line).
func (f *formatter) format(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	if f.stopped(level) {
		return
	}
	if isContainer(obj) && context[obj] {
		f.write(recursion(obj))
		return
	}
	rep := f.repr(obj, context, level)
	if width(rep) > f.p.width-indent-allowance {
		if pp := f.dispatch(obj); pp != nil {
			if isContainer(obj) {
				context[obj] = true
			}
			pp(obj, indent, allowance, context, level+1)
			if isContainer(obj) {
				delete(context, obj)
			}
			return
		}
	}
	f.write(rep)
}

// dispatch returns the function that wraps obj's type, or nil.
func (f *formatter) dispatch(obj starlark.Value) func(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	switch obj.(type) {
	case *starlark.Dict:
		return f.dict
	case *starlark.List:
		return f.list
	case starlark.Tuple:
		return f.tuple
	case *starlark.Set:
		return f.set
	case starlark.String:
		return f.str
	case py.Bytes:
		return f.bytes
	}
	switch className(obj) {
	case "collections.OrderedDict":
		return f.orderedDict
	case "collections.defaultdict":
		return f.defaultDict
	case "collections.Counter":
		return f.counter
	case "collections.deque":
		return f.deque
	}
	return nil
}

func recursion(obj starlark.Value) string {
	name := className(obj)
	return fmt.Sprintf("<Recursion on %s with id=%d>", name[strings.LastIndexByte(name, '.')+1:], idOf(obj))
}

// idOf is a number that identifies obj, as Python's id().
func idOf(obj starlark.Value) uint64 {
	n, _ := strconv.ParseUint(strings.TrimPrefix(fmt.Sprintf("%p", obj), "0x"), 16, 64)
	return n
}

// items returns the items of a dict or dict subclass, sorted by key when
// sort_dicts is set (keys that do not compare, by their class name).
func (f *formatter) items(obj starlark.Value) []starlark.Tuple {
	var items []starlark.Tuple
	switch d := obj.(type) {
	case *starlark.Dict:
		items = d.Items()
	case py.DictSubclass:
		items = d.Dict().Items()
	}
	if f.p.sortDicts {
		sort.SliceStable(items, func(i, j int) bool { return safeLess(items[i][0], items[j][0]) })
	}
	return items
}

// safeLess is pprint's _safe_key ordering: a < b, or, when they do not
// compare, the names of their classes.
func safeLess(a, b starlark.Value) bool {
	less, err := starlark.Compare(syntax.LT, a, b)
	if err != nil {
		return py.TypeOf(a).String() < py.TypeOf(b).String()
	}
	return less
}

func (f *formatter) dict(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	f.write("{")
	if f.p.indent > 1 {
		f.write(strings.Repeat(" ", f.p.indent-1))
	}
	if items := f.items(obj); len(items) > 0 {
		f.dictItems(items, indent, allowance+1, context, level)
	}
	f.write("}")
}

func (f *formatter) orderedDict(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	d := obj.(py.DictSubclass)
	if d.Dict().Len() == 0 {
		f.write(py.Repr(obj))
		return
	}
	f.write("OrderedDict(")
	items := d.Dict().Items()
	list := make([]starlark.Value, len(items))
	for i, kv := range items {
		list[i] = kv
	}
	f.format(starlark.NewList(list), indent+len("OrderedDict")+1, allowance+1, context, level)
	f.write(")")
}

func (f *formatter) defaultDict(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	d := obj.(py.DictSubclass)
	if d.Dict().Len() == 0 {
		f.write(py.Repr(obj))
		return
	}
	factory, err := py.GetAttr(obj, "default_factory")
	if err != nil {
		f.err = err
		return
	}
	rdf := f.repr(factory, context, level)
	indent += len("defaultdict") + 1
	f.write("defaultdict(" + rdf + ",\n" + strings.Repeat(" ", indent))
	f.dict(obj, indent, allowance+1, context, level)
	f.write(")")
}

func (f *formatter) counter(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	d := obj.(py.DictSubclass)
	if d.Dict().Len() == 0 {
		f.write(py.Repr(obj))
		return
	}
	f.write("Counter({")
	if f.p.indent > 1 {
		f.write(strings.Repeat(" ", f.p.indent-1))
	}
	mostCommon, err := py.GetAttr(obj, "most_common")
	if err == nil {
		var list starlark.Value
		if list, err = starlark.Call(f.thread, mostCommon, nil, nil); err == nil {
			var elems []starlark.Value
			if elems, err = py.Elements(f.thread, list); err == nil {
				items := make([]starlark.Tuple, len(elems))
				for i, e := range elems {
					items[i] = e.(starlark.Tuple)
				}
				f.dictItems(items, indent+len("Counter")+1, allowance+2, context, level)
			}
		}
	}
	if err != nil {
		f.err = err
	}
	f.write("})")
}

func (f *formatter) deque(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	elems, err := py.Elements(f.thread, obj)
	if err != nil {
		f.err = err
		return
	}
	if len(elems) == 0 {
		f.write(py.Repr(obj))
		return
	}
	maxlen, err := py.GetAttr(obj, "maxlen")
	if err != nil {
		f.err = err
		return
	}
	f.write("deque(")
	indent += len("deque") + 1
	f.write("[")
	if maxlen == starlark.None {
		f.formatItems(elems, indent, allowance+2, context, level)
		f.write("])")
		return
	}
	f.formatItems(elems, indent, 2, context, level)
	f.write("],\n" + strings.Repeat(" ", indent) + "maxlen=" + f.repr(maxlen, context, level) + ")")
}

func (f *formatter) list(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	l := obj.(*starlark.List)
	elems := make([]starlark.Value, l.Len())
	for i := range elems {
		elems[i] = l.Index(i)
	}
	f.write("[")
	f.formatItems(elems, indent, allowance+1, context, level)
	f.write("]")
}

func (f *formatter) tuple(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	t := obj.(starlark.Tuple)
	end := ")"
	if len(t) == 1 {
		end = ",)"
	}
	f.write("(")
	f.formatItems(t, indent, allowance+len(end), context, level)
	f.write(end)
}

func (f *formatter) set(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	elems, _ := py.Elements(f.thread, obj)
	if len(elems) == 0 {
		f.write(py.Repr(obj))
		return
	}
	sort.SliceStable(elems, func(i, j int) bool { return safeLess(elems[i], elems[j]) })
	f.write("{")
	f.formatItems(elems, indent, allowance+1, context, level)
	f.write("}")
}

// str splits a long str at line ends and, where a line is too long,
// after runs of spaces, into adjacent literals.
func (f *formatter) str(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	s := string(obj.(starlark.String))
	if s == "" {
		f.write(py.Repr(obj))
		return
	}
	var chunks []string
	lines := pystr.SplitLines(s)
	if level == 1 {
		indent++
		allowance++
	}
	maxWidth1 := f.p.width - indent
	maxWidth := maxWidth1
	var rep string
	for i, line := range lines {
		rep = py.QuoteString(line)
		if i == len(lines)-1 {
			maxWidth1 -= allowance
		}
		if width(rep) <= maxWidth1 {
			chunks = append(chunks, rep)
			continue
		}
		parts := wordParts(line)
		maxWidth2 := maxWidth
		current := ""
		for j, part := range parts {
			candidate := current + part
			if j == len(parts)-1 && i == len(lines)-1 {
				maxWidth2 -= allowance
			}
			if width(py.QuoteString(candidate)) > maxWidth2 {
				if current != "" {
					chunks = append(chunks, py.QuoteString(current))
				}
				current = part
			} else {
				current = candidate
			}
		}
		if current != "" {
			chunks = append(chunks, py.QuoteString(current))
		}
	}
	if len(chunks) == 1 {
		f.write(rep)
		return
	}
	if level == 1 {
		f.write("(")
	}
	for i, c := range chunks {
		if i > 0 {
			f.write("\n" + strings.Repeat(" ", indent))
		}
		f.write(c)
	}
	if level == 1 {
		f.write(")")
	}
}

// wordParts is re.findall(r'\S*\s*', line) without its final empty
// match: runs of non-space characters, each with the spaces after it.
func wordParts(line string) []string {
	var parts []string
	rs := []rune(line)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && !pystr.IsSpace(rs[j]) {
			j++
		}
		for j < len(rs) && pystr.IsSpace(rs[j]) {
			j++
		}
		parts = append(parts, string(rs[i:j]))
		i = j
	}
	return parts
}

// bytes splits long bytes into literals of whole groups of 4 bytes.
func (f *formatter) bytes(obj starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	b := string(obj.(py.Bytes))
	if len(b) <= 4 {
		f.write(py.Repr(obj))
		return
	}
	parens := level == 1
	if parens {
		indent++
		allowance++
		f.write("(")
	}
	delim := ""
	w := f.p.width - indent
	current := ""
	last := len(b) / 4 * 4
	emit := func(s string) {
		f.write(delim)
		f.write(py.QuoteBytes(s))
		if delim == "" {
			delim = "\n" + strings.Repeat(" ", indent)
		}
	}
	for i := 0; i < len(b); i += 4 {
		part := b[i:min(i+4, len(b))]
		candidate := current + part
		if i == last {
			w -= allowance
		}
		if width(py.QuoteBytes(candidate)) > w {
			if current != "" {
				emit(current)
			}
			current = part
		} else {
			current = candidate
		}
	}
	if current != "" {
		emit(current)
	}
	if parens {
		f.write(")")
	}
}

func (f *formatter) dictItems(items []starlark.Tuple, indent, allowance int, context map[starlark.Value]bool, level int) {
	indent += f.p.indent
	delimnl := ",\n" + strings.Repeat(" ", indent)
	for i, kv := range items {
		last := i == len(items)-1
		rep := f.repr(kv[0], context, level)
		f.write(rep)
		f.write(": ")
		a := 1
		if last {
			a = allowance
		}
		f.format(kv[1], indent+width(rep)+2, a, context, level)
		if !last {
			f.write(delimnl)
		}
	}
}

func (f *formatter) formatItems(items []starlark.Value, indent, allowance int, context map[starlark.Value]bool, level int) {
	indent += f.p.indent
	if f.p.indent > 1 {
		f.write(strings.Repeat(" ", f.p.indent-1))
	}
	delimnl := ",\n" + strings.Repeat(" ", indent)
	delim := ""
	w := f.p.width - indent + 1
	maxWidth := w
	for i, ent := range items {
		last := i == len(items)-1
		if last {
			maxWidth -= allowance
			w -= allowance
		}
		if f.p.compact {
			rep := f.repr(ent, context, level)
			n := width(rep) + 2
			if w < n {
				w = maxWidth
				if delim != "" {
					delim = delimnl
				}
			}
			if w >= n {
				w -= n
				f.write(delim)
				delim = ", "
				f.write(rep)
				continue
			}
		}
		f.write(delim)
		delim = delimnl
		a := 1
		if last {
			a = allowance
		}
		f.format(ent, indent, a, context, level)
	}
}

// repr is PrettyPrinter._repr: the safe repr, limited to depth.
func (f *formatter) repr(obj starlark.Value, context map[starlark.Value]bool, level int) string {
	copied := make(map[starlark.Value]bool, len(context))
	for k := range context {
		copied[k] = true
	}
	rep, _, _ := f.safeRepr(obj, copied, level)
	return rep
}

// safeRepr is PrettyPrinter._safe_repr: repr() with dicts sorted (when
// sort_dicts is set), containers beyond depth as ..., recursion named;
// and whether the result is readable (eval gives the value back) and
// recursive.
func (f *formatter) safeRepr(obj starlark.Value, context map[starlark.Value]bool, level int) (string, bool, bool) {
	if f.stopped(level) {
		return "", false, false
	}
	switch v := obj.(type) {
	case starlark.String, py.Bytes, starlark.Float, starlark.Bool, starlark.NoneType:
		return py.Repr(obj), true, false
	case starlark.Int:
		if f.p.underscore {
			return underscored(v.String()), true, false
		}
		return v.String(), true, false
	case *starlark.Dict:
		if v.Len() == 0 {
			return "{}", true, false
		}
		if f.p.depth > 0 && level >= f.p.depth {
			return "{...}", false, context[obj]
		}
		if context[obj] {
			return recursion(obj), false, true
		}
		context[obj] = true
		readable, recursive := true, false
		var parts []string
		for _, kv := range f.items(obj) {
			krepr, kreadable, krecur := f.safeRepr(kv[0], context, level+1)
			vrepr, vreadable, vrecur := f.safeRepr(kv[1], context, level+1)
			parts = append(parts, krepr+": "+vrepr)
			readable = readable && kreadable && vreadable
			recursive = recursive || krecur || vrecur
		}
		delete(context, obj)
		return "{" + strings.Join(parts, ", ") + "}", readable, recursive
	case *starlark.List, starlark.Tuple:
		var elems []starlark.Value
		open, close := "[", "]"
		if l, ok := v.(*starlark.List); ok {
			for i := 0; i < l.Len(); i++ {
				elems = append(elems, l.Index(i))
			}
			if len(elems) == 0 {
				return "[]", true, false
			}
		} else {
			elems = v.(starlark.Tuple)
			open, close = "(", ")"
			switch len(elems) {
			case 0:
				return "()", true, false
			case 1:
				close = ",)"
			}
		}
		if f.p.depth > 0 && level >= f.p.depth {
			return open + "..." + close, false, isContainer(obj) && context[obj]
		}
		if isContainer(obj) {
			if context[obj] {
				return recursion(obj), false, true
			}
			context[obj] = true
		}
		readable, recursive := true, false
		parts := make([]string, len(elems))
		for i, e := range elems {
			r, er, ec := f.safeRepr(e, context, level+1)
			parts[i] = r
			readable = readable && er
			recursive = recursive || ec
		}
		if isContainer(obj) {
			delete(context, obj)
		}
		return open + strings.Join(parts, ", ") + close, readable, recursive
	}
	rep := py.Repr(obj)
	return rep, rep != "" && !strings.HasPrefix(rep, "<"), false
}

// underscored is an int with its digits grouped by threes with '_'.
func underscored(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('_')
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}
