// Package textwrap is Python's textwrap module for kstar scripts:
// wrap(text, width=70, **kwargs), fill(text, width=70, **kwargs),
// shorten(text, width, **kwargs), dedent(text), indent(text, prefix,
// predicate=None) and TextWrapper(**kwargs) (wrap, fill, and its
// settings as attributes), with every keyword of CPython 3.11's
// TextWrapper (initial_indent, subsequent_indent, expand_tabs, tabsize,
// replace_whitespace, fix_sentence_endings, break_long_words,
// drop_whitespace, break_on_hyphens, max_lines, placeholder). Lines are
// split exactly where CPython splits them: widths count characters, and
// words are found as CPython's wordsep_re finds them (hyphenated words,
// em-dashes).
package textwrap

import (
	"fmt"
	"strings"
	"unicode"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pystr"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the textwrap module for one execution.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "textwrap", Members: starlark.StringDict{
		"wrap":        py.Func("wrap", wrapFunc(false)),
		"fill":        py.Func("fill", wrapFunc(true)),
		"shorten":     py.Func("shorten", shorten),
		"dedent":      py.Func("dedent", dedent),
		"indent":      py.Func("indent", indent),
		"TextWrapper": wrapperClass,
	}}
}

// settingNames are TextWrapper's keywords, in the order of its
// positional parameters (max_lines and placeholder are keyword-only).
var settingNames = []string{"width", "initial_indent", "subsequent_indent", "expand_tabs", "replace_whitespace",
	"fix_sentence_endings", "break_long_words", "drop_whitespace", "break_on_hyphens", "tabsize", "max_lines", "placeholder"}

// TextWrapper is textwrap.TextWrapper: settings, and wrap and fill.
type TextWrapper struct {
	settings map[string]starlark.Value
}

var (
	_ starlark.HasSetField = (*TextWrapper)(nil)
	_ py.Instance          = (*TextWrapper)(nil)
)

var wrapperClass = py.NewClass("textwrap.TextWrapper", newWrapperFunc, func(v starlark.Value) bool {
	_, ok := v.(*TextWrapper)
	return ok
}, nil)

// newWrapper makes a TextWrapper of the defaults, then args and kwargs.
func newWrapper(fname string, args starlark.Tuple, kwargs []starlark.Tuple) (*TextWrapper, error) {
	w := &TextWrapper{settings: map[string]starlark.Value{
		"width": starlark.MakeInt(70), "initial_indent": starlark.String(""), "subsequent_indent": starlark.String(""),
		"expand_tabs": starlark.True, "replace_whitespace": starlark.True, "fix_sentence_endings": starlark.False,
		"break_long_words": starlark.True, "drop_whitespace": starlark.True, "break_on_hyphens": starlark.True,
		"tabsize": starlark.MakeInt(8), "max_lines": starlark.None, "placeholder": starlark.String(" [...]"),
	}}
	if len(args) > 10 {
		return nil, py.Errorf(py.TypeError, "%s() takes from 1 to 11 positional arguments but %d were given", fname, len(args)+1)
	}
	given := map[string]bool{}
	for i, v := range args {
		w.settings[settingNames[i]] = v
		given[settingNames[i]] = true
	}
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		if _, ok := w.settings[name]; !ok {
			return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", fname, name)
		}
		if given[name] {
			return nil, py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", fname, name)
		}
		w.settings[name] = kv[1]
		given[name] = true
	}
	return w, nil
}

// TextWrapper(width=70, ...)
func newWrapperFunc(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return newWrapper("TextWrapper.__init__", args, kwargs)
}

func (w *TextWrapper) PyClass() *py.Type     { return wrapperClass }
func (w *TextWrapper) String() string        { return fmt.Sprintf("<textwrap.TextWrapper object at %p>", w) }
func (w *TextWrapper) Type() string          { return "TextWrapper" }
func (w *TextWrapper) Freeze()               {}
func (w *TextWrapper) Truth() starlark.Bool  { return true }
func (w *TextWrapper) Hash() (uint32, error) { return starlark.String(fmt.Sprintf("%p", w)).Hash() }

// Attr returns a setting, or wrap and fill.
func (w *TextWrapper) Attr(name string) (starlark.Value, error) {
	if v, ok := w.settings[name]; ok {
		return v, nil
	}
	switch name {
	case "wrap", "fill":
		return wrapperMethods[name].BindReceiver(w), nil
	}
	return nil, nil
}

func (w *TextWrapper) AttrNames() []string {
	return append(append([]string{}, settingNames...), "fill", "wrap")
}

// SetField changes a setting (w.width = 40), or adds an attribute, as
// Python's instances allow.
func (w *TextWrapper) SetField(name string, v starlark.Value) error {
	w.settings[name] = v
	return nil
}

var wrapperMethods = map[string]*starlark.Builtin{
	"wrap": py.Func("wrap", wrapperMethod(false)),
	"fill": py.Func("fill", wrapperMethod(true)),
}

func wrapperMethod(fill bool) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		name := "TextWrapper.wrap"
		if fill {
			name = "TextWrapper.fill"
		}
		if len(kwargs) > 0 && kwargs[0][0] != starlark.String("text") {
			return nil, py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", name, string(kwargs[0][0].(starlark.String)))
		}
		if len(args)+len(kwargs) != 1 {
			if len(args)+len(kwargs) == 0 {
				return nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: 'text'", name)
			}
			return nil, py.Errorf(py.TypeError, "%s() takes 2 positional arguments but %d were given", name, len(args)+1)
		}
		var text starlark.Value
		if len(args) == 1 {
			text = args[0]
		} else {
			text = kwargs[0][1]
		}
		return b.Receiver().(*TextWrapper).run(thread, text, fill)
	}
}

// options are a TextWrapper's settings, checked and converted.
type options struct {
	width                                      float64
	initialIndent, subsequentIndent            []rune
	expandTabs, replaceWhitespace, fixSentence bool
	breakLongWords, dropWhitespace, hyphens    bool
	tabsize                                    int
	maxLines                                   int // -1: None
	placeholder                                []rune
	// meter counts the characters and chunks a call goes through, so
	// that the execution's limits stop it on a huge text.
	meter py.Meter
}

func (w *TextWrapper) options() (*options, error) {
	s := w.settings
	o := &options{maxLines: -1}
	switch v := s["width"].(type) {
	case starlark.Int:
		n, _ := v.Int64()
		o.width = float64(n)
	case starlark.Float:
		o.width = float64(v)
	case starlark.Bool:
		o.width = float64(boolInt(v))
	default:
		return nil, py.Errorf(py.TypeError, "'<=' not supported between instances of '%s' and 'int'", py.TypeName(v))
	}
	for name, to := range map[string]*[]rune{"initial_indent": &o.initialIndent, "subsequent_indent": &o.subsequentIndent, "placeholder": &o.placeholder} {
		str, ok := s[name].(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "%s must be a str, not %s", name, py.TypeName(s[name]))
		}
		*to = []rune(string(str))
	}
	o.expandTabs, o.replaceWhitespace, o.fixSentence = bool(s["expand_tabs"].Truth()), bool(s["replace_whitespace"].Truth()), bool(s["fix_sentence_endings"].Truth())
	o.breakLongWords, o.dropWhitespace = bool(s["break_long_words"].Truth()), bool(s["drop_whitespace"].Truth())
	o.hyphens = s["break_on_hyphens"] == starlark.True // CPython tests `is True`
	for name, to := range map[string]*int{"tabsize": &o.tabsize, "max_lines": &o.maxLines} {
		switch v := s[name].(type) {
		case starlark.NoneType:
			if name == "tabsize" {
				return nil, py.Errorf(py.TypeError, "'NoneType' object cannot be interpreted as an integer")
			}
		case starlark.Int:
			n, _ := v.Int64()
			*to = int(n)
		case starlark.Bool:
			*to = boolInt(v)
		default:
			return nil, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
		}
	}
	return o, nil
}

func boolInt(b starlark.Bool) int {
	if b {
		return 1
	}
	return 0
}

// wrapBytesPerChar is about what wrapping takes per byte of text at
// most: the text and its munged copy as runes, and a chunk for every
// character or two in both the chunks and their reversed list.
const wrapBytesPerChar = 32

// run wraps text into lines, joined by newlines when fill is set.
func (w *TextWrapper) run(thread *starlark.Thread, text starlark.Value, fill bool) (starlark.Value, error) {
	s, ok := text.(starlark.String)
	if !ok {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'expandtabs'", py.TypeName(text))
	}
	o, err := w.options()
	if err != nil {
		return nil, err
	}
	if err := py.Reserve(thread, int64(len(s))*wrapBytesPerChar); err != nil {
		return nil, err
	}
	o.meter = py.NewMeter(thread)
	lines, err := o.wrap([]rune(string(s)))
	if err != nil {
		return nil, err
	}
	if fill {
		return starlark.String(strings.Join(lines, "\n")), nil
	}
	list := make([]starlark.Value, len(lines))
	for i, l := range lines {
		list[i] = starlark.String(l)
	}
	return starlark.NewList(list), nil
}

// wrapFunc makes wrap(text, width=70, **kwargs) and fill.
func wrapFunc(fill bool) py.BuiltinFunc {
	name := "wrap"
	if fill {
		name = "fill"
	}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		text, rest, err := leading(name, []string{"text", "width"}, 1, args, kwargs)
		if err != nil {
			return nil, err
		}
		w, err := newWrapper("TextWrapper.__init__", text[1:], rest)
		if err != nil {
			return nil, err
		}
		return w.run(thread, text[0], fill)
	}
}

// leading binds a function's leading parameters (the first required of
// them) from args and kwargs, returning their values (nil when absent)
// and the other keywords; more positional arguments than params is
// Python's TypeError.
func leading(fname string, params []string, required int, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Tuple, []starlark.Tuple, error) {
	if len(args) > len(params) {
		return nil, nil, py.Errorf(py.TypeError, "%s() takes from %d to %d positional arguments but %d were given", fname, required, len(params), len(args))
	}
	values := make(starlark.Tuple, len(params))
	copy(values, args)
	var rest []starlark.Tuple
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		i := -1
		for k, p := range params {
			if p == name {
				i = k
			}
		}
		switch {
		case i < 0:
			rest = append(rest, kv)
		case values[i] != nil:
			return nil, nil, py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", fname, name)
		default:
			values[i] = kv[1]
		}
	}
	for i := 0; i < required; i++ {
		if values[i] == nil {
			return nil, nil, py.Errorf(py.TypeError, "%s() missing 1 required positional argument: '%s'", fname, params[i])
		}
	}
	n := len(values)
	for n > required && values[n-1] == nil {
		n--
	}
	for i := required; i < n; i++ {
		if values[i] == nil {
			return nil, nil, py.Errorf(py.TypeError, "%s() missing argument '%s'", fname, params[i])
		}
	}
	return values[:n], rest, nil
}

// shorten(text, width, **kwargs): text collapsed and truncated to fit
// in width, with the placeholder (' [...]') marking what was cut.
func shorten(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	text, rest, err := leading("shorten", []string{"text", "width"}, 2, args, kwargs)
	if err != nil {
		return nil, err
	}
	for _, kv := range rest {
		if kv[0] == starlark.String("max_lines") {
			return nil, py.Errorf(py.TypeError, "textwrap.TextWrapper() got multiple values for keyword argument 'max_lines'")
		}
	}
	w, err := newWrapper("TextWrapper.__init__", starlark.Tuple{text[1]}, append(rest, starlark.Tuple{starlark.String("max_lines"), starlark.MakeInt(1)}))
	if err != nil {
		return nil, err
	}
	s, ok := text[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'strip'", py.TypeName(text[0]))
	}
	if err := py.Reserve(thread, int64(len(s))*8); err != nil { // the words, as strings
		return nil, err
	}
	return w.run(thread, starlark.String(strings.Join(strings.FieldsFunc(string(s), pystr.IsSpace), " ")), true)
}

// isWrapSpace reports whether r is one of the whitespace characters
// TextWrapper splits on (ASCII only, as its regular expressions).
func isWrapSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ':
		return true
	}
	return false
}

// munge expands tabs and turns whitespace into spaces, as set.
func (o *options) munge(text []rune) ([]rune, error) {
	if o.expandTabs {
		var out []rune
		col := 0
		for _, r := range text {
			switch r {
			case '\t':
				if o.tabsize > 0 {
					n := o.tabsize - col%o.tabsize
					for range n { // tabsize comes from the script
						if err := o.meter.Tick(); err != nil {
							return nil, err
						}
						out = append(out, ' ')
					}
					col += n
				}
			case '\n', '\r':
				out = append(out, r)
				col = 0
			default:
				out = append(out, r)
				col++
			}
		}
		text = out
	}
	if o.replaceWhitespace {
		for i, r := range text {
			if isWrapSpace(r) {
				text[i] = ' '
			}
		}
	}
	return text, nil
}

// Character classes of CPython's wordsep_re.
func isWord(r rune) bool      { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }
func isLetter(r rune) bool    { return isWord(r) && !unicode.IsDigit(r) }
func isWordPunct(r rune) bool { return isWord(r) || strings.ContainsRune("!\"'&.,?", r) }

// split cuts text into chunks: runs of whitespace and words, as
// CPython's TextWrapper._split does.
func (o *options) split(text []rune) ([][]rune, error) {
	at := func(i int) rune { // the character at i, or 0 outside text
		if i < 0 || i >= len(text) {
			return 0
		}
		return text[i]
	}
	// dashes reports whether text[i:] is two or more '-' then a word
	// character.
	dashes := func(i int) bool {
		j := i
		for at(j) == '-' {
			j++
		}
		return j-i >= 2 && isWord(at(j))
	}
	// match returns the end of the wordsep_re match at i, or -1.
	match := func(i int) int {
		if isWrapSpace(text[i]) {
			j := i
			for j < len(text) && isWrapSpace(text[j]) {
				j++
			}
			return j
		}
		if !o.hyphens {
			return -1
		}
		if isWordPunct(at(i-1)) && dashes(i) { // em-dash between words
			j := i
			for at(j) == '-' {
				j++
			}
			return j
		}
		// A word, as few characters as possible, then one of: a hyphen
		// inside a hyphenated word, the end of the word, an em-dash.
		for k := i + 1; k <= len(text) && !isWrapSpace(text[k-1]); k++ {
			if at(k) == '-' &&
				(isLetter(at(k-2)) && isLetter(at(k-1)) || isLetter(at(k-3)) && at(k-2) == '-' && isLetter(at(k-1))) &&
				isLetter(at(k+1)) && (isLetter(at(k+2)) || at(k+2) == '-' && isLetter(at(k+3))) {
				return k + 1
			}
			if k == len(text) || isWrapSpace(text[k]) {
				return k
			}
			if isWordPunct(at(k-1)) && dashes(k) {
				return k
			}
		}
		return -1
	}
	var chunks [][]rune
	last := 0
	for i := 0; i < len(text); {
		if err := o.meter.Tick(); err != nil {
			return nil, err
		}
		end := -1
		if o.hyphens || isWrapSpace(text[i]) {
			end = match(i)
		}
		if end < 0 {
			i++
			continue
		}
		if i > last {
			chunks = append(chunks, text[last:i])
		}
		chunks = append(chunks, text[i:end])
		last, i = end, end
	}
	if last < len(text) {
		chunks = append(chunks, text[last:])
	}
	return chunks, nil
}

// blank is chunk.strip() == ”.
func blank(chunk []rune) bool {
	for _, r := range chunk {
		if !pystr.IsSpace(r) {
			return false
		}
	}
	return true
}

// endsSentence is CPython's sentence_end_re: a lowercase letter, then .
// ! or ?, then maybe a quote, at the end of chunk.
func endsSentence(chunk []rune) bool {
	n := len(chunk)
	if n > 0 && (chunk[n-1] == '"' || chunk[n-1] == '\'') {
		n--
	}
	return n >= 2 && strings.ContainsRune(".!?", chunk[n-1]) && chunk[n-2] >= 'a' && chunk[n-2] <= 'z'
}

// wrap is TextWrapper.wrap.
func (o *options) wrap(text []rune) ([]string, error) {
	text, err := o.munge(text)
	if err != nil {
		return nil, err
	}
	chunks, err := o.split(text)
	if err != nil {
		return nil, err
	}
	if o.fixSentence {
		for i := 0; i < len(chunks)-1; {
			if string(chunks[i+1]) == " " && endsSentence(chunks[i]) {
				chunks[i+1] = []rune("  ")
				i += 2
			} else {
				i++
			}
		}
	}
	return o.wrapChunks(chunks)
}

// handleLongWord breaks the next chunk (the last of reversed) when it
// does not fit on a line of its own, as CPython's _handle_long_word.
func (o *options) handleLongWord(reversed [][]rune, line [][]rune, lineLen int, width float64) ([][]rune, [][]rune) {
	spaceLeft := 1
	if width >= 1 {
		spaceLeft = int(width) - lineLen
	}
	if o.breakLongWords {
		chunk := reversed[len(reversed)-1]
		end := spaceLeft
		if o.hyphens && len(chunk) > spaceLeft {
			hyphen := -1
			for i := min(spaceLeft, len(chunk)) - 1; i >= 0; i-- {
				if chunk[i] == '-' {
					hyphen = i
					break
				}
			}
			if hyphen > 0 && strings.Trim(string(chunk[:hyphen]), "-") != "" {
				end = hyphen + 1
			}
		}
		end = max(min(end, len(chunk)), 0)
		line = append(line, chunk[:end])
		reversed[len(reversed)-1] = chunk[end:]
		if end == len(chunk) {
			// Only when the indent leaves no room (width < 1): CPython
			// keeps the empty rest and, without drop_whitespace, adds
			// empty lines for ever; kstar drops it.
			reversed = reversed[:len(reversed)-1]
		}
	} else if len(line) == 0 {
		line = append(line, reversed[len(reversed)-1])
		reversed = reversed[:len(reversed)-1]
	}
	return reversed, line
}

// wrapChunks is CPython's TextWrapper._wrap_chunks.
func (o *options) wrapChunks(chunks [][]rune) ([]string, error) {
	if o.width <= 0 {
		return nil, py.Errorf(py.ValueError, "invalid width %s (must be > 0)", widthRepr(o.width))
	}
	if o.maxLines >= 0 {
		indent := o.initialIndent
		if o.maxLines > 1 {
			indent = o.subsequentIndent
		}
		if float64(len(indent)+len([]rune(strings.TrimLeftFunc(string(o.placeholder), pystr.IsSpace)))) > o.width {
			return nil, py.Errorf(py.ValueError, "placeholder too large for max width")
		}
	}
	reversed := make([][]rune, len(chunks))
	for i, c := range chunks {
		reversed[len(chunks)-1-i] = c
	}
	var lines []string
	for len(reversed) > 0 {
		if err := o.meter.Tick(); err != nil {
			return nil, err
		}
		var line [][]rune
		lineLen := 0
		indent := o.initialIndent
		if len(lines) > 0 {
			indent = o.subsequentIndent
		}
		width := o.width - float64(len(indent))
		if o.dropWhitespace && blank(reversed[len(reversed)-1]) && len(lines) > 0 {
			reversed = reversed[:len(reversed)-1]
		}
		for len(reversed) > 0 {
			l := len(reversed[len(reversed)-1])
			if float64(lineLen+l) > width {
				break
			}
			line = append(line, reversed[len(reversed)-1])
			reversed = reversed[:len(reversed)-1]
			lineLen += l
		}
		if len(reversed) > 0 && float64(len(reversed[len(reversed)-1])) > width {
			reversed, line = o.handleLongWord(reversed, line, lineLen, width)
			lineLen = 0
			for _, c := range line {
				lineLen += len(c)
			}
		}
		if o.dropWhitespace && len(line) > 0 && blank(line[len(line)-1]) {
			lineLen -= len(line[len(line)-1])
			line = line[:len(line)-1]
		}
		if len(line) == 0 {
			continue
		}
		rest := len(reversed) == 0 || o.dropWhitespace && len(reversed) == 1 && blank(reversed[0])
		if o.maxLines < 0 || len(lines)+1 < o.maxLines || rest && float64(lineLen) <= width {
			lines = append(lines, join(indent, line))
			continue
		}
		// The last line allowed: cut it to fit the placeholder.
		for len(line) > 0 {
			if !blank(line[len(line)-1]) && float64(lineLen+len(o.placeholder)) <= width {
				lines = append(lines, join(indent, append(line, o.placeholder)))
				return lines, nil
			}
			lineLen -= len(line[len(line)-1])
			line = line[:len(line)-1]
		}
		if len(lines) > 0 {
			prev := strings.TrimRightFunc(lines[len(lines)-1], pystr.IsSpace)
			if float64(len([]rune(prev))+len(o.placeholder)) <= o.width {
				lines[len(lines)-1] = prev + string(o.placeholder)
				return lines, nil
			}
		}
		lines = append(lines, string(indent)+strings.TrimLeftFunc(string(o.placeholder), pystr.IsSpace))
		return lines, nil
	}
	return lines, nil
}

func join(indent []rune, chunks [][]rune) string {
	var b strings.Builder
	b.WriteString(string(indent))
	for _, c := range chunks {
		b.WriteString(string(c))
	}
	return b.String()
}

func widthRepr(w float64) string {
	if w == float64(int64(w)) {
		return fmt.Sprint(int64(w))
	}
	return py.FloatRepr(w)
}

// reserveLines asks the execution's memory limit for text split into
// lines (a string header each), and prefix added to each line.
func reserveLines(thread *starlark.Thread, text string, prefix int) error {
	lines := int64(strings.Count(text, "\n")) + 1
	return py.Reserve(thread, int64(len(text))+lines*(16+int64(prefix)))
}

// dedent(text): text with the whitespace prefix common to all its lines
// removed (lines of only spaces and tabs are emptied).
func dedent(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	text, _, err := leading("dedent", []string{"text"}, 1, args, kwargs)
	if err != nil {
		return nil, err
	}
	if len(kwargs) > 0 && kwargs[0][0] != starlark.String("text") {
		return nil, py.Errorf(py.TypeError, "dedent() got an unexpected keyword argument '%s'", string(kwargs[0][0].(starlark.String)))
	}
	s, ok := text[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "expected string or bytes-like object, got '%s'", py.TypeName(text[0]))
	}
	if err := reserveLines(thread, string(s), 0); err != nil {
		return nil, err
	}
	lines := strings.Split(string(s), "\n")
	margin, found := "", false
	for i, line := range lines {
		if strings.Trim(line, " \t") == "" {
			lines[i] = ""
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		switch {
		case !found:
			margin, found = indent, true
		case strings.HasPrefix(indent, margin):
		case strings.HasPrefix(margin, indent):
			margin = indent
		default:
			for i := 0; i < len(margin) && i < len(indent); i++ {
				if margin[i] != indent[i] {
					margin = margin[:i]
					break
				}
			}
		}
	}
	for i, line := range lines {
		lines[i] = strings.TrimPrefix(line, margin)
	}
	return starlark.String(strings.Join(lines, "\n")), nil
}

// indent(text, prefix, predicate=None): prefix added to each line for
// which predicate(line) is true (by default, to each line not blank).
func indent(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	values, rest, err := leading("indent", []string{"text", "prefix", "predicate"}, 2, args, kwargs)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, py.Errorf(py.TypeError, "indent() got an unexpected keyword argument '%s'", string(rest[0][0].(starlark.String)))
	}
	s, ok := values[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.AttributeError, "'%s' object has no attribute 'splitlines'", py.TypeName(values[0]))
	}
	var predicate starlark.Value = starlark.None
	if len(values) > 2 {
		predicate = values[2]
	}
	prefix, _ := values[1].(starlark.String)
	if err := reserveLines(thread, string(s), len(prefix)); err != nil {
		return nil, err
	}
	meter := py.NewMeter(thread)
	var out strings.Builder
	for _, line := range pystr.SplitLines(string(s)) {
		if err := meter.Tick(); err != nil {
			return nil, err
		}
		add := false
		if predicate == starlark.None {
			add = strings.TrimFunc(line, pystr.IsSpace) != ""
		} else {
			v, err := starlark.Call(thread, predicate, starlark.Tuple{starlark.String(line)}, nil)
			if err != nil {
				return nil, err
			}
			add = bool(v.Truth())
		}
		if add {
			prefix, err := starlark.Binary(syntax.PLUS, values[1], starlark.String(line))
			if err != nil {
				return nil, err
			}
			out.WriteString(string(prefix.(starlark.String)))
		} else {
			out.WriteString(line)
		}
	}
	return starlark.String(out.String()), nil
}
