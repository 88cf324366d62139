package frontend

import (
	"slices"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// global and nonlocal. Starlark forbids a function to rebind a variable
// of the module or of an enclosing function, so such a variable lives in
// a cell, a predeclared helper's mutable box: every reference to it,
// wherever Python's scoping rules make it that variable, reads or
// assigns the cell's v field:
//
//	count = 0                  __global_count = __cell__("count")
//	def inc():                 __global_count.v = 0
//	    global count     →     def inc():
//	    count += 1                 __global_count.v += 1
//
// A variable of a function that a nested function declares nonlocal gets
// its cell (__nonlocal_NAME) at the start of that function. So does a
// variable that del unbinds (lower_del.go) or that := assigns other than
// at the start of a condition (lower_walrus.go). Other variables keep
// plain names, so code without these is lowered as before.

// CellFunc is the predeclared function that makes a cell: __cell__(name)
// returns a box whose field v holds the variable's value (reading it
// before it is set is an UnboundLocalError naming the variable);
// __cell__(name, 1) makes the cell of a global, __cell__(name, 2) that
// of a name of a class body (a NameError when it is not bound).
const CellFunc = "__cell__"

// The predeclared functions that change a cell besides assigning its v
// field: __setcell__(cell, value) assigns and returns value (NAME :=
// value); __delcell__(cell) unbinds the variable (del NAME), a NameError
// or UnboundLocalError when it is not bound; __unbind__(cell) unbinds it
// if it is bound (the end of "except E as NAME:"), and
// __unbind__(cell, x) does so and returns x (a jump out of the clause).
const (
	SetCellFunc = "__setcell__"
	DelCellFunc = "__delcell__"
	UnbindFunc  = "__unbind__"
)

// scope is what the lowering knows of a function (or the module) about
// names that live in cells.
type scope struct {
	parent    *scope
	module    bool
	locals    map[string]bool          // names a function binds (not declared global or nonlocal)
	params    map[string]*pysyntax.Arg // a function's parameters
	global    map[string]bool          // declared global here
	nonlocal  map[string]bool          // declared nonlocal here
	cells     map[string]bool          // names of this scope that live in cells
	cellNames []string                 // cells, sorted, to create at the scope's start
}

// cellPrefix names a scope's cell variables.
func (s *scope) cellPrefix() string {
	if s.module {
		return "__global_"
	}
	return "__nonlocal_"
}

// analyzeScopes finds the names of mod that live in cells; l.cellNames
// is empty (and lowering unchanged) when mod has no global, nonlocal,
// try, with, del or :=. The names a try statement binds live in cells
// (lower_try.go), and those that del or := bind (cellBound).
func (l *lowerer) analyzeScopes(mod *pysyntax.Module) {
	hasDecl := false
	inspect(mod, func(n pysyntax.Node) bool {
		switch n.(type) {
		case *pysyntax.Global, *pysyntax.Nonlocal, *pysyntax.Try, *pysyntax.With, *pysyntax.Delete, *pysyntax.NamedExpr:
			hasDecl = true
		}
		return !hasDecl
	})
	if !hasDecl {
		return
	}
	l.scopes = map[pysyntax.Node]*scope{}
	l.cellNames = map[string]bool{}
	module := &scope{module: true, cells: map[string]bool{}}
	l.scopes[mod] = module
	var visit func(parent *scope, fn pysyntax.Node, args *pysyntax.Arguments, body []pysyntax.Stmt)
	visit = func(parent *scope, fn pysyntax.Node, args *pysyntax.Arguments, body []pysyntax.Stmt) {
		s := &scope{parent: parent, locals: map[string]bool{}, params: map[string]*pysyntax.Arg{}, global: map[string]bool{}, nonlocal: map[string]bool{}, cells: map[string]bool{}}
		l.scopes[fn] = s
		for _, list := range [][]*pysyntax.Arg{args.PosOnlyArgs, args.Args, args.KwOnlyArgs, {args.Vararg, args.Kwarg}} {
			for _, a := range list {
				if a != nil {
					s.locals[a.Arg] = true
					s.params[a.Arg] = a
				}
			}
		}
		var nested []*pysyntax.FunctionDef
		declared := map[string]pysyntax.Stmt{} // the global or nonlocal statement of each name, for errors
		walkBody(body, func(n pysyntax.Node) {
			switch n := n.(type) {
			case *pysyntax.Global:
				for _, name := range n.Names {
					s.global[name] = true
					declared[name] = n
				}
			case *pysyntax.Nonlocal:
				for _, name := range n.Names {
					s.nonlocal[name] = true
					declared[name] = n
				}
			case *pysyntax.FunctionDef:
				s.locals[n.Name] = true
				nested = append(nested, n)
			case *pysyntax.ClassDef:
				s.locals[n.Name] = true
				nested = append(nested, classFunctions(n)...)
			default:
				for _, name := range l.boundNames(n) {
					s.locals[name] = true
				}
			}
		})
		for name := range s.global {
			if s.params[name] != nil {
				l.fail(l.start(declared[name]), "name '%s' is parameter and global", name)
			}
			delete(s.locals, name)
			module.cells[name] = true
		}
		for name := range s.nonlocal {
			if s.params[name] != nil {
				l.fail(l.start(declared[name]), "name '%s' is parameter and nonlocal", name)
			}
			delete(s.locals, name)
			found := false
			for owner := parent; owner != nil && !owner.module && !found; owner = owner.parent {
				if owner.locals[name] {
					owner.cells[name] = true
					found = true
				}
			}
			if !found {
				l.fail(l.start(declared[name]), "no binding for nonlocal '%s' found", name)
			}
		}
		// After the nonlocal names have left s.locals: a try that binds
		// one assigns the enclosing function's cell, not one of its own.
		inTries := map[string]bool{}
		l.boundInTries(body, inTries)
		for name := range inTries {
			if s.locals[name] {
				s.cells[name] = true
			}
		}
		walkBody(body, func(n pysyntax.Node) {
			for _, name := range l.cellBound(n) {
				if s.locals[name] {
					s.cells[name] = true
				}
			}
		})
		for _, f := range nested {
			visit(s, f, f.Args, f.Body)
		}
	}
	walkBody(mod.Body, func(n pysyntax.Node) {
		if n, ok := n.(*pysyntax.Nonlocal); ok {
			l.fail(l.start(n), "nonlocal declaration not allowed at module level")
		}
	})
	l.boundInTries(mod.Body, module.cells)
	walkBody(mod.Body, func(n pysyntax.Node) {
		for _, name := range l.cellBound(n) {
			module.cells[name] = true
		}
		switch n := n.(type) {
		case *pysyntax.FunctionDef:
			visit(module, n, n.Args, n.Body)
		case *pysyntax.ClassDef:
			for _, f := range classFunctions(n) {
				visit(module, f, f.Args, f.Body)
			}
		}
	})
	for _, s := range l.scopes {
		for name := range s.cells {
			s.cellNames = append(s.cellNames, name)
			l.cellNames[name] = true
		}
		slices.Sort(s.cellNames)
	}
}

// walkBody calls f for each statement of body and of the blocks inside it,
// and for each node that binds names, without entering nested functions
// (f sees the FunctionDef itself), classes, lambdas or comprehensions.
func walkBody(body []pysyntax.Stmt, f func(pysyntax.Node)) {
	for _, s := range body {
		f(s)
		switch s := s.(type) {
		case *pysyntax.If:
			walkBody(s.Body, f)
			walkBody(s.Orelse, f)
		case *pysyntax.For:
			walkBody(s.Body, f)
			walkBody(s.Orelse, f)
		case *pysyntax.While:
			walkBody(s.Body, f)
			walkBody(s.Orelse, f)
		case *pysyntax.With:
			walkBody(s.Body, f)
		case *pysyntax.Try:
			walkBody(s.Body, f)
			for _, h := range s.Handlers {
				f(h)
				walkBody(h.Body, f)
			}
			walkBody(s.Orelse, f)
			walkBody(s.Finalbody, f)
		}
	}
}

// classFunctions are the functions a class body defines, with those of
// the classes nested in it: their enclosing scope is the class's, as a
// class body is not a scope its functions see.
func classFunctions(c *pysyntax.ClassDef) []*pysyntax.FunctionDef {
	var out []*pysyntax.FunctionDef
	walkBody(c.Body, func(n pysyntax.Node) {
		switch n := n.(type) {
		case *pysyntax.FunctionDef:
			out = append(out, n)
		case *pysyntax.ClassDef:
			out = append(out, classFunctions(n)...)
		}
	})
	return out
}

// targetNames appends to names the names target e binds: a name, the
// names of a tuple or list target's items, a starred target's name.
// (Attributes and items bind no name.)
func targetNames(e pysyntax.Expr, names []string) []string {
	switch e := e.(type) {
	case *pysyntax.Name:
		names = append(names, e.ID)
	case *pysyntax.Tuple:
		for _, x := range e.Elts {
			names = targetNames(x, names)
		}
	case *pysyntax.List:
		for _, x := range e.Elts {
			names = targetNames(x, names)
		}
	case *pysyntax.Starred:
		names = targetNames(e.Value, names)
	}
	return names
}

// boundNames are the names statement (or except handler) n binds.
func (l *lowerer) boundNames(n pysyntax.Node) []string {
	var names []string
	target := func(e pysyntax.Expr) { names = targetNames(e, names) }
	switch n := n.(type) {
	case *pysyntax.Assign:
		for _, t := range n.Targets {
			target(t)
		}
	case *pysyntax.AugAssign:
		target(n.Target)
	case *pysyntax.AnnAssign:
		target(n.Target)
	case *pysyntax.For:
		target(n.Target)
	case *pysyntax.With:
		for _, item := range n.Items {
			target(item.OptionalVars)
		}
	case *pysyntax.ClassDef:
		names = append(names, n.Name)
	case *pysyntax.ExceptHandler:
		if n.Name != "" {
			names = append(names, n.Name)
		}
	case *pysyntax.Import:
		for _, a := range n.Names {
			if a.Asname != "" {
				names = append(names, a.Asname)
			} else {
				top, _, _ := cutDot(a.Name)
				names = append(names, top)
			}
		}
	case *pysyntax.ImportFrom:
		for _, a := range n.Names {
			if a.Asname != "" {
				names = append(names, a.Asname)
			} else {
				names = append(names, a.Name)
			}
		}
	case *pysyntax.Delete:
		for _, t := range n.Targets {
			target(t)
		}
	}
	if l.walrus {
		names = append(names, walrusTargets(n, true)...)
	}
	return names
}

// cellBound are the names statement n binds that must live in cells:
// those it deletes, and those its assignment expressions bind, unless
// the only one starts an if or while condition (hoisted, lower_walrus.go).
func (l *lowerer) cellBound(n pysyntax.Node) []string {
	var names []string
	if d, ok := n.(*pysyntax.Delete); ok {
		for _, t := range d.Targets {
			names = targetNames(t, names)
		}
	}
	if l.walrus {
		names = append(names, walrusTargets(n, false)...)
	}
	return names
}

// cellOf returns the cell variable that name refers to in the current
// scope, or "" for a plain name (also a comprehension's variable, which
// is the comprehension's own).
func (l *lowerer) cellOf(name string) string {
	if l.comprehensionVars[name] > 0 {
		return ""
	}
	if c := l.class; c != nil && c.bound[name] {
		if c.cells[name] {
			return "__cls_" + name
		}
		return ""
	}
	if !l.cellNames[name] {
		return ""
	}
	for s := l.scope; s != nil; s = s.parent {
		switch {
		case s.global[name]:
			return "__global_" + name
		case s.nonlocal[name]:
			continue
		case s.module:
			if s.cells[name] {
				return "__global_" + name
			}
			return ""
		case s.locals[name]:
			if s.cells[name] {
				return s.cellPrefix() + name
			}
			return ""
		}
	}
	return ""
}

// name lowers a reference to a name: a plain identifier, or the v field
// of its cell.
func (l *lowerer) name(id string, pos syntax.Position) syntax.Expr {
	if x, ok := l.className(id, pos); ok {
		return x
	}
	if cell := l.cellOf(id); cell != "" {
		return &syntax.DotExpr{X: l.ident(cell, pos), Dot: pos, Name: l.ident("v", pos)}
	}
	return l.ident(id, pos)
}

// makeCells are the statements that create the cells of scope s, at its
// start; a parameter's cell starts with the argument.
func (l *lowerer) makeCells(s *scope, pos syntax.Position) []syntax.Stmt {
	var out []syntax.Stmt
	for _, name := range s.cellNames {
		cell := s.cellPrefix() + name
		args := []syntax.Expr{strLiteral(name, pos)}
		if s.module {
			args = append(args, intLiteral(1, pos))
		}
		out = append(out, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.ident(cell, pos), RHS: l.call(CellFunc, pos, pos, args...)})
		if p := s.params[name]; p != nil {
			out = append(out, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ,
				LHS: &syntax.DotExpr{X: l.ident(cell, pos), Dot: pos, Name: l.ident("v", pos)}, RHS: l.ident(name, l.start(p))})
		}
	}
	return out
}
