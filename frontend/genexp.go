package frontend

import (
	"reflect"
	"sort"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Generator expressions, sum(len(v) for v in batches) or
// (m.value for m in records), which Starlark's grammar lacks. The scanner
// turns the parentheses' content into a list comprehension by inserting
// "[" and "]"; the syntax tree then calls __genexp__ on it, which returns
// an iterator over the list. So a generator expression is evaluated
// eagerly, when it is created, but otherwise behaves like Python's: next()
// takes from it, and it is exhausted after one pass.
//
// The brackets change a line's length, as do the keywords of try and
// raise (try.go): every such insertion is recorded, and the positions in
// the syntax tree are mapped back to the original text before anything
// else looks at them.

// insertion is text the scanner inserted before the original column col
// of line.
type insertion struct {
	line, col int32
	n         int32 // characters inserted
}

// genexpEdits returns the insertions that turn every parenthesised group
// of toks holding a generator expression into a list comprehension: a
// group with a "for" directly inside it and no comma there (Python
// requires a generator expression that is not a call's sole argument to
// be parenthesised). One pass, with a stack of the open brackets.
func (fe *frontend) genexpEdits(toks []token) []edit {
	type group struct {
		open          token
		sawFor, comma bool
		empty         bool
	}
	var stack []group
	var edits []edit
	for _, t := range toks {
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			top.empty = top.empty && t.kind == tOp && (t.text == ")" || t.text == "]" || t.text == "}")
			switch {
			case t.kind == tName && t.text == "for":
				top.sawFor = true
			case t.kind == tOp && t.text == ",":
				top.comma = true
			}
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			stack = append(stack, group{open: t, empty: true})
		case ")", "]", "}":
			if len(stack) == 0 {
				continue
			}
			g := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if g.open.text != "(" || t.text != ")" || !g.sawFor || g.comma || g.empty {
				continue
			}
			open := g.open
			fe.genexps[posKey{open.line, open.col + 1}] = true
			fe.inserts = append(fe.inserts, insertion{open.line, open.col + 1, 1}, insertion{t.line, t.col, 1})
			edits = append(edits, edit{open.end, open.end, "["}, edit{t.start, t.start, "]"})
		}
	}
	return edits
}

// originalPos maps a position in the rewritten text back to the original
// text; a position inside inserted text maps to where it was inserted.
func originalPos(inserts []insertion, line, col int32) int32 {
	shift := int32(0)
	for _, ins := range inserts { // sorted by line, then col
		if ins.line != line {
			continue
		}
		at := ins.col + shift // where the insertion starts in the rewritten line
		switch {
		case col >= at+ins.n:
			shift += ins.n
		case col >= at:
			return ins.col
		default:
			return col - shift
		}
	}
	return col - shift
}

func sortInsertions(inserts []insertion) {
	sort.Slice(inserts, func(i, j int) bool {
		a, b := inserts[i], inserts[j]
		return a.line < b.line || a.line == b.line && a.col < b.col
	})
}

var positionType = reflect.TypeFor[syntax.Position]()

// restorePositions maps every position in the syntax tree under n back to
// the original text.
func restorePositions(n syntax.Node, inserts []insertion) {
	if len(inserts) == 0 {
		return
	}
	sortInsertions(inserts)
	syntax.Walk(n, func(n syntax.Node) bool {
		v := reflect.ValueOf(n)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return true
		}
		v = v.Elem()
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Type == positionType {
				p := v.Field(i).Addr().Interface().(*syntax.Position)
				if p.IsValid() {
					p.Col = originalPos(inserts, p.Line, p.Col)
				}
			}
		}
		return true
	})
}

// restoreErrorPosition maps a parse error's position back to the
// original text.
func restoreErrorPosition(err error, inserts []insertion) error {
	if se, ok := err.(syntax.Error); ok && len(inserts) > 0 {
		sortInsertions(inserts)
		se.Pos.Col = originalPos(inserts, se.Pos.Line, se.Pos.Col)
		return se
	}
	return err
}

// genexpCall wraps the comprehension a generator expression became.
func (fe *frontend) genexpCall(e *syntax.Comprehension) syntax.Expr {
	if !fe.genexps[keyOf(e.Lbrack)] {
		return e
	}
	return fe.call(py.GenExpFunc, e.Lbrack, e.Rbrack, e)
}
