// Package frontend turns a kstar script, Python source, into a Starlark
// syntax tree that the runtime compiles and runs: Parse.
package frontend

import (
	"go.starlark.net/syntax"
)

// Parse parses src as Python 3.11 (package pysyntax) and lowers the tree
// to a Starlark syntax tree for the runtime to compile, with every
// position taken from the Python source. Each construct's lowering is in
// a file of its own (lower_*.go):
//
//   - import M, import M.sub, import M as N, from M import a, b as c
//     become calls of the runtime's import helpers; from __future__ is
//     ignored;
//   - f-strings become __fstring__ and __format__ calls;
//   - x % y and x ** y become __mod__ and __pow__ calls; x is y compares
//     with ==;
//   - generator expressions are evaluated eagerly (__genexp__);
//   - for loops iterate over str and bytes too (__iterable__), and close
//     the generator their header's call made when they end
//     (__owned_iterable__);
//   - each bytes literal is a module constant __bytes_lit__ makes once, a
//     py.Bytes (lower_bytes.go);
//   - keyword arguments may follow *args;
//   - str, list and dict methods Starlark lacks (s.encode(),
//     "{}".format(x), l.sort(), ...; see py.RewrittenMethods)
//     become __getattr__ calls;
//   - __name__ is "__main__";
//   - each block of a try / except / else / finally becomes a nested
//     function that the runtime's __try__ runner calls (the names they
//     bind live in cells); raise, raise X from Y call __raise__;
//   - assert, chained comparisons, set displays and comprehensions, * and
//     ** unpacking in displays and calls, star targets, del, x is y by
//     identity, :=, a = b = c, global and nonlocal (cells), each in its
//     lower_*.go file;
//   - class statements become a body function and a __build_class__
//     call; decorators become calls (lower_class.go).
//
// Constructs kstar cannot run (match, async, ...; docs/compatibility.md
// lists them) are syntax errors that say so. Errors are syntax.Error values, or an
// *Error holding one when CPython would raise an IndentationError,
// TabError or RecursionError (see ErrorKind).
func Parse(filename string, src []byte) (*syntax.File, error) {
	return parsePython(filename, src)
}

// FileOptions are the Starlark dialect options kstar scripts get: top-level
// for/if/while, while loops, sets, reassignable globals and recursion.
// Parse uses them; so should the runtime when it parses Starlark text.
var FileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
	Recursion:       true,
}
