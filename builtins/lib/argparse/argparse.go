// Package argparse is Python's argparse module for kstar scripts:
//
//	ArgumentParser(prog=None, usage=None, description=None, epilog=None,
//	               formatter_class=HelpFormatter, prefix_chars='-',
//	               argument_default=None, add_help=True, allow_abbrev=True,
//	               exit_on_error=True)
//	  .add_argument(*name_or_flags, action=, nargs=, const=, default=,
//	                type=, choices=, required=, help=, metavar=, dest=,
//	                version=)
//	  .add_argument_group(title=None, description=None)
//	  .add_mutually_exclusive_group(required=False)
//	  .add_subparsers(title=, description=, prog=, dest=, required=,
//	                  help=, metavar=) and its .add_parser(name, aliases=,
//	                  help=, **ArgumentParser arguments)
//	  .parse_args(args=None, namespace=None), .parse_known_args(...)
//	  .set_defaults(**kw), .get_default(dest)
//	  .format_usage(), .format_help(), .print_usage(file=None),
//	  .print_help(file=None), .error(message), .exit(status=0, message=None)
//	Namespace(**kw), SUPPRESS, OPTIONAL, ZERO_OR_MORE, ONE_OR_MORE,
//	REMAINDER, ArgumentError, ArgumentTypeError, HelpFormatter,
//	RawDescriptionHelpFormatter, RawTextHelpFormatter,
//	ArgumentDefaultsHelpFormatter
//
// Actions: store, store_const, store_true, store_false, append,
// append_const, extend, count, help, version. parse_args() reads sys.argv
// (kstar's is [FILE, ARGS...], as Python's), and the parser's prog
// defaults to the base name of sys.argv[0]. --help, usage lines and
// errors are CPython 3.11's to the character (the same layout, wrapping
// and messages), written to sys.stdout and sys.stderr as CPython writes
// them; an error exits with status 2, --help and --version with 0.
//
// Where it differs from CPython: the help is as wide as $COLUMNS, else 80
// columns (CPython asks the terminal when $COLUMNS is unset);
// fromfile_prefix_chars, parents, conflict_handler='resolve', custom
// Action classes and FileType are not supported; SystemExit cannot be
// caught by the script (kstar ends the script, as for sys.exit).
package argparse

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// ArgumentError is argparse.ArgumentError.
var ArgumentError = &py.ExceptionClass{ClassName: "ArgumentError", Module: "argparse", Base: py.PyException}

// ArgumentTypeError is argparse.ArgumentTypeError: a type= function
// raises it to give its own message.
var ArgumentTypeError = &py.ExceptionClass{ClassName: "ArgumentTypeError", Module: "argparse", Base: py.PyException}

// formatterClass is one of the HelpFormatter classes, as a value for
// formatter_class=.
type formatterClass struct{ name, kind string }

func (c *formatterClass) String() string        { return "<class 'argparse." + c.name + "'>" }
func (c *formatterClass) Type() string          { return "type" }
func (c *formatterClass) Freeze()               {}
func (c *formatterClass) Truth() starlark.Bool  { return true }
func (c *formatterClass) Hash() (uint32, error) { return starlark.String(c.name).Hash() }

var (
	helpFormatter = &formatterClass{"HelpFormatter", ""}
	formatters    = []*formatterClass{helpFormatter, {"RawDescriptionHelpFormatter", "raw_description"},
		{"RawTextHelpFormatter", "raw_text"}, {"ArgumentDefaultsHelpFormatter", "defaults"}}
)

// New returns the argparse module for one execution.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"ArgumentParser": py.Func("ArgumentParser", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return newParserArgs(thread, args, kwargs)
		}),
		"Namespace":         py.Func("Namespace", newNamespaceFunc),
		"SUPPRESS":          starlark.String(suppress),
		"OPTIONAL":          starlark.String("?"),
		"ZERO_OR_MORE":      starlark.String("*"),
		"ONE_OR_MORE":       starlark.String("+"),
		"REMAINDER":         starlark.String("..."),
		"PARSER":            starlark.String("A..."),
		"ArgumentError":     ArgumentError,
		"ArgumentTypeError": ArgumentTypeError,
	}
	for _, f := range formatters {
		members[f.name] = f
	}
	return &starlarkstruct.Module{Name: "argparse", Members: members}
}

// Parser is argparse.ArgumentParser.
type Parser struct {
	prog                string
	usage               *string
	description, epilog *string
	formatterKind       string
	formatterClass      *formatterClass
	prefixChars         string
	argumentDefault     starlark.Value
	addHelp             bool
	allowAbbrev         bool
	exitOnError         bool

	actions        []*action
	optionActions  map[string]*action
	optionOrder    []string
	groups         []*group // positionals, optionals, then the script's
	mutexGroups    []*group
	positionals    *group
	optionals      *group
	subparsers     *action
	defaults       map[string]starlark.Value
	defaultOrder   []string
	negativeNumber bool // an option looks like a negative number
}

// group is an argument group or a mutually exclusive group.
type group struct {
	parser      *Parser
	title       *string
	description *string
	actions     []*action
	mutex       bool
	required    bool
	within      *group // the argument group a mutually exclusive group adds to
}

func strOrNil(v starlark.Value) *string {
	if v == nil || v == starlark.None {
		return nil
	}
	s := py.Str(v)
	return &s
}

func newParserArgs(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	names := []string{"prog", "usage", "description", "epilog", "parents", "formatter_class", "prefix_chars",
		"fromfile_prefix_chars", "argument_default", "conflict_handler", "add_help", "allow_abbrev", "exit_on_error"}
	if len(args) > len(names) {
		return nil, py.Errorf(py.TypeError, "ArgumentParser.__init__() takes from 1 to %d positional arguments but %d were given", len(names)+1, len(args)+1)
	}
	all := make([]starlark.Tuple, 0, len(args)+len(kwargs))
	for i, a := range args {
		all = append(all, starlark.Tuple{starlark.String(names[i]), a})
	}
	return newParser(thread, append(all, kwargs...))
}

// newParser makes an ArgumentParser from its keyword arguments.
func newParser(thread *starlark.Thread, kwargs []starlark.Tuple) (*Parser, error) {
	p := &Parser{prefixChars: "-", addHelp: true, allowAbbrev: true, exitOnError: true,
		optionActions: map[string]*action{}, defaults: map[string]starlark.Value{}, formatterClass: helpFormatter}
	var prog starlark.Value
	for _, kv := range kwargs {
		k, v := string(kv[0].(starlark.String)), kv[1]
		switch k {
		case "prog":
			prog = v
		case "usage":
			p.usage = strOrNil(v)
		case "description":
			p.description = strOrNil(v)
		case "epilog":
			p.epilog = strOrNil(v)
		case "formatter_class":
			if c, ok := v.(*formatterClass); ok {
				p.formatterClass, p.formatterKind = c, c.kind
			}
		case "prefix_chars":
			p.prefixChars = py.Str(v)
		case "argument_default":
			if v != starlark.None {
				p.argumentDefault = v
			}
		case "add_help":
			p.addHelp = bool(v.Truth())
		case "allow_abbrev":
			p.allowAbbrev = bool(v.Truth())
		case "exit_on_error":
			p.exitOnError = bool(v.Truth())
		case "parents":
			if len(iterate(v)) > 0 {
				return nil, py.Errorf(py.NotImplementedError, "ArgumentParser(parents=...) is not supported by kstar")
			}
		case "fromfile_prefix_chars":
			if v != starlark.None {
				return nil, py.Errorf(py.NotImplementedError, "ArgumentParser(fromfile_prefix_chars=...) is not supported by kstar")
			}
		case "conflict_handler":
			if py.Str(v) != "error" {
				return nil, py.Errorf(py.NotImplementedError, "ArgumentParser(conflict_handler=%s) is not supported by kstar", py.Repr(v))
			}
		default:
			return nil, py.Errorf(py.TypeError, "ArgumentParser.__init__() got an unexpected keyword argument '%s'", k)
		}
	}
	if prog == nil || prog == starlark.None {
		argv := py.EnvOf(thread).Argv
		p.prog = ""
		if len(argv) > 0 {
			p.prog = path.Base(argv[0])
		}
	} else {
		p.prog = py.Str(prog)
	}
	positional, options := "positional arguments", "options"
	p.positionals = &group{parser: p, title: &positional}
	p.optionals = &group{parser: p, title: &options}
	p.groups = []*group{p.positionals, p.optionals}
	if p.addHelp {
		prefix := "-"
		if !strings.Contains(p.prefixChars, "-") {
			prefix = p.prefixChars[:1]
		}
		help := "show this help message and exit"
		if _, err := p.addArgument(thread, nil, starlark.Tuple{starlark.String(prefix + "h"), starlark.String(prefix + prefix + "help")},
			[]starlark.Tuple{{starlark.String("action"), starlark.String("help")}, {starlark.String("default"), starlark.String(suppress)},
				{starlark.String("help"), starlark.String(help)}}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

var _ starlark.HasAttrs = (*Parser)(nil)

// String is CPython's repr of an ArgumentParser.
func (p *Parser) String() string {
	opt := func(s *string) string {
		if s == nil {
			return "None"
		}
		return py.Repr(starlark.String(*s))
	}
	return "ArgumentParser(prog=" + py.Repr(starlark.String(p.prog)) + ", usage=" + opt(p.usage) + ", description=" + opt(p.description) +
		", formatter_class=" + p.formatterClass.String() + ", conflict_handler='error', add_help=" + py.Repr(starlark.Bool(p.addHelp)) + ")"
}
func (p *Parser) Type() string          { return "ArgumentParser" }
func (p *Parser) Freeze()               {}
func (p *Parser) Truth() starlark.Bool  { return true }
func (p *Parser) Hash() (uint32, error) { return starlark.String(p.prog).Hash() }

func (p *Parser) AttrNames() []string {
	return []string{"add_argument", "add_argument_group", "add_mutually_exclusive_group", "add_subparsers", "description",
		"epilog", "error", "exit", "format_help", "format_usage", "get_default", "parse_args", "parse_known_args",
		"print_help", "print_usage", "prog", "set_defaults", "usage"}
}

// Attr returns the parser's attributes and bound methods.
func (p *Parser) Attr(name string) (starlark.Value, error) {
	bind := func(fn py.BuiltinFunc) (starlark.Value, error) {
		return py.Func(name, fn).BindReceiver(p), nil
	}
	opt := func(s *string) starlark.Value {
		if s == nil {
			return starlark.None
		}
		return starlark.String(*s)
	}
	switch name {
	case "prog":
		return starlark.String(p.prog), nil
	case "usage":
		return opt(p.usage), nil
	case "description":
		return opt(p.description), nil
	case "epilog":
		return opt(p.epilog), nil
	case "add_argument":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return p.addArgument(thread, nil, args, kwargs)
		})
	case "add_argument_group":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var title, description starlark.Value = starlark.None, starlark.None
			if err := starlark.UnpackArgs(name, args, kwargs, "title?", &title, "description?", &description); err != nil {
				return nil, err
			}
			g := &group{parser: p, title: strOrNil(title), description: strOrNil(description)}
			p.groups = append(p.groups, g)
			return g, nil
		})
	case "add_mutually_exclusive_group":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return p.addMutex(nil, args, kwargs)
		})
	case "add_subparsers":
		return bind(p.addSubparsers)
	case "parse_args", "parse_known_args":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var argv, namespace starlark.Value = starlark.None, starlark.None
			if err := starlark.UnpackArgs(name, args, kwargs, "args?", &argv, "namespace?", &namespace); err != nil {
				return nil, err
			}
			return p.parseArgs(thread, argv, namespace, name == "parse_known_args")
		})
	case "set_defaults":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) > 0 {
				return nil, py.Errorf(py.TypeError, "set_defaults() takes 1 positional argument but %d were given", len(args)+1)
			}
			for _, kv := range kwargs {
				k := string(kv[0].(starlark.String))
				if _, ok := p.defaults[k]; !ok {
					p.defaultOrder = append(p.defaultOrder, k)
				}
				p.defaults[k] = kv[1]
				for _, a := range p.actions {
					if a.dest == k {
						a.defaultValue = kv[1]
					}
				}
			}
			return starlark.None, nil
		})
	case "get_default":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var dest string
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &dest); err != nil {
				return nil, err
			}
			for _, a := range p.actions {
				if a.dest == dest && a.defaultValue != nil {
					return a.defaultValue, nil
				}
			}
			return orNone(p.defaults[dest]), nil
		})
	case "format_usage", "format_help":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
				return nil, err
			}
			if name == "format_usage" {
				return starlark.String(p.formatUsage(thread)), nil
			}
			return starlark.String(p.formatHelp(thread)), nil
		})
	case "print_usage", "print_help":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var file starlark.Value = starlark.None
			if err := starlark.UnpackArgs(name, args, kwargs, "file?", &file); err != nil {
				return nil, err
			}
			text := p.formatHelp(thread)
			if name == "print_usage" {
				text = p.formatUsage(thread)
			}
			return starlark.None, p.printTo(thread, text, file, false)
		})
	case "error":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var message string
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &message); err != nil {
				return nil, err
			}
			return nil, p.fail(thread, message)
		})
	case "exit":
		return bind(func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var status, message starlark.Value = starlark.MakeInt(0), starlark.None
			if err := starlark.UnpackArgs(name, args, kwargs, "status?", &status, "message?", &message); err != nil {
				return nil, err
			}
			if message != starlark.None {
				if err := p.printTo(thread, py.Str(message), starlark.None, true); err != nil {
					return nil, err
				}
			}
			code, _ := starlark.AsInt32(status)
			return nil, &py.SystemExit{Code: code}
		})
	}
	return nil, nil
}

// printTo writes text to file (a script's file-like value), or to
// sys.stdout (sys.stderr when toStderr) when file is None.
func (p *Parser) printTo(thread *starlark.Thread, text string, file starlark.Value, toStderr bool) error {
	if text == "" {
		return nil
	}
	if file != nil && file != starlark.None {
		if w, ok := file.(py.TextWriter); ok {
			return w.WriteText(thread, text)
		}
		write, err := py.GetAttr(file, "write")
		if err != nil {
			return err
		}
		_, err = starlark.Call(thread, write, starlark.Tuple{starlark.String(text)}, nil)
		return err
	}
	env := py.EnvOf(thread)
	out := env.Stdout
	if toStderr {
		out = env.Stderr
	}
	_, err := out.Write([]byte(text))
	return err
}

// fail is ArgumentParser.error: the usage and "prog: error: message" on
// stderr, then exit status 2.
func (p *Parser) fail(thread *starlark.Thread, message string) error {
	if err := p.printTo(thread, p.formatUsage(thread), starlark.None, true); err != nil {
		return err
	}
	if err := p.printTo(thread, p.prog+": error: "+message+"\n", starlark.None, true); err != nil {
		return err
	}
	return &py.SystemExit{Code: 2}
}

// width is the help's width: $COLUMNS less 2, else 78.
func width(thread *starlark.Thread) int {
	if getenv := py.EnvOf(thread).Getenv; getenv != nil {
		if n, err := strconv.Atoi(getenv()["COLUMNS"]); err == nil && n > 0 {
			return n - 2
		}
	}
	return 78
}

func (p *Parser) formatter(thread *starlark.Thread) *formatter {
	return newFormatter(p.prog, width(thread), p.formatterKind)
}

func (p *Parser) formatUsage(thread *starlark.Thread) string {
	f := p.formatter(thread)
	f.addUsage(p.usage, p.actions, p.mutexGroups, nil)
	return f.help()
}

func (p *Parser) formatHelp(thread *starlark.Thread) string {
	f := p.formatter(thread)
	f.addUsage(p.usage, p.actions, p.mutexGroups, nil)
	f.addText(p.description)
	for _, g := range p.groups {
		f.startSection(g.title)
		f.addText(g.description)
		for _, a := range g.actions {
			f.addArgument(a)
		}
		f.endSection()
	}
	f.addText(p.epilog)
	return f.help()
}

// addMutex is add_mutually_exclusive_group(required=False), on the
// parser (within nil) or on an argument group.
func (p *Parser) addMutex(within *group, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var required bool
	if err := starlark.UnpackArgs("add_mutually_exclusive_group", args, kwargs, "required?", &required); err != nil {
		return nil, err
	}
	g := &group{parser: p, mutex: true, required: required, within: within}
	p.mutexGroups = append(p.mutexGroups, g)
	return g, nil
}

// addSubparsers is add_subparsers(title=, description=, prog=, dest=,
// required=, help=, metavar=, parser_class ignored).
func (p *Parser) addSubparsers(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if p.subparsers != nil {
		return nil, p.fail(thread, "cannot have multiple subparser arguments")
	}
	a := &action{kind: "parsers", className: "_SubParsersAction", dest: suppress, nargs: nargs{kind: nargsParser}, parsers: map[string]*Parser{}}
	var title, description, prog starlark.Value
	for _, kv := range kwargs {
		k, v := string(kv[0].(starlark.String)), kv[1]
		switch k {
		case "title":
			title = v
		case "description":
			description = v
		case "prog":
			prog = v
		case "dest":
			if v != starlark.None {
				a.dest = py.Str(v)
			}
		case "required":
			a.required = bool(v.Truth())
		case "help":
			a.help = strOrNil(v)
		case "metavar":
			if v != starlark.None {
				a.metavar = v
			}
		case "parser_class", "action":
		default:
			return nil, py.Errorf(py.TypeError, "_SubParsersAction.__init__() got an unexpected keyword argument '%s'", k)
		}
	}
	if p.formatterClass != helpFormatter {
		a.parserKwargs = []starlark.Tuple{{starlark.String("formatter_class"), p.formatterClass}}
	}
	target := p.positionals
	if title != nil || description != nil {
		t := "subcommands"
		if title != nil {
			t = py.Str(title)
		}
		target = &group{parser: p, title: &t, description: strOrNil(description)}
		p.groups = append(p.groups, target)
	}
	if prog == nil || prog == starlark.None {
		f := p.formatter(thread)
		var positionals []*action
		for _, x := range p.actions {
			if len(x.optionStrings) == 0 {
				positionals = append(positionals, x)
			}
		}
		empty := ""
		f.addUsage(p.usage, positionals, p.mutexGroups, &empty)
		a.progPrefix = strings.TrimSpace(f.help())
	} else {
		a.progPrefix = py.Str(prog)
	}
	p.subparsers = a
	p.addAction(a, target)
	return a, nil
}

var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// addAction adds a to the parser and to the group it belongs to.
func (p *Parser) addAction(a *action, g *group) {
	p.actions = append(p.actions, a)
	for _, o := range a.optionStrings {
		p.optionActions[o] = a
		p.optionOrder = append(p.optionOrder, o)
		if negativeNumber.MatchString(o) {
			p.negativeNumber = true
		}
	}
	if g == nil {
		if len(a.optionStrings) > 0 {
			g = p.optionals
		} else {
			g = p.positionals
		}
	}
	g.actions = append(g.actions, a)
}

var _ starlark.HasAttrs = (*group)(nil)

func (g *group) String() string {
	if g.mutex {
		return "<argparse._MutuallyExclusiveGroup object>"
	}
	return "<argparse._ArgumentGroup object>"
}
func (g *group) Type() string          { return "_ArgumentGroup" }
func (g *group) Freeze()               {}
func (g *group) Truth() starlark.Bool  { return true }
func (g *group) Hash() (uint32, error) { return 0, nil }
func (g *group) AttrNames() []string {
	return []string{"add_argument", "add_mutually_exclusive_group", "description", "title"}
}

// Attr returns add_argument (and, on argument groups,
// add_mutually_exclusive_group), title and description.
func (g *group) Attr(name string) (starlark.Value, error) {
	switch name {
	case "title":
		return orNone(strValue(g.title)), nil
	case "description":
		return orNone(strValue(g.description)), nil
	case "add_argument":
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return g.parser.addArgument(thread, g, args, kwargs)
		}).BindReceiver(g), nil
	case "add_mutually_exclusive_group":
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return g.parser.addMutex(g, args, kwargs)
		}).BindReceiver(g), nil
	}
	return nil, nil
}

func strValue(s *string) starlark.Value {
	if s == nil {
		return nil
	}
	return starlark.String(*s)
}

// addArgument is add_argument on the parser (g nil) or a group.
func (p *Parser) addArgument(thread *starlark.Thread, g *group, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	names := make([]string, len(args))
	for i, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "'%s' object is not subscriptable", py.TypeName(a))
		}
		if s == "" {
			return nil, py.Errorf(py.IndexError, "string index out of range")
		}
		names[i] = string(s)
	}
	kw := map[string]starlark.Value{}
	for _, kv := range kwargs {
		kw[string(kv[0].(starlark.String))] = kv[1]
	}
	a := &action{}
	isPositional := len(names) == 0 || len(names) == 1 && !strings.ContainsRune(p.prefixChars, rune(names[0][0]))
	if isPositional {
		if len(names) == 1 {
			if _, ok := kw["dest"]; ok {
				return nil, py.Errorf(py.ValueError, "dest supplied twice for positional argument")
			}
			a.dest = names[0]
		} else if d, ok := kw["dest"]; ok {
			a.dest = py.Str(d)
		} else {
			return nil, py.Errorf(py.TypeError, "_get_positional_kwargs() missing 1 required positional argument: 'dest'")
		}
		delete(kw, "dest")
		if _, ok := kw["required"]; ok {
			return nil, py.Errorf(py.TypeError, "'required' is an invalid argument for positionals")
		}
	} else {
		var long []string
		for _, o := range names {
			if !strings.ContainsRune(p.prefixChars, rune(o[0])) {
				return nil, py.Errorf(py.ValueError, "invalid option string %s: must start with a character %s",
					py.Repr(starlark.String(o)), py.Repr(starlark.String(p.prefixChars)))
			}
			if len(o) > 1 && strings.ContainsRune(p.prefixChars, rune(o[1])) {
				long = append(long, o)
			}
		}
		a.optionStrings = names
		if d, ok := kw["dest"]; ok && d != starlark.None {
			a.dest = py.Str(d)
		} else {
			src := names[0]
			if len(long) > 0 {
				src = long[0]
			}
			dest := strings.TrimLeft(src, p.prefixChars)
			if dest == "" {
				return nil, py.Errorf(py.ValueError, "dest= is required for options like %s", py.Repr(starlark.String(names[len(names)-1])))
			}
			a.dest = strings.ReplaceAll(dest, "-", "_")
		}
		delete(kw, "dest")
	}
	kind := "store"
	if v, ok := kw["action"]; ok {
		s, isStr := v.(starlark.String)
		if !isStr || actionClasses[string(s)] == "" || s == "parsers" {
			return nil, py.Errorf(py.ValueError, "unknown action \"%s\"", py.Str(v))
		}
		kind = string(s)
		delete(kw, "action")
	}
	a.kind, a.className = kind, actionClasses[kind]
	if _, ok := kw["default"]; !ok {
		if d, ok := p.defaults[a.dest]; ok {
			kw["default"] = d
		} else if p.argumentDefault != nil {
			kw["default"] = p.argumentDefault
		}
	}
	// the parameters each action class takes
	allowed := map[string][]string{
		"store":        {"nargs", "const", "default", "type", "choices", "required", "help", "metavar"},
		"append":       {"nargs", "const", "default", "type", "choices", "required", "help", "metavar"},
		"extend":       {"nargs", "const", "default", "type", "choices", "required", "help", "metavar"},
		"store_const":  {"const", "default", "required", "help", "metavar"},
		"append_const": {"const", "default", "required", "help", "metavar"},
		"store_true":   {"default", "required", "help"},
		"store_false":  {"default", "required", "help"},
		"count":        {"default", "required", "help"},
		"help":         {"default", "help"},
		"version":      {"version", "default", "help"},
	}[kind]
	for k := range kw {
		if !contains(allowed, k) {
			return nil, py.Errorf(py.TypeError, "%s.__init__() got an unexpected keyword argument '%s'", a.className, k)
		}
	}
	a.nargs = nargs{kind: nargsNone}
	switch kind {
	case "store_const", "append_const", "store_true", "store_false", "count", "help", "version":
		a.nargs = nargs{kind: nargsCount, n: 0}
	}
	if v, ok := kw["nargs"]; ok && v != starlark.None {
		n, err := parseNargs(v)
		if err != nil {
			return nil, err
		}
		a.nargs = n
	}
	a.constant = kw["const"]
	if a.constant == starlark.None {
		a.constant = nil
	}
	switch kind {
	case "store_true":
		a.constant, a.defaultValue = starlark.True, starlark.False
	case "store_false":
		a.constant, a.defaultValue = starlark.False, starlark.True
	case "help", "version":
		a.defaultValue = starlark.String(suppress)
	}
	if kind == "version" {
		a.version = kw["version"]
		h := "show program's version number and exit"
		a.help = &h
	}
	if v, ok := kw["default"]; ok {
		a.defaultValue = v
		if v == starlark.None {
			a.defaultValue = nil
		}
	}
	if v, ok := kw["type"]; ok && v != starlark.None {
		if _, callable := v.(starlark.Callable); !callable {
			return nil, py.Errorf(py.ValueError, "%s is not callable", py.Repr(v))
		}
		a.typ = v
	}
	if v, ok := kw["choices"]; ok && v != starlark.None {
		a.choices = v
	}
	if v, ok := kw["required"]; ok {
		a.required = bool(v.Truth())
	}
	if v, ok := kw["help"]; ok {
		a.help = strOrNil(v)
	}
	if v, ok := kw["metavar"]; ok && v != starlark.None {
		a.metavar = v
	}
	if isPositional {
		if a.nargs.kind != nargsOptional && a.nargs.kind != nargsZeroOrMore {
			a.required = true
		}
		if a.nargs.kind == nargsZeroOrMore {
			if _, ok := kw["default"]; !ok {
				a.required = true
			}
		}
	}
	switch kind {
	case "store", "append", "extend":
		if a.nargs.zero() {
			if kind == "store" {
				return nil, py.Errorf(py.ValueError, "nargs for store actions must be != 0; if you have nothing to store, actions such as store true or store const may be more appropriate")
			}
			return nil, py.Errorf(py.ValueError, "nargs for append actions must be != 0; if arg strings are not supplying the value to append, the append const action may be more appropriate")
		}
		if a.constant != nil && a.nargs.kind != nargsOptional {
			return nil, py.Errorf(py.ValueError, "nargs must be '?' to supply const")
		}
	}
	if t, ok := a.metavar.(starlark.Tuple); ok {
		want := map[int]int{nargsNone: 1, nargsOptional: 1, nargsZeroOrMore: -2, nargsOneOrMore: 2, nargsParser: 1}[a.nargs.kind]
		if a.nargs.kind == nargsCount {
			want = a.nargs.n
		}
		if want == -2 && len(t) != 1 && len(t) != 2 || want >= 0 && len(t) != want {
			return nil, py.Errorf(py.ValueError, "length of metavar tuple does not match nargs")
		}
	}
	for _, o := range a.optionStrings {
		if old, ok := p.optionActions[o]; ok && old != nil {
			var conflicts []string
			for _, o2 := range a.optionStrings {
				if _, ok := p.optionActions[o2]; ok {
					conflicts = append(conflicts, o2)
				}
			}
			return nil, py.Errorf(ArgumentError, "argument %s: conflicting option string%s: %s", a.name(), plural(len(conflicts)), strings.Join(conflicts, ", "))
		}
	}
	target := g
	if g != nil && g.mutex {
		if a.required {
			return nil, py.Errorf(py.ValueError, "mutually exclusive arguments must be optional")
		}
		g.actions = append(g.actions, a)
		target = g.within
	}
	p.addAction(a, target)
	return a, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseNargs reads nargs=: '?', '*', '+', argparse.REMAINDER, 'A...',
// SUPPRESS or an int.
func parseNargs(v starlark.Value) (nargs, error) {
	switch v := v.(type) {
	case starlark.String:
		switch v {
		case "?":
			return nargs{kind: nargsOptional}, nil
		case "*":
			return nargs{kind: nargsZeroOrMore}, nil
		case "+":
			return nargs{kind: nargsOneOrMore}, nil
		case "...":
			return nargs{kind: nargsRemainder}, nil
		case "A...":
			return nargs{kind: nargsParser}, nil
		case suppress:
			return nargs{kind: nargsSuppress}, nil
		}
	case starlark.Int:
		if n, ok := v.Int64(); ok && n >= 0 && n < 1<<20 {
			return nargs{kind: nargsCount, n: int(n)}, nil
		}
	}
	return nargs{}, py.Errorf(py.ValueError, "invalid nargs value")
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r) {
			continue
		}
		return false
	}
	return true
}
