package argparse

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// suppress is argparse.SUPPRESS.
const suppress = "==SUPPRESS=="

// The kinds of nargs.
const (
	nargsNone       = iota // one argument, stored as it is
	nargsOptional          // '?'
	nargsZeroOrMore        // '*'
	nargsOneOrMore         // '+'
	nargsRemainder         // argparse.REMAINDER, '...'
	nargsParser            // 'A...', a subparsers action
	nargsSuppress          // '==SUPPRESS=='
	nargsCount             // an int: n
)

// nargs is an action's nargs.
type nargs struct {
	kind int
	n    int
}

func (n nargs) zero() bool { return n.kind == nargsCount && n.n == 0 }

// value is the nargs as a script sees it.
func (n nargs) value() starlark.Value {
	switch n.kind {
	case nargsOptional:
		return starlark.String("?")
	case nargsZeroOrMore:
		return starlark.String("*")
	case nargsOneOrMore:
		return starlark.String("+")
	case nargsRemainder:
		return starlark.String("...")
	case nargsParser:
		return starlark.String("A...")
	case nargsSuppress:
		return starlark.String(suppress)
	case nargsCount:
		return starlark.MakeInt(n.n)
	}
	return starlark.None
}

// pattern is _get_nargs_pattern: a regular expression over the 'A'
// (argument), 'O' (option) and '-' ("--") letters of the command line.
func (n nargs) pattern(optional bool) string {
	var p string
	switch n.kind {
	case nargsNone:
		p = "(-*A-*)"
	case nargsOptional:
		p = "(-*A?-*)"
	case nargsZeroOrMore:
		p = "(-*[A-]*)"
	case nargsOneOrMore:
		p = "(-*A[A-]*)"
	case nargsRemainder:
		p = "([-AO]*)"
	case nargsParser:
		p = "(-*A[-AO]*)"
	case nargsSuppress:
		p = "(-*-*)"
	default:
		p = "(-*" + strings.Join(strings.Split(strings.Repeat("A", n.n), ""), "-*") + "-*)"
	}
	if optional {
		p = strings.ReplaceAll(strings.ReplaceAll(p, "-*", ""), "-", "")
	}
	return p
}

// action is an argparse Action: what add_argument made.
type action struct {
	kind          string // store, store_const, store_true, store_false, append, append_const, extend, count, help, version, parsers
	className     string
	optionStrings []string
	dest          string
	nargs         nargs
	constant      starlark.Value // nil: None
	defaultValue  starlark.Value // nil: None
	typ           starlark.Value // nil: None (the string as it is)
	choices       starlark.Value // nil: None
	required      bool
	help          *string
	metavar       starlark.Value // nil: None
	version       starlark.Value

	// subparsers
	progPrefix     string
	parserNames    []string
	parsers        map[string]*Parser
	choicesActions []*action
	parserKwargs   []starlark.Tuple // formatter_class and the like, passed on
}

var actionClasses = map[string]string{
	"store": "_StoreAction", "store_const": "_StoreConstAction", "store_true": "_StoreTrueAction",
	"store_false": "_StoreFalseAction", "append": "_AppendAction", "append_const": "_AppendConstAction",
	"extend": "_ExtendAction", "count": "_CountAction", "help": "_HelpAction", "version": "_VersionAction",
	"parsers": "_SubParsersAction",
}

func (a *action) defaultSuppressed() bool {
	s, ok := a.defaultValue.(starlark.String)
	return ok && string(s) == suppress
}

// hasChoices reports whether the action has choices (a subparsers
// action's are its parsers' names).
func (a *action) hasChoices() bool { return a.choices != nil || a.kind == "parsers" }

// choiceList lists the choices in order.
func (a *action) choiceList() []starlark.Value {
	if a.kind == "parsers" {
		out := make([]starlark.Value, len(a.parserNames))
		for i, n := range a.parserNames {
			out[i] = starlark.String(n)
		}
		return out
	}
	var out []starlark.Value
	if it, ok := a.choices.(starlark.Iterable); ok {
		iter := it.Iterate()
		defer iter.Done()
		var x starlark.Value
		for iter.Next(&x) {
			out = append(out, x)
		}
	}
	return out
}

// name is _get_action_name: how errors name the argument.
func (a *action) name() string {
	switch {
	case a == nil:
		return ""
	case len(a.optionStrings) > 0:
		return strings.Join(a.optionStrings, "/")
	case a.metavar != nil && a.metavar != starlark.None && py.Str(a.metavar) != suppress:
		return py.Str(a.metavar)
	case a.dest != "" && a.dest != suppress:
		return a.dest
	case a.hasChoices():
		var names []string
		for _, c := range a.choiceList() {
			names = append(names, py.Str(c))
		}
		return "{" + strings.Join(names, ",") + "}"
	}
	return ""
}

var _ starlark.HasAttrs = (*action)(nil)

// String is the Action's repr: _StoreAction(option_strings=[...], ...).
func (a *action) String() string {
	opts := make([]starlark.Value, len(a.optionStrings))
	for i, o := range a.optionStrings {
		opts[i] = starlark.String(o)
	}
	var choices starlark.Value = orNone(a.choices)
	if a.kind == "parsers" {
		d := starlark.NewDict(0)
		for _, n := range a.parserNames {
			_ = d.SetKey(starlark.String(n), a.parsers[n])
		}
		choices = d
	}
	var help starlark.Value = starlark.None
	if a.help != nil {
		help = starlark.String(*a.help)
	}
	return fmt.Sprintf("%s(option_strings=%s, dest=%s, nargs=%s, const=%s, default=%s, type=%s, choices=%s, required=%s, help=%s, metavar=%s)",
		a.className, py.Repr(starlark.NewList(opts)), py.Repr(starlark.String(a.dest)), py.Repr(a.nargs.value()),
		py.Repr(orNone(a.constant)), py.Repr(orNone(a.defaultValue)), py.Repr(orNone(a.typ)), py.Repr(choices),
		py.Repr(starlark.Bool(a.required)), py.Repr(help), py.Repr(orNone(a.metavar)))
}
func (a *action) Type() string          { return a.className }
func (a *action) Freeze()               {}
func (a *action) Truth() starlark.Bool  { return true }
func (a *action) Hash() (uint32, error) { return starlark.String(a.dest).Hash() }

func (a *action) AttrNames() []string {
	names := []string{"choices", "const", "default", "dest", "help", "metavar", "nargs", "option_strings", "required", "type"}
	if a.kind == "parsers" {
		names = append(names, "add_parser")
	}
	return names
}

// Attr returns the action's attributes; a subparsers action has
// add_parser.
func (a *action) Attr(name string) (starlark.Value, error) {
	switch name {
	case "option_strings":
		opts := make([]starlark.Value, len(a.optionStrings))
		for i, o := range a.optionStrings {
			opts[i] = starlark.String(o)
		}
		return starlark.NewList(opts), nil
	case "dest":
		return starlark.String(a.dest), nil
	case "nargs":
		return a.nargs.value(), nil
	case "const":
		return orNone(a.constant), nil
	case "default":
		return orNone(a.defaultValue), nil
	case "type":
		return orNone(a.typ), nil
	case "choices":
		return orNone(a.choices), nil
	case "required":
		return starlark.Bool(a.required), nil
	case "help":
		if a.help == nil {
			return starlark.None, nil
		}
		return starlark.String(*a.help), nil
	case "metavar":
		return orNone(a.metavar), nil
	case "add_parser":
		if a.kind == "parsers" {
			return py.Func("add_parser", a.addParser).BindReceiver(a), nil
		}
	}
	return nil, nil
}

// addParser is add_parser(name, *, aliases=(), help=..., **parser
// arguments) of a subparsers action.
func (a *action) addParser(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "_SubParsersAction.add_parser() takes 2 positional arguments but %d were given", len(args)+1)
	}
	name, ok := args[0].(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "add_parser() argument 'name' must be str, not %s", py.TypeName(args[0]))
	}
	var aliases []string
	var help starlark.Value
	hasProg := false
	var rest []starlark.Tuple
	for _, kv := range kwargs {
		switch string(kv[0].(starlark.String)) {
		case "aliases":
			for _, v := range iterate(kv[1]) {
				aliases = append(aliases, py.Str(v))
			}
		case "help":
			help = kv[1]
		case "prog":
			hasProg = kv[1] != starlark.None
			rest = append(rest, kv)
		default:
			rest = append(rest, kv)
		}
	}
	if _, dup := a.parsers[string(name)]; dup {
		return nil, py.Errorf(ArgumentError, "argument %s: conflicting subparser: %s", a.name(), name)
	}
	for _, alias := range aliases {
		if _, dup := a.parsers[alias]; dup {
			return nil, py.Errorf(ArgumentError, "argument %s: conflicting subparser alias: %s", a.name(), alias)
		}
	}
	if !hasProg {
		rest = append(rest, starlark.Tuple{starlark.String("prog"), starlark.String(a.progPrefix + " " + string(name))})
	}
	if help != nil {
		metavar := string(name)
		if len(aliases) > 0 {
			metavar += " (" + strings.Join(aliases, ", ") + ")"
		}
		pseudo := &action{kind: "choice", className: "_ChoicesPseudoAction", dest: string(name), metavar: starlark.String(metavar), nargs: nargs{kind: nargsNone}}
		if help != starlark.None {
			h := py.Str(help)
			pseudo.help = &h
		}
		a.choicesActions = append(a.choicesActions, pseudo)
	}
	p, err := newParser(thread, append(append([]starlark.Tuple(nil), a.parserKwargs...), rest...))
	if err != nil {
		return nil, err
	}
	a.parsers[string(name)] = p
	a.parserNames = append(a.parserNames, string(name))
	for _, alias := range aliases {
		a.parsers[alias] = p
		a.parserNames = append(a.parserNames, alias)
	}
	return p, nil
}

func iterate(v starlark.Value) []starlark.Value {
	var out []starlark.Value
	if it, ok := v.(starlark.Iterable); ok {
		iter := it.Iterate()
		defer iter.Done()
		var x starlark.Value
		for iter.Next(&x) {
			out = append(out, x)
		}
	}
	return out
}
