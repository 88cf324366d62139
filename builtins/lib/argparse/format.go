package argparse

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// formatter is argparse.HelpFormatter: it lays out usage, text and
// argument sections exactly as CPython 3.11's does.
type formatter struct {
	prog            string
	width           int
	maxHelpPosition int
	indent          int
	level           int
	actionMaxLength int
	root            *section
	current         *section
	kind            string // the formatter_class: "", "raw_description", "raw_text", "defaults"
}

type section struct {
	parent  *section
	heading *string
	items   []func() string
}

func newFormatter(prog string, width int, kind string) *formatter {
	f := &formatter{prog: prog, width: width, maxHelpPosition: min(24, max(width-20, 4)), kind: kind}
	f.root = &section{}
	f.current = f.root
	return f
}

func (f *formatter) indentIn()  { f.indent += 2; f.level++ }
func (f *formatter) indentOut() { f.indent -= 2; f.level-- }

func (f *formatter) formatSection(s *section) string {
	if s.parent != nil {
		f.indentIn()
	}
	var parts []string
	for _, item := range s.items {
		parts = append(parts, item())
	}
	help := joinParts(parts)
	if s.parent != nil {
		f.indentOut()
	}
	if help == "" {
		return ""
	}
	heading := ""
	if s.heading != nil && *s.heading != suppress {
		heading = fmt.Sprintf("%*s%s:\n", f.indent, "", *s.heading)
	}
	return joinParts([]string{"\n", heading, help, "\n"})
}

func joinParts(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p != "" && p != suppress {
			b.WriteString(p)
		}
	}
	return b.String()
}

func (f *formatter) startSection(heading *string) {
	f.indentIn()
	s := &section{parent: f.current, heading: heading}
	f.current.items = append(f.current.items, func() string { return f.formatSection(s) })
	f.current = s
}

func (f *formatter) endSection() {
	f.current = f.current.parent
	f.indentOut()
}

func (f *formatter) addText(text *string) {
	if text != nil && *text != suppress {
		t := *text
		f.current.items = append(f.current.items, func() string { return f.formatText(t) })
	}
}

func (f *formatter) addUsage(usage *string, actions []*action, groups []*group, prefix *string) {
	if usage == nil || *usage != suppress {
		f.current.items = append(f.current.items, func() string { return f.formatUsage(usage, actions, groups, prefix) })
	}
}

func (f *formatter) addArgument(a *action) {
	if a.help != nil && *a.help == suppress {
		return
	}
	length := runeLen(f.invocation(a))
	f.indentIn()
	for _, sub := range a.choicesActions {
		length = max(length, runeLen(f.invocation(sub))-2)
	}
	f.indentOut()
	f.actionMaxLength = max(f.actionMaxLength, length+f.indent)
	f.current.items = append(f.current.items, func() string { return f.formatAction(a) })
}

// help is the finished text: runs of blank lines become one.
func (f *formatter) help() string {
	h := f.formatSection(f.root)
	if h != "" {
		h = longBreak.ReplaceAllString(h, "\n\n")
		h = strings.Trim(h, "\n") + "\n"
	}
	return h
}

var longBreak = regexp.MustCompile(`\n\n\n+`)

var usageParts = regexp.MustCompile(`\(.*?\)+(?:\s|$)|\[.*?\]+(?:\s|$)|\S+`)

// splitUsageParts is re.findall(r'\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+'):
// Go has no lookahead, so the trailing space each match may take is cut.
func splitUsageParts(s string) []string {
	var out []string
	for _, m := range usageParts.FindAllString(s, -1) {
		if t := strings.TrimRight(m, " \t\n"); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func (f *formatter) formatUsage(usage *string, actions []*action, groups []*group, prefix *string) string {
	pfx := "usage: "
	if prefix != nil {
		pfx = *prefix
	}
	var text string
	switch {
	case usage != nil:
		text = strings.ReplaceAll(*usage, "%(prog)s", f.prog)
	case len(actions) == 0:
		text = f.prog
	default:
		var optionals, positionals []*action
		for _, a := range actions {
			if len(a.optionStrings) > 0 {
				optionals = append(optionals, a)
			} else {
				positionals = append(positionals, a)
			}
		}
		actionUsage := f.actionsUsage(append(append([]*action(nil), optionals...), positionals...), groups)
		text = strings.Join(nonEmpty(f.prog, actionUsage), " ")
		textWidth := f.width - f.indent
		if runeLen(pfx)+runeLen(text) > textWidth {
			optParts := splitUsageParts(f.actionsUsage(optionals, groups))
			posParts := splitUsageParts(f.actionsUsage(positionals, groups))
			getLines := func(parts []string, indent string, prefix *string) []string {
				var lines, line []string
				lineLen := runeLen(indent) - 1
				if prefix != nil {
					lineLen = runeLen(*prefix) - 1
				}
				for _, part := range parts {
					if lineLen+1+runeLen(part) > textWidth && len(line) > 0 {
						lines = append(lines, indent+strings.Join(line, " "))
						line = nil
						lineLen = runeLen(indent) - 1
					}
					line = append(line, part)
					lineLen += runeLen(part) + 1
				}
				if len(line) > 0 {
					lines = append(lines, indent+strings.Join(line, " "))
				}
				if prefix != nil && len(lines) > 0 {
					lines[0] = lines[0][len(indent):]
				}
				return lines
			}
			var lines []string
			if float64(runeLen(pfx)+runeLen(f.prog)) <= 0.75*float64(textWidth) {
				indent := strings.Repeat(" ", runeLen(pfx)+runeLen(f.prog)+1)
				switch {
				case len(optParts) > 0:
					lines = getLines(append([]string{f.prog}, optParts...), indent, &pfx)
					lines = append(lines, getLines(posParts, indent, nil)...)
				case len(posParts) > 0:
					lines = getLines(append([]string{f.prog}, posParts...), indent, &pfx)
				default:
					lines = []string{f.prog}
				}
			} else {
				indent := strings.Repeat(" ", runeLen(pfx))
				lines = getLines(append(append([]string(nil), optParts...), posParts...), indent, nil)
				if len(lines) > 1 {
					lines = append(getLines(optParts, indent, nil), getLines(posParts, indent, nil)...)
				}
				lines = append([]string{f.prog}, lines...)
			}
			text = strings.Join(lines, "\n")
		}
	}
	return pfx + text + "\n\n"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

var (
	openSpace  = regexp.MustCompile(`([\[(]) `)
	spaceClose = regexp.MustCompile(` ([\])])`)
	emptyGroup = regexp.MustCompile(`[\[(] *[\])]`)
)

// actionsUsage is _format_actions_usage: the actions in usage form, with
// mutually exclusive groups bracketed and joined by |.
func (f *formatter) actionsUsage(actions []*action, groups []*group) string {
	inGroup := map[*action]bool{}
	inserts := map[int]string{}
	for _, g := range groups {
		if len(g.actions) == 0 {
			continue
		}
		start := -1
		for i, a := range actions {
			if a == g.actions[0] {
				start = i
				break
			}
		}
		if start < 0 {
			continue
		}
		end := start + len(g.actions)
		if end > len(actions) {
			continue
		}
		same := true
		for i, a := range g.actions {
			if actions[start+i] != a {
				same = false
			}
		}
		if !same {
			continue
		}
		suppressed := 0
		for _, a := range g.actions {
			inGroup[a] = true
			if a.help != nil && *a.help == suppress {
				suppressed++
			}
		}
		open, close := "", ""
		if !g.required {
			open, close = "[", "]"
		} else if len(g.actions)-suppressed > 1 {
			open, close = "(", ")"
		}
		if open != "" {
			if s, ok := inserts[start]; ok {
				inserts[start] = s + " " + open
			} else {
				inserts[start] = open
			}
			if s, ok := inserts[end]; ok {
				inserts[end] = s + close
			} else {
				inserts[end] = close
			}
		}
		for i := start + 1; i < end; i++ {
			inserts[i] = "|"
		}
	}
	parts := make([]*string, 0, len(actions))
	for i, a := range actions {
		var part string
		switch {
		case a.help != nil && *a.help == suppress:
			parts = append(parts, nil)
			if inserts[i] == "|" {
				delete(inserts, i)
			} else if inserts[i+1] == "|" {
				delete(inserts, i+1)
			}
			continue
		case len(a.optionStrings) == 0:
			part = f.formatArgs(a, a.dest)
			if inGroup[a] && strings.HasPrefix(part, "[") && strings.HasSuffix(part, "]") {
				part = part[1 : len(part)-1]
			}
		default:
			if a.nargs.zero() {
				part = a.optionStrings[0]
			} else {
				part = a.optionStrings[0] + " " + f.formatArgs(a, strings.ToUpper(a.dest))
			}
			if !a.required && !inGroup[a] {
				part = "[" + part + "]"
			}
		}
		parts = append(parts, &part)
	}
	idx := make([]int, 0, len(inserts))
	for i := range inserts {
		idx = append(idx, i)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(idx)))
	for _, i := range idx {
		s := inserts[i]
		parts = append(parts[:i], append([]*string{&s}, parts[i:]...)...)
	}
	var items []string
	for _, p := range parts {
		if p != nil {
			items = append(items, *p)
		}
	}
	text := strings.Join(items, " ")
	text = openSpace.ReplaceAllString(text, "$1")
	text = spaceClose.ReplaceAllString(text, "$1")
	text = emptyGroup.ReplaceAllString(text, "")
	return strings.TrimSpace(text)
}

func (f *formatter) formatText(text string) string {
	text = strings.ReplaceAll(text, "%(prog)s", f.prog)
	width := max(f.width-f.indent, 11)
	indent := strings.Repeat(" ", f.indent)
	return f.fillText(text, width, indent) + "\n\n"
}

func (f *formatter) fillText(text string, width int, indent string) string {
	if f.kind == "raw_description" || f.kind == "raw_text" {
		var b strings.Builder
		for _, line := range strings.SplitAfter(text, "\n") {
			if line != "" {
				b.WriteString(indent + line)
			}
		}
		return b.String()
	}
	return strings.Join(wrap(collapseSpace(text), width, indent, indent), "\n")
}

func (f *formatter) splitLines(text string, width int) []string {
	if f.kind == "raw_text" {
		return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	}
	return wrap(collapseSpace(text), width, "", "")
}

var asciiSpace = regexp.MustCompile(`[ \t\n\r\f\v]+`)

func collapseSpace(s string) string {
	return strings.Trim(asciiSpace.ReplaceAllString(s, " "), " \t\n\r\f\v")
}

func (f *formatter) formatAction(a *action) string {
	helpPosition := min(f.actionMaxLength+2, f.maxHelpPosition)
	helpWidth := max(f.width-helpPosition, 11)
	actionWidth := helpPosition - f.indent - 2
	header := f.invocation(a)
	indentFirst := 0
	hasHelp := a.help != nil && *a.help != ""
	switch {
	case !hasHelp:
		header = fmt.Sprintf("%*s%s\n", f.indent, "", header)
	case runeLen(header) <= actionWidth:
		header = fmt.Sprintf("%*s%s%s  ", f.indent, "", header, strings.Repeat(" ", actionWidth-runeLen(header)))
	default:
		header = fmt.Sprintf("%*s%s\n", f.indent, "", header)
		indentFirst = helpPosition
	}
	parts := []string{header}
	if hasHelp && strings.TrimSpace(*a.help) != "" {
		text := f.expandHelp(a)
		if text != "" {
			lines := f.splitLines(text, helpWidth)
			if len(lines) > 0 {
				parts = append(parts, fmt.Sprintf("%*s%s\n", indentFirst, "", lines[0]))
				for _, line := range lines[1:] {
					parts = append(parts, fmt.Sprintf("%*s%s\n", helpPosition, "", line))
				}
			}
		}
	} else if !strings.HasSuffix(header, "\n") {
		parts = append(parts, "\n")
	}
	f.indentIn()
	for _, sub := range a.choicesActions {
		parts = append(parts, f.formatAction(sub))
	}
	f.indentOut()
	return joinParts(parts)
}

// invocation is how an action shows in the help: its metavar, or its
// option strings each with their arguments.
func (f *formatter) invocation(a *action) string {
	if len(a.optionStrings) == 0 {
		return f.metavars(a, a.dest, 1)[0]
	}
	if a.nargs.zero() {
		return strings.Join(a.optionStrings, ", ")
	}
	args := f.formatArgs(a, strings.ToUpper(a.dest))
	parts := make([]string, len(a.optionStrings))
	for i, o := range a.optionStrings {
		parts[i] = o + " " + args
	}
	return strings.Join(parts, ", ")
}

// metavars is _metavar_formatter(action, default)(n).
func (f *formatter) metavars(a *action, def string, n int) []string {
	var result string
	switch m := a.metavar.(type) {
	case starlark.Tuple:
		out := make([]string, len(m))
		for i, v := range m {
			out[i] = py.Str(v)
		}
		return out
	case nil, starlark.NoneType:
		if a.hasChoices() {
			strs := []string{}
			for _, c := range a.choiceList() {
				strs = append(strs, py.Str(c))
			}
			result = "{" + strings.Join(strs, ",") + "}"
		} else {
			result = def
		}
	default:
		result = py.Str(m)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = result
	}
	return out
}

// formatArgs is _format_args: the arguments an action takes, by nargs.
func (f *formatter) formatArgs(a *action, def string) string {
	get := func(n int) []string {
		m := f.metavars(a, def, n)
		for len(m) < n {
			m = append(m, "")
		}
		return m
	}
	switch a.nargs.kind {
	case nargsNone:
		return get(1)[0]
	case nargsOptional:
		return "[" + get(1)[0] + "]"
	case nargsZeroOrMore:
		m := f.metavars(a, def, 1)
		if len(m) == 2 {
			return "[" + m[0] + " [" + m[1] + " ...]]"
		}
		return "[" + m[0] + " ...]"
	case nargsOneOrMore:
		m := get(2)
		return m[0] + " [" + m[1] + " ...]"
	case nargsRemainder:
		return "..."
	case nargsParser:
		return get(1)[0] + " ..."
	case nargsSuppress:
		return ""
	}
	return strings.Join(get(a.nargs.n)[:a.nargs.n], " ")
}

// expandHelp is _expand_help: the help string %-formatted with the
// action's attributes and the prog.
func (f *formatter) expandHelp(a *action) string {
	text := *a.help
	if f.kind == "defaults" && !strings.Contains(text, "%(default)") && !a.defaultSuppressed() {
		if len(a.optionStrings) > 0 || a.nargs.kind == nargsOptional || a.nargs.kind == nargsZeroOrMore {
			text += " (default: %(default)s)"
		}
	}
	if !strings.Contains(text, "%") {
		return text
	}
	params := starlark.NewDict(12)
	set := func(k string, v starlark.Value) {
		if s, ok := v.(starlark.String); ok && string(s) == suppress {
			return
		}
		if named := nameOf(v); named != "" {
			v = starlark.String(named)
		}
		_ = params.SetKey(starlark.String(k), v)
	}
	opts := make([]starlark.Value, len(a.optionStrings))
	for i, o := range a.optionStrings {
		opts[i] = starlark.String(o)
	}
	set("option_strings", starlark.NewList(opts))
	set("dest", starlark.String(a.dest))
	set("nargs", a.nargs.value())
	set("const", orNone(a.constant))
	set("default", orNone(a.defaultValue))
	set("type", orNone(a.typ))
	if a.hasChoices() {
		strs := []string{}
		for _, c := range a.choiceList() {
			strs = append(strs, py.Str(c))
		}
		set("choices", starlark.String(strings.Join(strs, ", ")))
	} else {
		set("choices", starlark.None)
	}
	set("required", starlark.Bool(a.required))
	set("help", starlark.String(*a.help))
	set("metavar", orNone(a.metavar))
	if a.kind == "version" {
		set("version", orNone(a.version))
	}
	set("prog", starlark.String(f.prog))
	v, err := py.Mod(starlark.String(text), params)
	if err != nil {
		return text
	}
	return py.Str(v)
}

func orNone(v starlark.Value) starlark.Value {
	if v == nil {
		return starlark.None
	}
	return v
}

// nameOf is the __name__ of a function or class, or "".
func nameOf(v starlark.Value) string {
	switch v := v.(type) {
	case *starlark.Function:
		return v.Name()
	case *starlark.Builtin:
		return v.Name()
	case starlark.HasAttrs:
		if n, err := v.Attr("__name__"); err == nil {
			if s, ok := n.(starlark.String); ok {
				return string(s)
			}
		}
	}
	return ""
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// wordSep is textwrap's wordsep_re, which splits text into words and
// spaces, and hyphenated words after their hyphens.
var wordSep = regexp2.MustCompile(`([\t\n\x0b\x0c\r ]+|(?<=[\w!"'&.,?])-{2,}(?=\w)|[^\t\n\x0b\x0c\r ]+?(?:-(?:(?<=[^\d\W]{2}-)|(?<=[^\d\W]-[^\d\W]-))(?=[^\d\W]-?[^\d\W])|(?=[\t\n\x0b\x0c\r ]|\z)|(?<=[\w!"'&.,?])(?=-{2,}\w)))`)

// chunks is textwrap's _split: words and runs of space, in order.
func chunks(text string) []string {
	runes := []rune(text)
	var out []string
	last := 0
	_ = wordSep.FindRunesMatches(runes, 0, func(v regexp2.MatchView) bool {
		i, n, _ := v.GroupRange(0)
		if i > last {
			out = append(out, string(runes[last:i]))
		}
		if n > 0 {
			out = append(out, string(runes[i:i+n]))
		}
		last = i + n
		return true
	})
	if last < len(runes) {
		out = append(out, string(runes[last:]))
	}
	return out
}

// wrap is textwrap.wrap(text, width) with the given indents (textwrap's
// defaults otherwise: long words broken, at a hyphen when possible).
func wrap(text string, width int, initialIndent, subsequentIndent string) []string {
	cs := chunks(text)
	// reversed, to pop from the end
	for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
		cs[i], cs[j] = cs[j], cs[i]
	}
	var lines []string
	for len(cs) > 0 {
		var line []string
		curLen := 0
		indent := initialIndent
		if len(lines) > 0 {
			indent = subsequentIndent
		}
		w := width - runeLen(indent)
		if strings.TrimSpace(cs[len(cs)-1]) == "" && len(lines) > 0 {
			cs = cs[:len(cs)-1]
		}
		for len(cs) > 0 {
			l := runeLen(cs[len(cs)-1])
			if curLen+l > w {
				break
			}
			line = append(line, cs[len(cs)-1])
			cs = cs[:len(cs)-1]
			curLen += l
		}
		if len(cs) > 0 && runeLen(cs[len(cs)-1]) > w {
			spaceLeft := w - curLen
			if w < 1 {
				spaceLeft = 1
			}
			chunk := []rune(cs[len(cs)-1])
			end := spaceLeft
			if len(chunk) > spaceLeft {
				if h := strings.LastIndex(string(chunk[:spaceLeft]), "-"); h > 0 && strings.Trim(string(chunk[:h]), "-") != "" {
					end = utf8.RuneCountInString(string(chunk[:spaceLeft])[:h]) + 1
				}
			}
			line = append(line, string(chunk[:end]))
			cs[len(cs)-1] = string(chunk[end:])
		}
		if len(line) > 0 && strings.TrimSpace(line[len(line)-1]) == "" {
			line = line[:len(line)-1]
		}
		if len(line) > 0 {
			lines = append(lines, indent+strings.Join(line, ""))
		}
	}
	return lines
}
