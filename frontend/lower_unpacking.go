package frontend

import (
	"fmt"
	"slices"
	"strings"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// Star-unpacking in displays and calls, and set displays, which
// Starlark's grammar lacks:
//
//	[a, *xs, *ys]     →  [a] + [__e for __e in __iterable__(xs)] + [...ys]
//	(a, *xs)          →  tuple([a] + [...xs])
//	{a, *xs}          →  set([a] + [...xs]); {a, b} → set([a, b])
//	{**d1, 'k': v, **d2}  →  {__k: __v for __d in [d1, {'k': v}, d2] for __k, __v in __d.items()}
//	f(a, *xs, b, *ys, k=1, **m1, **m2)  →  f(a, k=1, *([...xs] + [b] + [...ys]), **{...m1, m2 merged})
//
// Calls with at most one *args, written after the positional arguments,
// and at most one **kwargs keep Starlark's own call.

func hasStar(elts []pysyntax.Expr) bool {
	for _, x := range elts {
		if _, ok := x.(*pysyntax.Starred); ok {
			return true
		}
	}
	return false
}

func hasNil(keys []pysyntax.Expr) bool {
	for _, k := range keys {
		if k == nil {
			return true
		}
	}
	return false
}

// unpacked is a list expression of elts, with each *x spread.
func (l *lowerer) unpacked(elts []pysyntax.Expr, pos, end syntax.Position) syntax.Expr {
	var out syntax.Expr
	var run *syntax.ListExpr
	add := func(x syntax.Expr) {
		if out == nil {
			out = x
			return
		}
		start, _ := x.Span()
		out = &syntax.BinaryExpr{X: out, OpPos: start, Op: syntax.PLUS, Y: x}
	}
	for _, e := range elts {
		s, ok := e.(*pysyntax.Starred)
		if !ok {
			if run == nil {
				run = &syntax.ListExpr{Lbrack: pos, Rbrack: end}
				add(run)
			}
			run.List = append(run.List, l.expr(e))
			continue
		}
		run = nil
		add(l.spread(s))
	}
	if out == nil {
		return &syntax.ListExpr{Lbrack: pos, Rbrack: end}
	}
	return out
}

// spread is [__e for __e in __iterable__(x)] for *x: a list of what x
// iterates over, str and bytes included.
func (l *lowerer) spread(s *pysyntax.Starred) syntax.Expr {
	pos, end := l.start(s), l.last(s)
	return &syntax.Comprehension{
		Lbrack: pos,
		Body:   l.ident("__e", pos),
		Clauses: []syntax.Node{&syntax.ForClause{For: pos, Vars: l.ident("__e", pos), In: pos,
			X: l.call(iterableFunc, pos, end, l.expr(s.Value))}},
		Rbrack: end,
	}
}

// merged is {__k: __v for __d in [maps...] for __k, __v in __d.items()}.
func (l *lowerer) merged(maps []syntax.Expr, pos, end syntax.Position) syntax.Expr {
	id := func(name string) *syntax.Ident { return l.ident(name, pos) }
	return &syntax.Comprehension{
		Curly:  true,
		Lbrack: pos,
		Body:   &syntax.DictEntry{Key: id("__k"), Colon: pos, Value: id("__v")},
		Clauses: []syntax.Node{
			&syntax.ForClause{For: pos, Vars: id("__d"), In: pos, X: &syntax.ListExpr{Lbrack: pos, List: maps, Rbrack: end}},
			&syntax.ForClause{For: pos, Vars: &syntax.TupleExpr{List: []syntax.Expr{id("__k"), id("__v")}}, In: pos,
				X: &syntax.CallExpr{Fn: &syntax.DotExpr{X: id("__d"), Dot: pos, Name: id("items")}, Lparen: pos, Rparen: pos}},
		},
		Rbrack: end,
	}
}

// mergedDicts lowers a dict display with **mapping entries.
func (l *lowerer) mergedDicts(e *pysyntax.Dict) syntax.Expr {
	pos, end := l.start(e), l.last(e)
	var maps []syntax.Expr
	var run *syntax.DictExpr
	for i, k := range e.Keys {
		if k == nil {
			run = nil
			maps = append(maps, l.expr(e.Values[i]))
			continue
		}
		if run == nil {
			run = &syntax.DictExpr{Lbrace: l.start(k), Rbrace: end}
			maps = append(maps, run)
		}
		key := l.expr(k)
		run.List = append(run.List, &syntax.DictEntry{Key: key, Colon: l.token(k, false), Value: l.expr(e.Values[i])})
	}
	return l.merged(maps, pos, end)
}

// set lowers a set display to set([...]).
func (l *lowerer) set(e *pysyntax.Set) syntax.Expr {
	pos, end := l.start(e), l.last(e)
	var list syntax.Expr
	if hasStar(e.Elts) {
		list = l.unpacked(e.Elts, pos, end)
	} else {
		list = &syntax.ListExpr{Lbrack: pos, List: l.exprs(e.Elts), Rbrack: end}
	}
	return l.call("set", pos, end, list)
}

// callExpr lowers a call: positional arguments, then keyword arguments,
// then *args and **kwargs, as Starlark orders them.
func (l *lowerer) callExpr(e *pysyntax.Call) syntax.Expr {
	fn := l.expr(e.Func)
	c := &syntax.CallExpr{Fn: fn, Lparen: l.token(e.Func, false), Rparen: l.last(e)}
	var star, starstar syntax.Expr
	firstStar := len(e.Args)
	for i, a := range e.Args {
		if _, ok := a.(*pysyntax.Starred); ok {
			firstStar = i
			break
		}
		c.Args = append(c.Args, l.expr(a))
	}
	if rest := e.Args[firstStar:]; len(rest) == 1 {
		s := rest[0].(*pysyntax.Starred)
		star = &syntax.UnaryExpr{OpPos: l.start(s), Op: syntax.STAR, X: l.spreadArg(starArgsFunc, s.Value, e.Func)}
	} else if len(rest) > 1 {
		start := l.start(rest[0])
		star = &syntax.UnaryExpr{OpPos: start, Op: syntax.STAR, X: l.unpacked(rest, start, l.last(rest[len(rest)-1]))}
	}
	var maps []syntax.Expr
	var mapsPos syntax.Position
	for _, k := range e.Keywords {
		if k.Arg == "" {
			if maps == nil {
				mapsPos = l.start(k)
			}
			maps = append(maps, l.expr(k.Value))
			continue
		}
		pos := l.start(k)
		c.Args = append(c.Args, &syntax.BinaryExpr{X: l.ident(k.Arg, pos), OpPos: l.at(k.Lineno, k.ColOffset+len(k.Arg)), Op: syntax.EQ, Y: l.expr(k.Value)})
	}
	switch len(maps) {
	case 0:
	case 1:
		var kw pysyntax.Expr
		for _, k := range e.Keywords {
			if k.Arg == "" {
				kw = k.Value
			}
		}
		starstar = &syntax.UnaryExpr{OpPos: mapsPos, Op: syntax.STARSTAR, X: l.spreadArg(kwargsArgFunc, kw, e.Func)}
	default:
		starstar = &syntax.UnaryExpr{OpPos: mapsPos, Op: syntax.STARSTAR, X: l.merged(maps, mapsPos, c.Rparen)}
	}
	if star != nil {
		c.Args = append(c.Args, star)
	}
	if starstar != nil {
		c.Args = append(c.Args, starstar)
	}
	return c
}

// spreadArg is the x of f(*x) or f(**x): helper(x, f) (f only when it is
// a name, which costs nothing to read twice), or x itself when it is the
// function's own *args or **kwargs, never rebound (a tuple or a dict).
func (l *lowerer) spreadArg(helper string, x, fn pysyntax.Expr) syntax.Expr {
	if n, ok := x.(*pysyntax.Name); ok && l.ownSpread(n.ID) {
		return l.expr(x)
	}
	pos, end := l.start(x), l.last(x)
	args := []syntax.Expr{l.expr(x)}
	if n, ok := fn.(*pysyntax.Name); ok {
		args = append(args, l.expr(n))
	}
	return l.call(helper, pos, end, args...)
}

// ownSpread reports whether name is the *args or **kwargs of the def
// being lowered and its body never binds it again. The walk of the body
// is made once per def, and only for a def that spreads its own
// parameter (most defs never do).
func (l *lowerer) ownSpread(name string) bool {
	s := l.spreadDef
	if s == nil || !(s.Args.Vararg != nil && s.Args.Vararg.Arg == name || s.Args.Kwarg != nil && s.Args.Kwarg.Arg == name) {
		return false
	}
	names, ok := l.spreadMemo[s]
	if !ok {
		if l.spreadMemo == nil {
			l.spreadMemo = map[*pysyntax.FunctionDef]map[string]bool{}
		}
		names = spreadParams(s)
		l.spreadMemo[s] = names
	}
	return names[name]
}

// spreadParams are the names of a def's *args and **kwargs that its body
// never binds again (nor a function, lambda or comprehension in it), so that f(*args, **kwargs)
// passes them on as they are.
func spreadParams(s *pysyntax.FunctionDef) map[string]bool {
	names := map[string]bool{}
	for _, p := range []*pysyntax.Arg{s.Args.Vararg, s.Args.Kwarg} {
		if p != nil {
			names[p.Arg] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	for _, st := range s.Body {
		inspect(st, func(n pysyntax.Node) bool {
			switch n := n.(type) {
			case *pysyntax.Name:
				if n.Ctx != pysyntax.Load {
					delete(names, n.ID)
				}
			case *pysyntax.Arg: // a lambda's or nested def's parameter
				delete(names, n.Arg)
			case *pysyntax.ExceptHandler:
				delete(names, n.Name)
			case *pysyntax.Alias:
				delete(names, n.Asname)
				delete(names, strings.Split(n.Name, ".")[0])
			case *pysyntax.FunctionDef:
				delete(names, n.Name)
			case *pysyntax.ClassDef:
				delete(names, n.Name)
			case *pysyntax.Global:
				for _, g := range n.Names {
					delete(names, g)
				}
			case *pysyntax.Nonlocal:
				for _, g := range n.Names {
					delete(names, g)
				}
			}
			return true
		})
	}
	return names
}

// hasStarred reports whether an assignment or for target unpacks with
// a starred name anywhere: first, *rest or i, (a, *rest).
func hasStarred(target pysyntax.Expr) bool {
	switch t := target.(type) {
	case *pysyntax.Tuple:
		return slices.ContainsFunc(t.Elts, isStarredOrHas)
	case *pysyntax.List:
		return slices.ContainsFunc(t.Elts, isStarredOrHas)
	}
	return false
}

func isStarredOrHas(e pysyntax.Expr) bool {
	_, ok := e.(*pysyntax.Starred)
	return ok || hasStarred(e)
}

// targetElts are the elements of a tuple or list target.
func targetElts(target pysyntax.Expr) []pysyntax.Expr {
	switch t := target.(type) {
	case *pysyntax.Tuple:
		return t.Elts
	case *pysyntax.List:
		return t.Elts
	}
	return nil
}

// assignTo appends the lowering of target = rhs to out. A starred name
// nested in the target, which one Starlark assignment cannot bind, goes
// through temporaries: from the first element that has one on, each
// element is assigned a temporary, and then, in order, the temporary to
// the element, so that the targets are bound in Python's order:
//
//	i, (a, *rest), j = x  →  i, __v1, __v2 = x; a, rest = __unpack__(__v1, 1, 0); j = __v2
func (l *lowerer) assignTo(out []syntax.Stmt, target pysyntax.Expr, rhs syntax.Expr, opPos syntax.Position) []syntax.Stmt {
	elts := targetElts(target)
	split := slices.IndexFunc(elts, func(e pysyntax.Expr) bool {
		if s, ok := e.(*pysyntax.Starred); ok {
			e = s.Value
		}
		return hasStarred(e)
	})
	if split < 0 {
		lhs, rhs := l.assignment(target, rhs)
		return append(out, &syntax.AssignStmt{OpPos: opPos, Op: syntax.EQ, LHS: lhs, RHS: rhs})
	}
	outer := &pysyntax.Tuple{Pos: *target.Span(), Elts: slices.Clone(elts)}
	var temps []*pysyntax.Name
	for i := split; i < len(elts); i++ {
		l.temps++
		at := *elts[i].Span()
		tmp := &pysyntax.Name{Pos: at, ID: fmt.Sprintf("__v%d", l.temps), Ctx: pysyntax.Store}
		temps = append(temps, tmp)
		if s, ok := elts[i].(*pysyntax.Starred); ok {
			outer.Elts[i] = &pysyntax.Starred{Pos: s.Pos, Value: tmp, Ctx: s.Ctx}
		} else {
			outer.Elts[i] = tmp
		}
	}
	out = l.assignTo(out, outer, rhs, opPos)
	for i, tmp := range temps {
		e := elts[split+i]
		if s, ok := e.(*pysyntax.Starred); ok {
			e = s.Value
		}
		read := &pysyntax.Name{Pos: tmp.Pos, ID: tmp.ID, Ctx: pysyntax.Load}
		out = l.assignTo(out, e, l.expr(read), l.start(e))
	}
	return out
}

// forStarred lowers a for statement whose target has a starred name,
// which Starlark's for cannot bind: each element goes to a temporary,
// and the body starts with the unpacking assignment target = temporary.
func (l *lowerer) forStarred(s *pysyntax.For, pos syntax.Position) *syntax.ForStmt {
	l.temps++
	tmp := fmt.Sprintf("__v%d", l.temps)
	at := *s.Target.Span()
	unpack := l.assign(nil, &pysyntax.Assign{Pos: at, Targets: []pysyntax.Expr{s.Target}, Value: &pysyntax.Name{Pos: at, ID: tmp, Ctx: pysyntax.Load}})
	x := l.loopIterable(s.Iter, false)
	return &syntax.ForStmt{For: pos, Vars: l.ident(tmp, l.start(s.Target)), X: x, Body: append(unpack, l.loop(s.Body)...)}
}
