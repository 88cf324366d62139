package builtins

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

func init() {
	registerGlobal("help", Func("help", help))
}

// help prints usage for kstar's types, functions and modules.
func help(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var obj starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &obj); err != nil {
		return nil, err
	}
	fmt.Fprintln(EnvOf(thread).Stdout, HelpText(obj))
	return starlark.None, nil
}

// HelpText returns what help(obj) prints (help() for a nil obj).
func HelpText(obj starlark.Value) string {
	switch obj := obj.(type) {
	case nil:
		return helpText
	case Documented:
		return obj.Doc()
	case *starlark.Function:
		params := make([]string, obj.NumParams())
		for i := range params {
			params[i], _ = obj.Param(i)
		}
		sig := obj.Name() + "(" + strings.Join(params, ", ") + ")"
		if doc := obj.Doc(); doc != "" {
			return sig + "\n    " + doc
		}
		return sig
	case *starlark.Builtin:
		return builtinHelpText(obj)
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
				if h, ok := builtinHelps[builtinHelpKey(m)]; ok {
					line += ": " + h.doc
				}
			}
			lines = append(lines, line)
		}
		return "module " + obj.Name + ":\n" + strings.Join(lines, "\n")
	}
	text := "object of type " + PyTypeName(obj)
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
