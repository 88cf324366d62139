package py

import "go.starlark.net/starlark"

// globals are the predeclared globals every script sees: Python's builtins
// as kstar provides them, overriding Starlark's where they differ, the
// helpers the front end's rewritten code calls, and Python's exception
// classes (for except clauses and raise). coreGlobals hands out copies.
var globals = makeGlobals()

func makeGlobals() starlark.StringDict {
	g := starlark.StringDict{
		"abs":        Func("abs", pyAbs),
		"all":        Func("all", anyAll(false)),
		"any":        Func("any", anyAll(true)),
		"ascii":      Func("ascii", pyASCII),
		"bin":        Func("bin", pyBase("bin", 2, "0b")),
		"callable":   Func("callable", pyCallable),
		"chr":        Func("chr", pyChr),
		"dir":        Func("dir", pyDir),
		"divmod":     Func("divmod", pyDivmod),
		"enumerate":  Func("enumerate", pyEnumerate),
		"exit":       &Quitter{name: "exit"},
		"filter":     Func("filter", pyFilter),
		"format":     Func("format", pyFormat),
		"getattr":    Func("getattr", pyGetattr),
		"globals":    Func("globals", pyGlobals),
		"hasattr":    Func("hasattr", pyHasattr),
		"hash":       Func("hash", pyHash),
		"hex":        Func("hex", pyBase("hex", 16, "0x")),
		"id":         Func("id", pyID),
		"input":      Func("input", pyInput),
		"isinstance": Func("isinstance", pyIsinstance),
		"issubclass": Func("issubclass", pyIssubclass),
		"iter":       Func("iter", pyIter),
		"locals":     Func("locals", pyLocals),
		"map":        Func("map", pyMap),
		"max":        Func("max", minMax("max")),
		"min":        Func("min", minMax("min")),
		"next":       Func("next", pyNext),
		"oct":        Func("oct", pyBase("oct", 8, "0o")),
		"open":       Func("open", pyOpen),
		"ord":        Func("ord", pyOrd),
		"pow":        Func("pow", pyPow),
		"print":      Func("print", pyPrint),
		"quit":       &Quitter{name: "quit"},
		"repr":       Func("repr", pyRepr),
		"reversed":   Func("reversed", pyReversed),
		"round":      Func("round", pyRound),
		"sorted":     sortedBuiltin,
		"sum":        Func("sum", pySum),
		"vars":       Func("vars", pyVars),
		"zip":        Func("zip", pyZip),

		// Python's classes.
		"bool":      BoolType,
		"bytearray": BytearrayType,
		"bytes":     BytesType,
		"dict":      DictType,
		"float":     FloatType,
		"frozenset": FrozensetType,
		"int":       IntType,
		"list":      ListType,
		"set":       SetType,
		"str":       StrType,
		"tuple":     TupleType,
		"type":      TypeType,

		"Ellipsis": Ellipsis,

		// The front end's helpers (helpers.go).
		FormatFunc:        Func(FormatFunc, formatField),
		FStringFunc:       Func(FStringFunc, fstring),
		GenExpFunc:        Func(GenExpFunc, genexp),
		GenExpSkip:        genexpSkip,
		GeneratorFunc:     Func(GeneratorFunc, generatorHelper),
		YieldFromFunc:     Func(YieldFromFunc, yieldFromHelper),
		GetAttrFunc:       Func(GetAttrFunc, getattrHelper),
		IterableFunc:      Func(IterableFunc, iterable),
		OwnedIterableFunc: Func(OwnedIterableFunc, ownedIterableHelper),
		ModFunc:           Func(ModFunc, mod),
		PowFunc:           Func(PowFunc, pyPow),
		SetEqFunc:         Func(SetEqFunc, setEqual),
		StarArgsFunc:      Func(StarArgsFunc, starArgs),
		KwargsArgFunc:     Func(KwargsArgFunc, kwargsArg),
		BytesFunc:         Func(BytesFunc, makeBytes),
	}
	for _, c := range builtinClasses {
		if c != CancelledError && c.Module == "builtins" {
			g[c.ClassName] = c
		}
	}
	return g
}

// Set here, not in the table above, because each refers back to what
// holds it (an initialisation cycle otherwise): pyType makes types, such
// as TypeType; help documents the globals (Python's builtins only: a
// program that offers more modules makes its own index).
func init() {
	TypeType.call = pyType
	globals["help"] = Func("help", (&HelpIndex{Globals: globals, Tables: []HelpTable{Help}}).Help)
}

// coreGlobals returns a fresh copy of the predeclared globals.
func Globals() starlark.StringDict {
	g := make(starlark.StringDict, len(globals))
	for k, v := range globals {
		g[k] = v
	}
	return g
}
