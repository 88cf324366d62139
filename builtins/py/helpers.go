package py

// RewrittenMethods are the methods of Python's str, list, dict and int
// that Starlark's own types lack (bytes, kstar's Bytes, has its methods
// as attributes). The front end rewrites x.NAME (for these names only)
// to __getattr__(x, "NAME"), whose implementation adds them to those
// values and falls back to ordinary attribute lookup for every other
// value.
var RewrittenMethods = map[string]bool{
	"encode":     true, // str
	"format":     true, // str: Python's format-spec mini-language
	"ljust":      true,
	"rjust":      true,
	"center":     true,
	"zfill":      true,
	"casefold":   true,
	"swapcase":   true,
	"expandtabs": true,
	"isascii":    true,
	"isdecimal":  true,
	"isnumeric":  true,
	"sort":       true, // list
	"reverse":    true,
	"copy":       true, // list, dict
	"count":      true, // list, tuple (str has its own)
	"index":      true, // tuple, list (str has its own)
	"pop":        true, // list, dict: CPython's errors
	"remove":     true, // list
	"keys":       true, // dict: views, not Starlark's lists
	"values":     true,
	"items":      true,
	"__class__":  true, // every value (GetAttr)
	"__name__":   true, // functions and builtins too
}

// Names of the predeclared helpers the front end's rewrites call.
const (
	// ImportFunc: NAME = __import__("NAME").
	ImportFunc = "__import__"
	// ImportFromFunc: a, b = __import_from__("MODULE", "a", "b"); one name
	// returns its value, several a tuple.
	ImportFromFunc = "__import_from__"
	// FStringFunc: f"a{x}b" = __fstring__("a", __format__(x, "", ""), "b"),
	// concatenating its str arguments.
	FStringFunc = "__fstring__"
	// FormatFunc: __format__(value, conversion, spec) formats one
	// replacement field; conversion is "", "r", "s" or "a".
	FormatFunc = "__format__"
	// ModFunc: x % y = __mod__(x, y), Python's %-formatting for str and
	// bytes, Starlark's % for everything else.
	ModFunc = "__mod__"
	// GetAttrFunc: x.NAME = __getattr__(x, "NAME") for NAME in RewrittenMethods.
	GetAttrFunc = "__getattr__"
	// GenExpFunc: (x for x in y) = __genexp__("1", y, lambda x: x), a
	// lazy generator object (genexp.go).
	GenExpFunc = "__genexp__"
	// GenExpSkip: the element function of a generator expression returns
	// __genexp_skip__ for an element its last if clauses reject:
	// (f(x) for x in y if c(x)) = __genexp__("1", y, lambda x: f(x) if c(x) else __genexp_skip__).
	GenExpSkip = "__genexp_skip__"
	// IterableFunc: for x in y = for x in __iterable__(y), so that str and
	// bytes iterate as in Python.
	IterableFunc = "__iterable__"
	// PowFunc: x ** y = __pow__(x, y), Python's pow().
	PowFunc = "__pow__"
	// SetEqFunc: x == {a, b} is __set_eq__(x, {a, b}) (x != {a, b} is
	// not __set_eq__(...)), so that a set equals a dict's keys or items
	// view or a frozenset, as in Python (Starlark's == says values of
	// different types differ).
	SetEqFunc = "__set_eq__"
	// StarArgsFunc: f(*x) is f(*__star_args__(x, f)) (f only when it is a
	// name), so that a str spreads its characters and a value that does
	// not spread is CPython's TypeError.
	StarArgsFunc = "__star_args__"
	// KwargsArgFunc: f(**x) is f(**__kwargs_arg__(x, f)), for CPython's
	// TypeError when x is not a mapping.
	KwargsArgFunc = "__kwargs_arg__"
	// BytesFunc: a literal b'..' is a module constant __bN = __bytes_lit__("..")
	// (a py.Bytes), which the code reads in place of the literal.
	BytesFunc = "__bytes_lit__"
)
