package py

import (
	"strings"
	"sync"

	"go.starlark.net/starlark"
)

// HelpEntry is what help() says of one built-in function or method: its
// parameters as kafka-python or Python writes them, and one line on what
// it does.
type HelpEntry struct {
	Params, Doc string
}

// HelpTable documents builtins for help(obj). A method is keyed by its
// receiver's Python type and its name ("KafkaProducer.send"), a module
// function by its module and name ("json.dumps"), a Python builtin by its
// bare name ("print"). A *starlark.Builtin carries only its name and
// receiver, so HelpIndex.Key derives the key from those (see there). Each
// layer has its own table; a HelpIndex searches them all.
type HelpTable map[string]HelpEntry

// MethodsClass is a class that offers its instances' methods unbound
// (KafkaProducer.send(p, 'topic', b'v')): help() shows them with self.
type MethodsClass interface {
	starlark.Value
	// MethodsOf is the Python type name of the instances.
	MethodsOf() string
}

// HelpIndex is what help() knows: kstar's own globals (a host's extra
// "print" is not Python's), the importable modules, and the tables.
type HelpIndex struct {
	Globals starlark.StringDict
	Modules []string
	Tables  []HelpTable

	funcKeysOnce sync.Once
	funcKeys     map[string]string
}

// Entry returns the entry of key in the index's tables.
func (h *HelpIndex) Entry(key string) (HelpEntry, bool) {
	for _, t := range h.Tables {
		if e, ok := t[key]; ok {
			return e, true
		}
	}
	return HelpEntry{}, false
}

// Keys lists the keys of every table.
func (h *HelpIndex) Keys() []string {
	var keys []string
	for _, t := range h.Tables {
		for k := range t {
			keys = append(keys, k)
		}
	}
	return keys
}

// pyHelp documents Python's builtin functions and the namedtuple methods
// for help(obj).
var Help = HelpTable{
	// Python's builtin functions, kstar's and Starlark's.
	"abs":          {"x", "Return the absolute value of the argument."},
	"all":          {"iterable", "Return True if bool(x) is True for all values x in the iterable; stops at the first false one."},
	"any":          {"iterable", "Return True if bool(x) is True for any x in the iterable; stops at the first true one."},
	"ascii":        {"obj", "Return a repr() of the object with non-ASCII characters escaped."},
	"bin":          {"number", "Return the binary representation of an integer, as '0b101'."},
	"callable":     {"obj", "Return whether the object is callable."},
	"chr":          {"i", "Return a one-character string of the Unicode code point i."},
	"classmethod":  {"function", "Make a method receive its class as first argument (a decorator)."},
	"delattr":      {"obj, name", "Delete the named attribute of the object, as del obj.name does."},
	"dir":          {"object", "Return the sorted names of the object's attributes."},
	"divmod":       {"x, y", "Return the tuple (x//y, x%y)."},
	"enumerate":    {"iterable, start=0", "Return an iterator of (count, value) pairs, counting from start, taking values as it is advanced."},
	"fail":         {"*args, sep=' '", "Stop the script with an error made of the arguments (Starlark's)."},
	"filter":       {"function, iterable", "Return an iterator over the items of iterable for which function(item) is true (truthy items for None)."},
	"format":       {"value, format_spec=''", "Return value formatted by format_spec, as f'{value:spec}' does."},
	"getattr":      {"object, name[, default]", "Return the named attribute of object; default, if given, when it has none."},
	"hasattr":      {"obj, name", "Return whether the object has an attribute with the given name."},
	"hash":         {"obj", "Return the hash value of the object."},
	"help":         {"[object]", "Print usage for a kstar type, function or module; help() gives an overview."},
	"hex":          {"number", "Return the hexadecimal representation of an integer, as '0xff'."},
	"isinstance":   {"obj, class_or_tuple", "Return whether obj is an instance of the class (or of one of the tuple's classes)."},
	"iter":         {"iterable", "Return an iterator over the iterable."},
	"len":          {"obj", "Return the number of items in a container."},
	"map":          {"function, *iterables", "Return an iterator of function applied to the items of the iterables in parallel."},
	"max":          {"iterable, *[, default=obj, key=func]", "Return the largest item of the iterable, or the largest of two or more arguments."},
	"min":          {"iterable, *[, default=obj, key=func]", "Return the smallest item of the iterable, or the smallest of two or more arguments."},
	"next":         {"iterator[, default]", "Return the next item of the iterator; default when it is exhausted, else StopIteration."},
	"oct":          {"number", "Return the octal representation of an integer, as '0o17'."},
	"ord":          {"c", "Return the Unicode code point of a one-character string."},
	"pow":          {"base, exp, mod=None", "Return base**exp, or base**exp % mod with three arguments."},
	"print":        {`*args, sep=' ', end='\n', file=None, flush=False`, "Print the values to sys.stdout, or to file, separated by sep and followed by end."},
	"property":     {"fget=None, fset=None, fdel=None, doc=None", "Make a computed attribute; .setter and .deleter add the other functions (a decorator)."},
	"range":        {"[start, ]stop[, step]", "Return the sequence of integers from start (0) up to stop, by step (1)."},
	"repr":         {"obj", "Return the canonical string representation of the object."},
	"reversed":     {"sequence", "Return a list of the sequence's items in reverse order."},
	"round":        {"number, ndigits=None", "Round a number to ndigits decimal digits; an int when ndigits is None."},
	"setattr":      {"obj, name, value", "Set the named attribute of the object, as obj.name = value does."},
	"sorted":       {"iterable, /, *, key=None, reverse=False", "Return a new list of the iterable's items in ascending order."},
	"staticmethod": {"function", "Make a method receive no implicit first argument (a decorator)."},
	"sum":          {"iterable, /, start=0", "Return start (0) plus the sum of the iterable's numbers."},
	"super":        {"[type, obj]", "Return an object whose attributes are those of the classes after type in obj's method resolution order."},

	// Host I/O and introspection (hostio.go, introspect.go).
	"open":       {"file, mode='r', buffering=-1, encoding=None, errors=None, newline=None", "Open a file through the host's grant and return a file object (text or binary by mode)."},
	"input":      {"prompt=''", "Write prompt to stdout, read a line from stdin and return it without its newline; EOFError at the end."},
	"id":         {"obj", "Return the identity of an object: an int unique among live objects."},
	"issubclass": {"cls, class_or_tuple", "Return whether cls is derived from class_or_tuple (a class or a tuple of classes)."},
	"vars":       {"[object]", "Return the attributes of object as a dict (locals() without an argument)."},
	"globals":    {"", "Return a dict of the module's global variables (a copy)."},
	"locals":     {"", "Return a dict of the current scope's local variables (a copy)."},
	"zip":        {"*iterables, strict=False", "Return an iterator of tuples of the iterables' i-th items, as long as the shortest (strict: all must be as long)."},

	// The methods of every namedtuple (ConsumerRecord, TopicPartition, ...)
	// and of their classes.
	"namedtuple._asdict":  {"", "Return a dict of the field names and values."},
	"namedtuple._replace": {"**kwargs", "Return a new instance with the named fields replaced."},
	"namedtuple._make":    {"iterable", "Make a new instance from a sequence or iterable of its field values."},
}

// Key returns b's key in the index, or "" when b is none of kstar's. A
// method is keyed by its receiver's type. A function has no receiver: it
// is one of the predeclared globals or Starlark's universe when it is that
// very value (a host's own "print" is not); otherwise it is taken for the
// module function of the same name, when exactly one documented module
// function has that name (the builtin itself does not say which module
// made it; modules are built afresh for each execution).
func (h *HelpIndex) Key(b *starlark.Builtin) string {
	name := b.Name()
	if recv := b.Receiver(); recv != nil {
		switch recv := recv.(type) {
		case MethodsClass: // an unbound method: KafkaProducer.send
			return recv.MethodsOf() + "." + name
		case NamedTupleValue, *NamedTupleType: // documented once for all
			return "namedtuple." + name
		}
		return TypeName(recv) + "." + name
	}
	if v, ok := h.Globals[name]; ok && v == starlark.Value(b) {
		return name
	}
	if v, ok := starlark.Universe[name]; ok && v == starlark.Value(b) {
		return name
	}
	return h.moduleFuncKeys()[name]
}

// moduleFuncKeys maps a function name to its key, for names that exactly
// one documented module function has ("dumps": "json.dumps"). It is built
// on first use.
func (h *HelpIndex) moduleFuncKeys() map[string]string {
	h.funcKeysOnce.Do(func() {
		modules := map[string]bool{}
		for _, m := range h.Modules {
			modules[m] = true
		}
		keys := map[string][]string{}
		for _, key := range h.Keys() {
			i := strings.LastIndexByte(key, '.')
			if i < 0 {
				continue
			}
			if modules[key[:i]] {
				keys[key[i+1:]] = append(keys[key[i+1:]], key)
			}
		}
		h.funcKeys = map[string]string{}
		for name, ks := range keys {
			if len(ks) == 1 {
				h.funcKeys[name] = ks[0]
			}
		}
	})
	return h.funcKeys
}

// builtinText is what help(b) prints: the signature, "method of T
// instance" for a method as Python says it, and the one-line doc indented
// below. A builtin kstar does not document shows NAME(...).
func (h *HelpIndex) builtinText(b *starlark.Builtin) string {
	suffix := ""
	if recv := b.Receiver(); recv != nil {
		suffix = " method of " + TypeName(recv) + " instance"
	}
	e, ok := h.Entry(h.Key(b))
	if _, unbound := b.Receiver().(MethodsClass); unbound && ok {
		// Python shows a class's function with self first.
		return b.Name() + "(" + strings.TrimSuffix("self, "+e.Params, ", ") + ")\n    " + e.Doc
	}
	if !ok {
		kind := "built-in function"
		if suffix != "" {
			kind = "built-in method"
		}
		return b.Name() + "(...)" + suffix + "\n    " + kind
	}
	return b.Name() + "(" + e.Params + ")" + suffix + "\n    " + e.Doc
}
