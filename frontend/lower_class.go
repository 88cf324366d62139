package frontend

import (
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// class statements and decorators.
//
// A class body runs once, in a function of its own that returns the names
// it binds; the runtime's __build_class__ calls it and makes the class:
//
//	class Foo(Base):           def Foo(__classcell):
//	    n = 0                      __cls_n = 0
//	    def get(self):             def __def_get():
//	        return super().get()       def get(self):
//	                                       return __super__(__classcell, self).get()
//	                                   return get
//	                               __cls_get = __def_get()
//	                               return {"n": __cls_n, "get": __cls_get}
//	                           Foo = __build_class__(Foo, "Foo", "Foo", (Base,), {})
//
// As in Python, the names a class body binds are not visible to the
// functions defined in it: they are renamed (__cls_NAME) inside the body,
// and each method is made by a wrapper function so that it does not see
// the other methods either. The body function carries the class's name,
// so a traceback through it says "in Foo" as CPython's does. The class
// cell (__classcell) is set to the class once it exists: zero-argument
// super() and __class__ in a method read it.
//
// A decorated function or class is the undecorated one passed through its
// decorators, innermost first: @d def f(): ... is def f(): ...; f = d(f).

// The predeclared helpers lowered class statements call.
const (
	// BuildClassFunc is __build_class__(body, name, qualname, bases,
	// keywords): it calls body with the class cell and makes the class.
	BuildClassFunc = py.BuildClassFunc
	// SuperFunc is __super__(cell, self): zero-argument super().
	SuperFunc = py.SuperFunc
	// DelAttrFunc is __delattr__(x, name): del x.name.
	DelAttrFunc = py.DelAttrFunc
)

// classCellName is the body function's parameter holding the class cell.
const classCellName = "__classcell"

// classBody is what the lowering knows of the class body it is in.
type classBody struct {
	qualname string
	bound    map[string]bool // names the body binds, renamed __cls_NAME
	cells    map[string]bool // those of them that live in cells: deleted, bound in a try or by :=, or looked up
	lookups  map[string]bool // those of them the body may read while they are unbound (classLookup)
	order    []string        // the same, in the order they are first bound
	aliases  []syntax.Stmt   // __alias_NAME = lambda: NAME, for methods that refer to their own name
}

// methodCtx is what the lowering knows of the function it is in when that
// function is defined (directly or not) in a class body.
type methodCtx struct {
	self     string          // its first parameter, for zero-argument super()
	ownName  string          // the class-body method it is in
	locals   map[string]bool // names that method binds itself
	aliasFor *classBody      // the class body that defines it
	aliased  bool            // whether ownName was referred to
}

// classDef lowers a class statement outside a class body: the body
// function, then the name bound to the (decorated) class.
func (l *lowerer) classDef(s *pysyntax.ClassDef) []syntax.Stmt {
	body, build := l.classParts(s, s.Name)
	target := l.name(s.Name, l.classNamePos(s))
	return []syntax.Stmt{body, &syntax.AssignStmt{OpPos: l.start(s), Op: syntax.EQ, LHS: target, RHS: build}}
}

// classParts returns the body function of class s, named fnName, and the
// expression that builds the decorated class from it.
func (l *lowerer) classParts(s *pysyntax.ClassDef, fnName string) (*syntax.DefStmt, syntax.Expr) {
	pos := l.start(s)
	namePos := l.classNamePos(s)
	qualname := s.Name
	if l.class != nil && l.method == nil {
		qualname = l.class.qualname + "." + s.Name
	} else if l.funcQual != "" {
		qualname = l.funcQual + ".<locals>." + s.Name
	}
	decorators := l.exprs(s.DecoratorList)
	bases := &syntax.TupleExpr{Lparen: pos, List: l.exprs(s.Bases), Rparen: pos}
	kw := &syntax.DictExpr{Lbrace: pos, Rbrace: pos}
	for _, k := range s.Keywords {
		if k.Arg == "" {
			l.fail(l.start(k), "kstar does not support ** in a class statement's bases")
		}
		kw.List = append(kw.List, &syntax.DictEntry{Key: strLiteral(k.Arg, l.start(k)), Colon: l.start(k), Value: l.expr(k.Value)})
	}

	// The names the body deletes, or binds in a try (whose blocks are
	// functions) or by :=, live in cells of the body function; the
	// class gets those bound when the body ends (py.Cell). When the body
	// deletes a name, all its names do: a name deleted and bound again
	// moves to the end of the class's namespace, as in CPython, and the
	// class orders its names by when their cells were bound.
	cb := &classBody{qualname: qualname, bound: map[string]bool{}, cells: map[string]bool{}}
	annotates := classAnnotates(s.Body)
	if annotates { // the first name the body binds
		cb.bound[annotationsName] = true
		cb.order = append(cb.order, annotationsName)
	}
	l.boundInTries(s.Body, cb.cells)
	deletes := false
	walkBody(s.Body, func(n pysyntax.Node) {
		names := l.cellBound(n)
		if _, ok := n.(*pysyntax.Delete); ok && len(names) > 0 {
			deletes = true
		}
		for _, name := range names {
			cb.cells[name] = true
		}
	})
	var imported []string
	walkBody(s.Body, func(n pysyntax.Node) {
		var names []string
		switch n := n.(type) {
		case *pysyntax.FunctionDef:
			names = []string{n.Name}
		case *pysyntax.Import, *pysyntax.ImportFrom:
			for _, name := range l.boundNames(n) {
				if cb.cells[name] || deletes {
					names = append(names, name)
				} else {
					imported = append(imported, name) // bound as a plain name
				}
			}
		case *pysyntax.AnnAssign:
			if n.Value == nil {
				return // x: int makes no class attribute
			}
			names = l.boundNames(n)
		default:
			names = l.boundNames(n)
		}
		for _, name := range names {
			if !cb.bound[name] && !l.matchTemps[name] { // a lowered match's temporaries are no class attributes
				cb.bound[name] = true
				cb.order = append(cb.order, name)
			}
		}
	})
	cb.lookups = l.classLookups(s.Body, cb)
	for name := range cb.lookups {
		cb.cells[name] = true
	}
	if deletes {
		for _, name := range cb.order {
			cb.cells[name] = true
		}
	}
	var cells []string
	for _, name := range cb.order {
		if cb.cells[name] {
			cells = append(cells, name)
		}
	}

	savedClass, savedMethod := l.class, l.method
	l.class, l.method = cb, nil
	var stmts []syntax.Stmt
	for _, name := range cells {
		stmts = append(stmts, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.ident("__cls_"+name, pos),
			RHS: l.call(CellFunc, pos, pos, strLiteral(name, pos), intLiteral(2, pos))})
	}
	stmts = append(stmts, l.hoist(func() []syntax.Stmt { // the body function holds the block functions of its tries
		var body []syntax.Stmt
		if annotates {
			body = append(body, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.name(annotationsName, pos), RHS: &syntax.DictExpr{Lbrace: pos, Rbrace: pos}})
		}
		for _, st := range s.Body {
			cb.aliases = nil
			lowered := l.classStmt(nil, st)
			body = append(body, cb.aliases...)
			body = append(body, lowered...)
		}
		return body
	})...)
	l.class, l.method = savedClass, savedMethod

	ns := &syntax.DictExpr{Lbrace: pos, Rbrace: pos}
	for _, name := range cb.order {
		ns.List = append(ns.List, &syntax.DictEntry{Key: strLiteral(name, pos), Colon: pos, Value: l.ident("__cls_"+name, pos)})
	}
	if doc, ok := docstring(s.Body); ok {
		ns.List = append(ns.List, &syntax.DictEntry{Key: strLiteral("__doc__", pos), Colon: pos, Value: strLiteral(doc, pos)})
	}
	for _, name := range imported {
		ns.List = append(ns.List, &syntax.DictEntry{Key: strLiteral(name, pos), Colon: pos, Value: l.ident(name, pos)})
	}
	stmts = append(stmts, &syntax.ReturnStmt{Return: pos, Result: ns})
	def := &syntax.DefStmt{Def: pos, Name: l.ident(fnName, namePos), Lparen: pos, Params: []syntax.Expr{l.ident(classCellName, pos)}, Rparen: pos, Body: stmts}

	var build syntax.Expr = l.call(BuildClassFunc, pos, l.last(s),
		l.ident(fnName, namePos), strLiteral(s.Name, namePos), strLiteral(qualname, namePos), bases, kw)
	for i := len(decorators) - 1; i >= 0; i-- {
		build = &syntax.CallExpr{Fn: decorators[i], Lparen: pos, Args: []syntax.Expr{build}, Rparen: pos}
	}
	return def, build
}

// classStmt lowers a statement directly in a class body: a def or class
// becomes a wrapper function that makes it, so it binds no name the
// body's other functions would see.
func (l *lowerer) classStmt(out []syntax.Stmt, s pysyntax.Stmt) []syntax.Stmt {
	pos := l.start(s)
	var made syntax.Expr
	var name string
	var wrapper *syntax.DefStmt
	switch s := s.(type) {
	case *pysyntax.FunctionDef:
		name = s.Name
		m := &methodCtx{ownName: s.Name, locals: l.functionLocals(s), aliasFor: l.class}
		def, decorators := l.undecoratedDef(s, m)
		wrapper = &syntax.DefStmt{Def: pos, Name: l.ident("__def_"+s.Name, pos), Lparen: pos, Rparen: pos,
			Body: []syntax.Stmt{def, &syntax.ReturnStmt{Return: pos, Result: l.ident(s.Name, pos)}}}
		made = l.decorate(decorators, l.call("__def_"+s.Name, pos, pos))
	case *pysyntax.ClassDef:
		name = s.Name
		def, build := l.classParts(s, s.Name)
		wrapper = &syntax.DefStmt{Def: pos, Name: l.ident("__def_"+s.Name, pos), Lparen: pos, Rparen: pos,
			Body: []syntax.Stmt{def, &syntax.ReturnStmt{Return: pos, Result: build}}}
		made = l.call("__def_"+s.Name, pos, pos)
	default:
		return l.stmt(out, s)
	}
	target, _ := l.className(name, pos)
	return append(out, wrapper, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: target, RHS: made})
}

// decoratedDef lowers a def outside a class body: the def, then its name
// bound to the decorated function when it has decorators.
func (l *lowerer) decoratedDef(s *pysyntax.FunctionDef) []syntax.Stmt {
	var m *methodCtx
	if l.method != nil {
		m = &methodCtx{ownName: l.method.ownName, locals: l.method.locals, aliasFor: l.method.aliasFor}
	}
	def, decorators := l.undecoratedDef(s, m)
	if len(decorators) == 0 {
		return []syntax.Stmt{def}
	}
	pos := l.start(s)
	return []syntax.Stmt{def, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: l.name(s.Name, def.Name.NamePos), RHS: l.decorate(decorators, l.ident(s.Name, pos))}}
}

// undecoratedDef lowers a def without its decorators, which it returns
// lowered; m, when the def is inside a class, is its method context.
func (l *lowerer) undecoratedDef(s *pysyntax.FunctionDef, m *methodCtx) (*syntax.DefStmt, []syntax.Expr) {
	decorators := l.exprs(s.DecoratorList)
	savedClass, savedMethod := l.class, l.method
	savedQual := l.funcQual
	if savedClass != nil && savedMethod == nil {
		l.funcQual = savedClass.qualname + "." + s.Name
	} else if l.funcQual != "" {
		l.funcQual += ".<locals>." + s.Name
	} else {
		l.funcQual = s.Name
	}
	if m != nil {
		m.self = firstParam(s.Args)
	}
	l.method = m
	def := l.def(s)
	l.class, l.method, l.funcQual = savedClass, savedMethod, savedQual
	if m != nil && m.aliased && savedMethod == nil && m.aliasFor != nil {
		pos := l.start(s)
		l.class = nil // the name outside the class
		outside := l.name(m.ownName, pos)
		l.class = savedClass
		m.aliasFor.aliases = append(m.aliasFor.aliases, &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ,
			LHS: l.ident("__alias_"+m.ownName, pos), RHS: &syntax.LambdaExpr{Lambda: pos, Body: outside}})
	} else if m != nil && m.aliased && savedMethod != nil {
		savedMethod.aliased = true
	}
	return def, decorators
}

// decorate applies decorators (outermost first) to x.
func (l *lowerer) decorate(decorators []syntax.Expr, x syntax.Expr) syntax.Expr {
	for i := len(decorators) - 1; i >= 0; i-- {
		start, _ := decorators[i].Span()
		x = &syntax.CallExpr{Fn: decorators[i], Lparen: start, Args: []syntax.Expr{x}, Rparen: start}
	}
	return x
}

// classNamePos is the position of a class statement's name.
func (l *lowerer) classNamePos(s *pysyntax.ClassDef) syntax.Position {
	p := s.Span() // the statement starts at "class", after its decorators
	i := l.offset(p.Lineno, p.ColOffset)
	return l.posOf(l.blankAfter(i + len("class")))
}

// firstParam is a function's first positional parameter, or "" (then
// super() without arguments fails as in Python).
func firstParam(a *pysyntax.Arguments) string {
	if len(a.PosOnlyArgs) > 0 {
		return a.PosOnlyArgs[0].Arg
	}
	if len(a.Args) > 0 {
		return a.Args[0].Arg
	}
	if a.Vararg != nil {
		return "" // def f(*args): super() uses args[0] in Python; rare
	}
	return ""
}

// functionLocals are the names function s binds itself (parameters and
// assignments), which hide the names of the scopes around it.
func (l *lowerer) functionLocals(s *pysyntax.FunctionDef) map[string]bool {
	locals := map[string]bool{}
	a := s.Args
	for _, list := range [][]*pysyntax.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs, {a.Vararg, a.Kwarg}} {
		for _, p := range list {
			if p != nil {
				locals[p.Arg] = true
			}
		}
	}
	walkBody(s.Body, func(n pysyntax.Node) {
		switch n := n.(type) {
		case *pysyntax.FunctionDef:
			locals[n.Name] = true
		case *pysyntax.ClassDef:
			locals[n.Name] = true
		default:
			for _, name := range l.boundNames(n) {
				locals[name] = true
			}
		}
	})
	return locals
}

// className is what a name refers to inside a class body or a method:
// a name the class body binds is its renamed local; in a method, the
// method's own name (which its wrapper binds) is the alias of the name
// outside the class. ok is false for every other name.
func (l *lowerer) className(id string, pos syntax.Position) (syntax.Expr, bool) {
	if l.class != nil && l.class.bound[id] {
		if l.class.cells[id] {
			return &syntax.DotExpr{X: l.ident("__cls_"+id, pos), Dot: pos, Name: l.ident("v", pos)}, true
		}
		return l.ident("__cls_"+id, pos), true
	}
	if id == "__class__" && l.method != nil && l.method.aliasFor != nil {
		return &syntax.DotExpr{X: l.ident(classCellName, pos), Dot: pos, Name: l.ident("cls", pos)}, true
	}
	if m := l.method; m != nil && m.ownName == id && !m.locals[id] && m.aliasFor != nil {
		m.aliased = true
		return &syntax.CallExpr{Fn: l.ident("__alias_"+id, pos), Lparen: pos, Rparen: pos}, true
	}
	return nil, false
}

// classLookups are the names class body reads at a point where they may
// be unbound: before a statement of the body binds them for sure (an
// assignment, def, class or import of the body itself, not nested in a
// compound statement), or after a del. CPython then reads the global or
// builtin (LOAD_NAME: the class's namespace, then the globals, then the
// builtins), so such a name lives in a cell whose reads fall back to the
// name outside (classLookup). Other names keep plain variables.
func (l *lowerer) classLookups(body []pysyntax.Stmt, cb *classBody) map[string]bool {
	lookups := map[string]bool{}
	sure := map[string]bool{}
	for _, st := range body {
		for _, name := range classReads(st) {
			if cb.bound[name] && !sure[name] {
				lookups[name] = true
			}
		}
		if a, ok := st.(*pysyntax.AnnAssign); ok && a.Value == nil {
			continue // x: int binds nothing
		}
		switch st := st.(type) {
		case *pysyntax.Assign, *pysyntax.AugAssign, *pysyntax.AnnAssign, *pysyntax.Import, *pysyntax.ImportFrom:
			for _, name := range l.boundNames(st) {
				sure[name] = cb.bound[name]
			}
		case *pysyntax.FunctionDef:
			sure[st.Name] = true
		case *pysyntax.ClassDef:
			sure[st.Name] = true
		default: // a del, or a compound statement, may leave a name unbound
			walkBody([]pysyntax.Stmt{st}, func(n pysyntax.Node) {
				for _, name := range append(l.boundNames(n), l.cellBound(n)...) {
					delete(sure, name)
				}
			})
		}
	}
	return lookups
}

// classReads are the names statement st of a class body reads there (not
// in the bodies of the functions and classes it defines).
func classReads(st pysyntax.Stmt) []string {
	var names []string
	var visit func(n pysyntax.Node) bool
	visit = func(n pysyntax.Node) bool {
		switch n := n.(type) {
		case *pysyntax.Name:
			if n.Ctx == pysyntax.Load {
				names = append(names, n.ID)
			}
		case *pysyntax.AugAssign:
			if t, ok := n.Target.(*pysyntax.Name); ok {
				names = append(names, t.ID)
			}
		case *pysyntax.FunctionDef:
			for _, d := range n.DecoratorList {
				inspect(d, visit)
			}
			inspect(n.Args, visit)
			if n.Returns != nil {
				inspect(n.Returns, visit)
			}
			return false
		case *pysyntax.ClassDef:
			for _, e := range append(n.DecoratorList, n.Bases...) {
				inspect(e, visit)
			}
			for _, k := range n.Keywords {
				inspect(k, visit)
			}
			return false
		}
		return true
	}
	inspect(st, visit)
	return names
}

// classLookup lowers a read of id in a class body that may find it
// unbound (classLookups): its cell's value if it is bound, else the name
// outside the class, __cls_x.v if __cls_x.bound else x.
func (l *lowerer) classLookup(id string, pos syntax.Position) (syntax.Expr, bool) {
	c := l.class
	if c == nil || !c.lookups[id] || l.comprehensionVars[id] > 0 {
		return nil, false
	}
	l.class = nil
	outside := l.name(id, pos)
	l.class = c
	cell := func() syntax.Expr { return l.ident("__cls_"+id, pos) }
	return &syntax.CondExpr{If: pos, Cond: &syntax.DotExpr{X: cell(), Dot: pos, Name: l.ident("bound", pos)},
		True: &syntax.DotExpr{X: cell(), Dot: pos, Name: l.ident("v", pos)}, ElsePos: pos, False: outside}, true
}

// helperFn is the function a lowered construct calls by the name helper:
// in a method of the same name (def __mod__ using the % helper), the
// helper's alias.
func (l *lowerer) helperFn(helper string, pos syntax.Position) syntax.Expr {
	if m := l.method; m != nil && m.ownName == helper && m.aliasFor != nil {
		m.aliased = true
		return &syntax.CallExpr{Fn: l.ident("__alias_"+helper, pos), Lparen: pos, Rparen: pos}
	}
	return l.ident(helper, pos)
}

// zeroArgSuper lowers super() in a method to __super__(__classcell, self).
func (l *lowerer) zeroArgSuper(e *pysyntax.Call) (syntax.Expr, bool) {
	fn, ok := e.Func.(*pysyntax.Name)
	if !ok || fn.ID != "super" || len(e.Args) > 0 || len(e.Keywords) > 0 || l.method == nil || l.method.aliasFor == nil {
		return nil, false
	}
	pos := l.start(e)
	var self syntax.Expr = l.ident("None", pos)
	if l.method.self != "" {
		self = l.name(l.method.self, pos)
	}
	return l.call(SuperFunc, pos, l.last(e), l.ident(classCellName, pos), self), true
}

// docstring is the string a body starts with, its __doc__.
func docstring(body []pysyntax.Stmt) (string, bool) {
	if len(body) == 0 {
		return "", false
	}
	e, ok := body[0].(*pysyntax.ExprStmt)
	if !ok {
		return "", false
	}
	c, ok := e.Value.(*pysyntax.Constant)
	if !ok {
		return "", false
	}
	doc, ok := c.Value.(string)
	return doc, ok
}
