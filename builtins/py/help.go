package py

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Documented is implemented by kstar's types and constructors: Doc returns
// their signature on the first line and a short description after it.
type Documented interface {
	Doc() string
}

// helpText is what help() with no argument prints.
const helpText = `kstar runs Python-looking scripts with kafka-python's API on franz-go.

  from kafka import KafkaProducer, KafkaConsumer
  producer = KafkaProducer(bootstrap_servers='localhost:9092')
  producer.send('test', b'hello').get(timeout=10)
  for msg in KafkaConsumer('test', auto_offset_reset='earliest', consumer_timeout_ms=1000):
      print(msg)

Modules: kafka, kafka.errors, kafka.admin, kafka.structs, json, msgpack, time, sys, os, logging.
help(obj) describes a type, function or module; dir(obj) lists its attributes.
The language is Starlark with Python's imports, f-strings, %, **, "is",
generator expressions and try/except/raise: no class or with.`

// Help is the help builtin: it prints usage for kstar's types, functions
// and modules.
func (h *HelpIndex) Help(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var obj starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &obj); err != nil {
		return nil, err
	}
	fmt.Fprintln(EnvOf(thread).Stdout, h.Text(obj))
	return starlark.None, nil
}

// Text returns what help(obj) prints (help() for a nil obj).
func (h *HelpIndex) Text(obj starlark.Value) string {
	if m, ok := obj.(*Module); ok {
		obj = &m.Module
	}
	switch obj := obj.(type) {
	case nil:
		return helpText
	case *starlark.Function: // before Documented, which it satisfies
		return functionHelp(obj)
	case Documented:
		return obj.Doc()
	case *starlark.Builtin:
		return h.builtinText(obj)
	case *starlarkstruct.Module:
		names := make([]string, 0, len(obj.Members))
		for n := range obj.Members {
			names = append(names, n)
		}
		sort.Strings(names)
		var lines []string
		for _, n := range names {
			line := "  " + n
			switch m := obj.Members[n].(type) {
			case Documented:
				line += ": " + firstLine(m.Doc())
			case *starlark.Builtin:
				if e, ok := h.Entry(h.Key(m)); ok {
					line += ": " + e.Doc
				}
			}
			lines = append(lines, line)
		}
		return "module " + obj.Name + ":\n" + strings.Join(lines, "\n")
	}
	text := "object of type " + TypeName(obj)
	if ha, ok := obj.(starlark.HasAttrs); ok {
		names := ha.AttrNames()
		sort.Strings(names)
		text += "\nattributes: " + strings.Join(names, ", ")
	}
	return text
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// functionHelp is what CPython's help() prints for a user-defined
// function (less the blank line help() ends with): a header, the
// signature with its defaults' reprs, and the docstring cleaned as
// inspect.cleandoc does and indented by four spaces.
func functionHelp(fn *starlark.Function) string {
	name, params := fn.Name(), parameters(fn)
	decl := name + "(" + params + ")"
	if name == "lambda" {
		if params == "" {
			params = "(...)"
		}
		name, decl = "<lambda>", "<lambda> lambda "+params
	}
	text := "Help on function " + name + " in module __main__:\n\n" + decl + "\n"
	if doc := cleanDoc(fn.Doc()); doc != "" {
		text += strings.TrimRight("    "+strings.ReplaceAll(doc, "\n", "\n    "), " \t\n") + "\n"
	}
	return text
}

// parameters is a function's parameter list as Python writes it:
// "a, b=1, *args, c, **kwargs". Starlark lists *args and **kwargs after
// the keyword-only parameters.
func parameters(fn *starlark.Function) string {
	n, kwonly := fn.NumParams(), fn.NumKwonlyParams()
	if fn.HasVarargs() {
		n--
	}
	if fn.HasKwargs() {
		n--
	}
	param := func(i int) string {
		name, _ := fn.Param(i)
		if d := fn.ParamDefault(i); d != nil {
			return name + "=" + Repr(d)
		}
		return name
	}
	var params []string
	for i := 0; i < n-kwonly; i++ {
		params = append(params, param(i))
	}
	if fn.HasVarargs() {
		name, _ := fn.Param(n)
		params = append(params, "*"+name)
	} else if kwonly > 0 {
		params = append(params, "*")
	}
	for i := n - kwonly; i < n; i++ {
		params = append(params, param(i))
	}
	if fn.HasKwargs() {
		name, _ := fn.Param(fn.NumParams() - 1)
		params = append(params, "**"+name)
	}
	return strings.Join(params, ", ")
}

// cleanDoc is Python's inspect.cleandoc: tabs expanded, the first line's
// leading whitespace and the other lines' common indentation removed,
// blank lines at either end dropped.
func cleanDoc(doc string) string {
	lines := strings.Split(expandTabs(doc, 8, false), "\n")
	margin := -1
	for _, line := range lines[1:] {
		if content := strings.TrimLeft(line, " \t\n\r\v\f"); content != "" {
			if indent := len(line) - len(content); margin < 0 || indent < margin {
				margin = indent
			}
		}
	}
	lines[0] = strings.TrimLeft(lines[0], " \t\n\r\v\f")
	if margin > 0 {
		for i := 1; i < len(lines); i++ {
			lines[i] = lines[i][min(margin, len(lines[i])):]
		}
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	return strings.Join(lines, "\n")
}
