package argparse

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// argumentError is argparse's ArgumentError while parsing: the parser
// turns it into an error() (usage, "prog: error: ...", exit 2).
type argumentError struct {
	action *action
	msg    string
}

func (e *argumentError) Error() string {
	if name := e.action.name(); name != "" {
		return "argument " + name + ": " + e.msg
	}
	return e.msg
}

// parseArgs is parse_args (known false) and parse_known_args.
func (p *Parser) parseArgs(thread *starlark.Thread, argv, namespace starlark.Value, known bool) (starlark.Value, error) {
	var args []string
	if argv == starlark.None {
		env := py.EnvOf(thread)
		if len(env.Argv) > 1 {
			args = append(args, env.Argv[1:]...)
		}
	} else {
		for _, v := range iterate(argv) {
			s, ok := v.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(v))
			}
			args = append(args, string(s))
		}
	}
	var ns *Namespace
	switch n := namespace.(type) {
	case *Namespace:
		ns = n
	case starlark.NoneType:
		ns = newNamespace()
	default:
		return nil, py.Errorf(py.TypeError, "namespace must be an argparse.Namespace, not %s", py.TypeName(namespace))
	}
	extras, err := p.parseKnownArgs(thread, args, ns)
	if err != nil {
		return nil, err
	}
	if known {
		list := make([]starlark.Value, len(extras))
		for i, e := range extras {
			list[i] = starlark.String(e)
		}
		return starlark.Tuple{ns, starlark.NewList(list)}, nil
	}
	if len(extras) > 0 {
		return nil, p.fail(thread, "unrecognized arguments: "+strings.Join(extras, " "))
	}
	return ns, nil
}

// unrecognized is where subparsers leave the arguments they did not
// recognise, as CPython's _UNRECOGNIZED_ARGS_ATTR.
const unrecognized = "_unrecognized_args"

// parseKnownArgs is parse_known_args after its arguments are read:
// defaults first, then the command line; a parse error is error()'s exit.
func (p *Parser) parseKnownArgs(thread *starlark.Thread, args []string, ns *Namespace) ([]string, error) {
	for _, a := range p.actions {
		if a.dest != suppress && !ns.has(a.dest) && !a.defaultSuppressed() {
			ns.set(a.dest, orNone(a.defaultValue))
		}
	}
	for _, dest := range p.defaultOrder {
		if !ns.has(dest) {
			ns.set(dest, p.defaults[dest])
		}
	}
	extras, err := p.parse(thread, args, ns)
	var ae *argumentError
	if errors.As(err, &ae) {
		if !p.exitOnError {
			return nil, py.NewException(ArgumentError, ae.Error())
		}
		return nil, p.fail(thread, ae.Error())
	}
	if err != nil {
		return nil, err
	}
	if ns.has(unrecognized) {
		for _, v := range iterate(ns.get(unrecognized)) {
			extras = append(extras, py.Str(v))
		}
		ns.del(unrecognized)
	}
	return extras, nil
}

// optionMatch is what _parse_optional found for a command-line string:
// the action (nil for an unknown option), the option string, and an
// argument given with it (-xVALUE, --x=VALUE).
type optionMatch struct {
	action   *action
	option   string
	explicit *string
}

// parseOptional is _parse_optional: nil when s is a positional argument.
func (p *Parser) parseOptional(thread *starlark.Thread, s string) (*optionMatch, error) {
	if s == "" || !strings.ContainsRune(p.prefixChars, rune(s[0])) {
		return nil, nil
	}
	if a, ok := p.optionActions[s]; ok {
		return &optionMatch{action: a, option: s}, nil
	}
	if len(s) == 1 {
		return nil, nil
	}
	if opt, arg, ok := strings.Cut(s, "="); ok {
		if a, ok := p.optionActions[opt]; ok {
			return &optionMatch{action: a, option: opt, explicit: &arg}, nil
		}
	}
	matches, err := p.optionTuples(thread, s)
	if err != nil {
		return nil, err
	}
	if len(matches) > 1 {
		names := make([]string, len(matches))
		for i, m := range matches {
			names[i] = m.option
		}
		return nil, p.fail(thread, fmt.Sprintf("ambiguous option: %s could match %s", s, strings.Join(names, ", ")))
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	if negativeNumber.MatchString(s) && !p.negativeNumber {
		return nil, nil
	}
	if strings.Contains(s, " ") {
		return nil, nil
	}
	return &optionMatch{option: s}, nil
}

// optionTuples is _get_option_tuples: the options s abbreviates.
func (p *Parser) optionTuples(thread *starlark.Thread, s string) ([]*optionMatch, error) {
	var out []*optionMatch
	chars := p.prefixChars
	switch {
	case strings.ContainsRune(chars, rune(s[0])) && strings.ContainsRune(chars, rune(s[1])):
		if p.allowAbbrev {
			prefix, arg, hasArg := strings.Cut(s, "=")
			for _, o := range p.optionOrder {
				if strings.HasPrefix(o, prefix) {
					m := &optionMatch{action: p.optionActions[o], option: o}
					if hasArg {
						m.explicit = &arg
					}
					out = append(out, m)
				}
			}
		}
	case strings.ContainsRune(chars, rune(s[0])):
		short, shortArg := s[:2], s[2:]
		for _, o := range p.optionOrder {
			if o == short {
				arg := shortArg
				out = append(out, &optionMatch{action: p.optionActions[o], option: o, explicit: &arg})
			} else if strings.HasPrefix(o, s) {
				out = append(out, &optionMatch{action: p.optionActions[o], option: o})
			}
		}
	default:
		return nil, p.fail(thread, "unexpected option string: "+s)
	}
	return out, nil
}

// patternCache holds the compiled nargs patterns, shared by all parsers.
var patternCache sync.Map

// matchPattern matches the nargs regular expression re at the start of
// the letters pattern, returning the lengths of its groups.
func matchPattern(re, letters string) []int {
	var r *regexp.Regexp
	if v, ok := patternCache.Load(re); ok {
		r = v.(*regexp.Regexp)
	} else {
		r = regexp.MustCompile("^" + re)
		patternCache.Store(re, r)
	}
	m := r.FindStringSubmatchIndex(letters)
	if m == nil {
		return nil
	}
	out := make([]int, 0, len(m)/2-1)
	for i := 2; i < len(m); i += 2 {
		out = append(out, m[i+1]-m[i])
	}
	return out
}

// parse is _parse_known_args: options and positionals consumed in turn.
func (p *Parser) parse(thread *starlark.Thread, args []string, ns *Namespace) ([]string, error) {
	conflicts := map[*action][]*action{}
	for _, g := range p.mutexGroups {
		for i, a := range g.actions {
			conflicts[a] = append(conflicts[a], g.actions[:i]...)
			conflicts[a] = append(conflicts[a], g.actions[i+1:]...)
		}
	}
	optionAt := map[int]*optionMatch{}
	var letters strings.Builder
	for i := 0; i < len(args); i++ {
		if args[i] == "--" {
			letters.WriteByte('-')
			for i++; i < len(args); i++ {
				letters.WriteByte('A')
			}
			break
		}
		m, err := p.parseOptional(thread, args[i])
		if err != nil {
			return nil, err
		}
		if m == nil {
			letters.WriteByte('A')
		} else {
			optionAt[i] = m
			letters.WriteByte('O')
		}
	}
	pattern := letters.String()
	seen := map[*action]bool{}
	seenNonDefault := map[*action]bool{}
	var extras []string

	takeAction := func(a *action, argStrings []string, option string) error {
		seen[a] = true
		values, isDefault, err := p.values(thread, a, argStrings)
		if err != nil {
			return err
		}
		if !isDefault {
			seenNonDefault[a] = true
			for _, c := range conflicts[a] {
				if seenNonDefault[c] {
					return &argumentError{a, "not allowed with argument " + c.name()}
				}
			}
		}
		if s, ok := values.(starlark.String); ok && string(s) == suppress {
			return nil
		}
		return p.call(thread, a, ns, values, option)
	}

	consumeOptional := func(start int) (int, error) {
		m := optionAt[start]
		a, option, explicit := m.action, m.option, m.explicit
		type step struct {
			a      *action
			args   []string
			option string
		}
		var steps []step
		var stop int
	match:
		for {
			if a == nil {
				extras = append(extras, args[start])
				return start + 1, nil
			}
			if explicit != nil {
				counts := matchPattern(a.nargs.pattern(true), "A")
				if counts == nil {
					return 0, &argumentError{a, nargsError(a.nargs)}
				}
				switch count := counts[0]; {
				case count == 0 && !strings.ContainsRune(p.prefixChars, rune(option[1])) && *explicit != "":
					steps = append(steps, step{a, nil, option})
					option = option[:1] + (*explicit)[:1]
					rest := (*explicit)[1:]
					if next, ok := p.optionActions[option]; ok {
						a = next
						if rest == "" {
							explicit = nil
						} else {
							explicit = &rest
						}
					} else {
						return 0, &argumentError{a, "ignored explicit argument " + py.Repr(starlark.String(*explicit))}
					}
				case count == 1:
					stop = start + 1
					steps = append(steps, step{a, []string{*explicit}, option})
					break match
				default:
					return 0, &argumentError{a, "ignored explicit argument " + py.Repr(starlark.String(*explicit))}
				}
			} else {
				from := start + 1
				counts := matchPattern(a.nargs.pattern(true), pattern[from:])
				if counts == nil {
					return 0, &argumentError{a, nargsError(a.nargs)}
				}
				stop = from + counts[0]
				steps = append(steps, step{a, args[from:stop], option})
				break match
			}
		}
		for _, s := range steps {
			if err := takeAction(s.a, s.args, s.option); err != nil {
				return 0, err
			}
		}
		return stop, nil
	}

	var positionals []*action
	for _, a := range p.actions {
		if len(a.optionStrings) == 0 {
			positionals = append(positionals, a)
		}
	}
	consumePositionals := func(start int) (int, error) {
		var counts []int
		for i := len(positionals); i > 0; i-- {
			var re strings.Builder
			for _, a := range positionals[:i] {
				re.WriteString(a.nargs.pattern(false))
			}
			if counts = matchPattern(re.String(), pattern[start:]); counts != nil {
				break
			}
		}
		for i, n := range counts {
			if err := takeAction(positionals[i], args[start:start+n], ""); err != nil {
				return 0, err
			}
			start += n
		}
		positionals = positionals[len(counts):]
		return start, nil
	}

	indexes := make([]int, 0, len(optionAt))
	for i := range optionAt {
		indexes = append(indexes, i)
	}
	sort.Ints(indexes)
	start := 0
	maxOption := -1
	if len(indexes) > 0 {
		maxOption = indexes[len(indexes)-1]
	}
	for start <= maxOption {
		next := -1
		for _, i := range indexes {
			if i >= start {
				next = i
				break
			}
		}
		if start != next {
			end, err := consumePositionals(start)
			if err != nil {
				return nil, err
			}
			if end > start {
				start = end
				continue
			}
			start = end
		}
		if _, ok := optionAt[start]; !ok {
			extras = append(extras, args[start:next]...)
			start = next
		}
		end, err := consumeOptional(start)
		if err != nil {
			return nil, err
		}
		start = end
	}
	stop, err := consumePositionals(start)
	if err != nil {
		return nil, err
	}
	extras = append(extras, args[stop:]...)

	var required []string
	for _, a := range p.actions {
		if seen[a] {
			continue
		}
		if a.required {
			required = append(required, a.name())
			continue
		}
		if s, ok := a.defaultValue.(starlark.String); ok && string(s) != suppress && ns.has(a.dest) && ns.get(a.dest) == a.defaultValue {
			v, err := p.convert(thread, a, string(s))
			if err != nil {
				return nil, err
			}
			ns.set(a.dest, v)
		}
	}
	if len(required) > 0 {
		return nil, p.fail(thread, "the following arguments are required: "+strings.Join(required, ", "))
	}
	for _, g := range p.mutexGroups {
		if !g.required {
			continue
		}
		used := false
		for _, a := range g.actions {
			if seenNonDefault[a] {
				used = true
			}
		}
		if !used {
			var names []string
			for _, a := range g.actions {
				if a.help == nil || *a.help != suppress {
					names = append(names, a.name())
				}
			}
			return nil, p.fail(thread, "one of the arguments "+strings.Join(names, " ")+" is required")
		}
	}
	return extras, nil
}

func nargsError(n nargs) string {
	switch n.kind {
	case nargsNone:
		return "expected one argument"
	case nargsOptional:
		return "expected at most one argument"
	case nargsOneOrMore:
		return "expected at least one argument"
	case nargsCount:
		if n.n == 1 {
			return "expected 1 argument"
		}
		return fmt.Sprintf("expected %d arguments", n.n)
	}
	return fmt.Sprintf("expected %s argument", py.Str(n.value()))
}

// values is _get_values: the command-line strings of an action
// converted. isDefault reports that the value is the action's default
// (CPython tests `is action.default`).
func (p *Parser) values(thread *starlark.Thread, a *action, argStrings []string) (starlark.Value, bool, error) {
	if a.nargs.kind != nargsParser && a.nargs.kind != nargsRemainder {
		for i, s := range argStrings {
			if s == "--" {
				argStrings = append(append([]string(nil), argStrings[:i]...), argStrings[i+1:]...)
				break
			}
		}
	}
	convertAll := func(check bool) (starlark.Value, bool, error) {
		out := make([]starlark.Value, len(argStrings))
		for i, s := range argStrings {
			v, err := p.convert(thread, a, s)
			if err != nil {
				return nil, false, err
			}
			if check {
				if err := p.check(a, v); err != nil {
					return nil, false, err
				}
			}
			out[i] = v
		}
		return starlark.NewList(out), false, nil
	}
	switch {
	case len(argStrings) == 0 && a.nargs.kind == nargsOptional:
		value := a.defaultValue
		isDefault := true
		if len(a.optionStrings) > 0 {
			value, isDefault = a.constant, a.constant == a.defaultValue
		}
		if s, ok := value.(starlark.String); ok {
			v, err := p.convert(thread, a, string(s))
			if err != nil {
				return nil, false, err
			}
			if err := p.check(a, v); err != nil {
				return nil, false, err
			}
			return v, false, nil
		}
		return orNone(value), isDefault, nil
	case len(argStrings) == 0 && a.nargs.kind == nargsZeroOrMore && len(a.optionStrings) == 0:
		if a.defaultValue != nil {
			if err := p.check(a, a.defaultValue); err != nil {
				return nil, false, err
			}
			return a.defaultValue, true, nil
		}
		empty := starlark.NewList(nil)
		if err := p.check(a, empty); err != nil {
			return nil, false, err
		}
		return empty, false, nil
	case len(argStrings) == 1 && (a.nargs.kind == nargsNone || a.nargs.kind == nargsOptional):
		v, err := p.convert(thread, a, argStrings[0])
		if err != nil {
			return nil, false, err
		}
		return v, false, p.check(a, v)
	case a.nargs.kind == nargsRemainder:
		return convertAll(false)
	case a.nargs.kind == nargsParser:
		v, _, err := convertAll(false)
		if err != nil {
			return nil, false, err
		}
		return v, false, p.check(a, v.(*starlark.List).Index(0))
	case a.nargs.kind == nargsSuppress:
		return starlark.String(suppress), false, nil
	}
	if a.nargs.zero() {
		return starlark.NewList(nil), false, nil
	}
	return convertAll(true)
}

// convert is _get_value: type=(s), with CPython's messages when it fails.
func (p *Parser) convert(thread *starlark.Thread, a *action, s string) (starlark.Value, error) {
	if a.typ == nil {
		return starlark.String(s), nil
	}
	v, err := starlark.Call(thread, a.typ, starlark.Tuple{starlark.String(s)}, nil)
	if err == nil {
		return v, nil
	}
	e := py.AsException(err)
	switch {
	case e != nil && e.Class.IsSubclass(ArgumentTypeError):
		return nil, &argumentError{a, e.String()}
	case e != nil && (e.Class.IsSubclass(py.TypeError) || e.Class.IsSubclass(py.ValueError)):
		name := nameOf(a.typ)
		if name == "" {
			name = py.Repr(a.typ)
		}
		return nil, &argumentError{a, fmt.Sprintf("invalid %s value: %s", name, py.Repr(starlark.String(s)))}
	}
	return nil, err
}

// check is _check_value: the value must be one of the choices.
func (p *Parser) check(a *action, v starlark.Value) error {
	if !a.hasChoices() {
		return nil
	}
	choices := a.choiceList()
	for _, c := range choices {
		if eq, err := starlark.Equal(c, v); err == nil && eq {
			return nil
		}
	}
	if a.kind != "parsers" {
		if m, ok := a.choices.(starlark.Mapping); ok {
			if _, found, _ := m.Get(v); found {
				return nil
			}
		}
	}
	reprs := make([]string, len(choices))
	for i, c := range choices {
		reprs[i] = py.Repr(c)
	}
	return &argumentError{a, fmt.Sprintf("invalid choice: %s (choose from %s)", py.Repr(v), strings.Join(reprs, ", "))}
}

// call is the action's __call__: store the values in the namespace, or
// print help or the version and exit, or run a subparser.
func (p *Parser) call(thread *starlark.Thread, a *action, ns *Namespace, values starlark.Value, option string) error {
	switch a.kind {
	case "store":
		ns.set(a.dest, values)
	case "store_const", "store_true", "store_false":
		ns.set(a.dest, orNone(a.constant))
	case "append", "append_const", "extend":
		var items []starlark.Value
		if old := ns.get(a.dest); old != nil && old != starlark.None {
			items = iterate(old)
		}
		switch a.kind {
		case "append":
			items = append(items, values)
		case "append_const":
			items = append(items, orNone(a.constant))
		default:
			items = append(items, iterate(values)...)
		}
		ns.set(a.dest, starlark.NewList(items))
	case "count":
		n := starlark.MakeInt(0)
		if old, ok := ns.get(a.dest).(starlark.Int); ok {
			n = old
		}
		ns.set(a.dest, n.Add(starlark.MakeInt(1)))
	case "help":
		if err := p.printTo(thread, p.formatHelp(thread), starlark.None, false); err != nil {
			return err
		}
		return &py.SystemExit{Code: 0}
	case "version":
		f := p.formatter(thread)
		version := ""
		if a.version != nil && a.version != starlark.None {
			version = py.Str(a.version)
		}
		f.addText(&version)
		if err := p.printTo(thread, f.help(), starlark.None, false); err != nil {
			return err
		}
		return &py.SystemExit{Code: 0}
	case "parsers":
		list := iterate(values)
		name := py.Str(list[0])
		if a.dest != suppress {
			ns.set(a.dest, list[0])
		}
		sub, ok := a.parsers[name]
		if !ok {
			return &argumentError{a, fmt.Sprintf("unknown parser %s (choices: %s)", py.Repr(list[0]), strings.Join(a.parserNames, ", "))}
		}
		rest := make([]string, len(list)-1)
		for i, v := range list[1:] {
			rest[i] = py.Str(v)
		}
		subns := newNamespace()
		extras, err := sub.parseKnownArgs(thread, rest, subns)
		if err != nil {
			return err
		}
		for _, n := range subns.attrs.Names() {
			ns.set(n, subns.get(n))
		}
		if len(extras) > 0 {
			var old []starlark.Value
			if ns.has(unrecognized) {
				old = iterate(ns.get(unrecognized))
			}
			for _, e := range extras {
				old = append(old, starlark.String(e))
			}
			ns.set(unrecognized, starlark.NewList(old))
		}
	}
	return nil
}
