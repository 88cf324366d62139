package frontend

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"unicode/utf8"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// lowerer turns a pysyntax tree into a Starlark syntax tree. Positions
// come from the tree; the few the tree lacks (an operator's, a call's
// opening parenthesis) are found in the source between the operands.
type lowerer struct {
	filename   string
	src        []byte // the source as the parser read it (no BOM, \n line ends)
	lineStarts []int  // byte offset of each line
	lineASCII  []bool // whether each line is ASCII (byte column = rune column)
	mod        *pysyntax.Module
	nameBound  int                      // whether the script binds __name__ itself: 0 unknown, 1 no, 2 yes
	tries      int                      // try statements lowered so far, to name their state
	temps      int                      // temporaries named so far (__v1, ...)
	matchTemps map[string]bool          // the temporaries of lowered match statements (lower_match.go)
	scopes     map[pysyntax.Node]*scope // by module and FunctionDef, when names live in cells (lower_scopes.go)
	cellNames  map[string]bool          // names that live in a cell somewhere
	scope      *scope                   // the current scope, when scopes is set
	block      blockContext             // jumps in try blocks (lower_try.go)
	class      *classBody               // the class body being lowered, if any (lower_class.go)
	method     *methodCtx               // the function of a class being lowered, if any
	funcQual   string                   // the qualified name of the function being lowered
	// comprehensionVars counts, by name, the comprehensions being lowered
	// that bind the name: there it is the comprehension's variable, not
	// the cell of a variable of the same name around it.
	comprehensionVars map[string]int
	lambdas           int  // the lambdas around the code being lowered
	comprehensions    int  // the comprehensions around the code being lowered
	walrus            bool // whether the source has ":=" (then the scopes look for assignment expressions)
	comprehensionIter int  // the comprehension iterables around the code being lowered
	// inGenerator is set while lowering the body of a generator function
	// (not a lambda or comprehension in it), where yield is allowed;
	// funcDepth counts the functions around the code being lowered.
	inGenerator bool
	funcDepth   int
	spreadDef   *pysyntax.FunctionDef // the def being lowered, whose own *args and **kwargs f(*args) passes on (ownSpread)
	spreadMemo  map[*pysyntax.FunctionDef]map[string]bool
	bytesLits   bytesLiterals // the module's bytes literals (lower_bytes.go)
	// futureAnnotations is set when the module imports annotations from
	// __future__: class bodies record annotations as strings.
	futureAnnotations bool
}

// Error is an error of the Python source: its position and message, and
// the exception CPython raises for it (Kind: SyntaxError,
// IndentationError, TabError or RecursionError). errors.As finds the
// syntax.Error in it; the lowering's own refusals are plain syntax.Error
// values (SyntaxErrors).
type Error struct {
	Syntax syntax.Error
	Kind   string
}

// Error formats the error as syntax.Error does: FILE:LINE:COL: MESSAGE.
func (e *Error) Error() string { return e.Syntax.Error() }

// Unwrap returns the syntax.Error.
func (e *Error) Unwrap() error { return e.Syntax }

// ErrorKind is the exception CPython raises for a syntax error err (one
// returned by Parse): SyntaxError unless err says otherwise.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != "" {
		return e.Kind
	}
	return "SyntaxError"
}

// lowerError carries a syntax error up the lowering's recursion.
type lowerError struct{ err syntax.Error }

// parsePython parses src with pysyntax and lowers the tree.
func parsePython(filename string, src []byte) (f *syntax.File, err error) {
	mod, err := pysyntax.Parse(filename, src)
	if err != nil {
		var pe *pysyntax.Error
		if errors.As(err, &pe) {
			msg := pe.Msg
			if pe.Kind == "RecursionError" { // as CPython's compile() says it, where ast.parse says "during ast construction"
				msg = "maximum recursion depth exceeded during compilation"
			}
			return nil, &Error{Syntax: syntax.Error{Pos: syntax.MakePosition(&filename, int32(pe.Line), int32(max(pe.Col, 1))), Msg: msg}, Kind: pe.Kind}
		}
		return nil, err
	}
	l := newLowerer(filename, src)
	defer func() {
		if r := recover(); r != nil {
			le, ok := r.(*lowerError)
			if !ok {
				panic(r)
			}
			f, err = nil, le.err
		}
	}()
	l.mod = mod
	mod.Body = l.desugarMatches(mod.Body)
	l.futureAnnotations = futureAnnotations(mod)
	l.analyzeScopes(mod)
	var stmts []syntax.Stmt
	if l.scopes != nil {
		l.scope = l.scopes[mod]
		stmts = l.makeCells(l.scope, l.at(1, 0))
	}
	stmts = append(stmts, l.hoist(func() []syntax.Stmt { return l.stmts(mod.Body) })...)
	stmts = append(l.bytesLits.assigns, stmts...)
	fillEmptyBlocks(stmts)
	return &syntax.File{Path: filename, Stmts: stmts, Options: FileOptions}, nil
}

// fillEmptyBlocks puts a pass in each block of stmts that lowered to no
// statement (a body of only global or nonlocal declarations): Starlark
// wants at least one, and its Span of an empty block panics.
func fillEmptyBlocks(stmts []syntax.Stmt) {
	fill := func(block *[]syntax.Stmt, pos syntax.Position) {
		if len(*block) == 0 {
			*block = []syntax.Stmt{&syntax.BranchStmt{Token: syntax.PASS, TokenPos: pos}}
			return
		}
		fillEmptyBlocks(*block)
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *syntax.DefStmt:
			fill(&s.Body, s.Def)
		case *syntax.IfStmt:
			fill(&s.True, s.If)
			fillEmptyBlocks(s.False)
		case *syntax.ForStmt:
			fill(&s.Body, s.For)
		case *syntax.WhileStmt:
			fill(&s.Body, s.While)
		}
	}
}

func newLowerer(filename string, src []byte) *lowerer {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	l := &lowerer{filename: filename, src: src, walrus: bytes.Contains(src, []byte(":="))}
	start, ascii := 0, true
	for i, b := range src {
		if b >= utf8.RuneSelf {
			ascii = false
		}
		if b == '\n' {
			l.lineStarts = append(l.lineStarts, start)
			l.lineASCII = append(l.lineASCII, ascii)
			start, ascii = i+1, true
		}
	}
	l.lineStarts = append(l.lineStarts, start)
	l.lineASCII = append(l.lineASCII, ascii)
	return l
}

// at is the Starlark position of line and byte column col (from 0).
func (l *lowerer) at(line, col int) syntax.Position {
	if line >= 1 && line <= len(l.lineStarts) && !l.lineASCII[line-1] {
		start := l.lineStarts[line-1]
		end := min(start+col, len(l.src))
		col = utf8.RuneCount(l.src[start:end])
	}
	return syntax.MakePosition(&l.filename, int32(line), int32(col+1))
}

// start is the position where node n starts.
func (l *lowerer) start(n pysyntax.Located) syntax.Position {
	p := n.Span()
	return l.at(p.Lineno, p.ColOffset)
}

// last is the position of the last character of n (a closing bracket).
func (l *lowerer) last(n pysyntax.Located) syntax.Position {
	p := n.Span()
	return l.at(p.EndLineno, max(p.EndColOffset-1, 0))
}

// offset is the byte offset of line and col in l.src.
func (l *lowerer) offset(line, col int) int {
	if line < 1 || line > len(l.lineStarts) {
		return len(l.src)
	}
	return min(l.lineStarts[line-1]+col, len(l.src))
}

func (l *lowerer) posOf(off int) syntax.Position {
	line := 1
	lo, hi := 0, len(l.lineStarts)
	for lo < hi { // last line start <= off
		m := (lo + hi) / 2
		if l.lineStarts[m] <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	line = lo
	return l.at(line, off-l.lineStarts[line-1])
}

// token finds the position of the first character after n that is not
// blank, a bracket of n's, a comment or a line continuation: the operator,
// dot, opening parenthesis or bracket that follows an operand.
func (l *lowerer) token(after pysyntax.Located, skipOpen bool) syntax.Position {
	p := after.Span()
	i := l.offset(p.EndLineno, p.EndColOffset)
	for i < len(l.src) {
		switch c := l.src[i]; {
		case c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\\' || c == ')':
			i++
		case c == '(' && skipOpen:
			i++
		case c == '#':
			for i < len(l.src) && l.src[i] != '\n' {
				i++
			}
		default:
			return l.posOf(i)
		}
	}
	return l.posOf(i)
}

func (l *lowerer) fail(pos syntax.Position, format string, args ...any) {
	panic(&lowerError{syntax.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}})
}

// unsupported are the messages of the syntax errors for constructs kstar
// cannot run, by construct.
var unsupported = map[string]string{
	"yield":      "kstar does not support 'yield' in a lambda or a comprehension: use a def",
	"async":      "kstar does not support 'async' functions",
	"await":      "kstar does not support 'await'",
	"except*":    "kstar does not support 'except*' (exception groups): use except",
	"posonly":    "kstar does not support positional-only parameters ('/'): remove the '/'",
	"complex":    "kstar does not support complex numbers",
	"annotation": "kstar does not support an annotation without a value",
	"matmul":     "kstar does not support the '@' operator",
}

func (l *lowerer) refuse(pos syntax.Position, construct string) {
	l.fail(pos, "%s", unsupported[construct])
}

func (l *lowerer) ident(name string, pos syntax.Position) *syntax.Ident {
	return &syntax.Ident{NamePos: pos, Name: name}
}

func (l *lowerer) call(name string, pos, end syntax.Position, args ...syntax.Expr) *syntax.CallExpr {
	return &syntax.CallExpr{Fn: l.helperFn(name, pos), Lparen: pos, Args: args, Rparen: end}
}

func strLiteral(s string, pos syntax.Position) *syntax.Literal {
	return &syntax.Literal{Token: syntax.STRING, TokenPos: pos, Raw: strconv.Quote(s), Value: s}
}

// ---- statements ----

func (l *lowerer) stmts(list []pysyntax.Stmt) []syntax.Stmt {
	if len(list) == 0 {
		return nil
	}
	out := make([]syntax.Stmt, 0, len(list))
	for _, s := range list {
		out = l.stmt(out, s)
	}
	return out
}

// stmt appends the lowering of s to out.
func (l *lowerer) stmt(out []syntax.Stmt, s pysyntax.Stmt) []syntax.Stmt {
	pos := l.start(s)
	switch s := s.(type) {
	case *pysyntax.ExprStmt:
		return append(out, &syntax.ExprStmt{X: l.expr(s.Value)})
	case *pysyntax.Assign:
		return l.assign(out, s)
	case *pysyntax.AugAssign:
		if t, ok := s.Target.(*pysyntax.Name); ok {
			if x, ok := l.classLookup(t.ID, l.start(t)); ok { // x += 1 in a class body reads the global x
				out = append(out, &syntax.AssignStmt{OpPos: l.start(t), Op: syntax.EQ, LHS: l.target(t), RHS: x})
			}
		}
		return append(out, l.augAssign(s))
	case *pysyntax.AnnAssign:
		name, isName := s.Target.(*pysyntax.Name)
		if s.Value == nil && !isName {
			l.refuse(pos, "annotation")
		}
		if s.Value != nil {
			rhs := l.expr(s.Value)
			out = append(out, &syntax.AssignStmt{OpPos: l.token(s.Annotation, false), Op: syntax.EQ, LHS: l.target(s.Target), RHS: rhs})
		}
		if isName && s.Simple == 1 && l.class != nil && l.class.bound[annotationsName] {
			out = append(out, l.classAnnotation(name, s.Annotation)) // as CPython: the value, then the annotation
		}
		return out // elsewhere, x: int declares nothing at run time
	case *pysyntax.Pass:
		return append(out, &syntax.BranchStmt{Token: syntax.PASS, TokenPos: pos})
	case *pysyntax.Break:
		return append(out, l.branch(syntax.BREAK, pos))
	case *pysyntax.Continue:
		return append(out, l.branch(syntax.CONTINUE, pos))
	case *pysyntax.Return:
		var value syntax.Expr
		if s.Value != nil {
			value = l.expr(s.Value)
		}
		return append(out, l.ret(pos, value))
	case *pysyntax.If:
		if assign, cond, ok := hoistWalrus(s.Test); ok {
			out = l.assign(out, assign)
			withoutWalrus := *s
			withoutWalrus.Test = cond
			return append(out, l.ifStmt(&withoutWalrus))
		}
		return append(out, l.ifStmt(s))
	case *pysyntax.While:
		if assign, cond, ok := hoistWalrus(s.Test); ok && len(s.Orelse) == 0 {
			return append(out, l.whileWalrus(s, assign, cond))
		}
		cond := l.expr(s.Test)
		loop := &syntax.WhileStmt{While: pos, Cond: cond, Body: l.loop(s.Body)}
		if len(s.Orelse) > 0 {
			return append(out, l.loopElse(loop, &loop.Body, l.stmts(s.Orelse), l.elsePos(s.Orelse[0]))...)
		}
		return append(out, loop)
	case *pysyntax.For:
		if s.Async {
			l.refuse(pos, "async")
		}
		var loop *syntax.ForStmt
		if hasStarred(s.Target) {
			loop = l.forStarred(s, pos)
		} else {
			vars := l.target(s.Target)
			x := l.loopIterable(s.Iter, false)
			loop = &syntax.ForStmt{For: pos, Vars: vars, X: x, Body: l.loop(s.Body)}
		}
		if len(s.Orelse) > 0 {
			return append(out, l.loopElse(loop, &loop.Body, l.stmts(s.Orelse), l.elsePos(s.Orelse[0]))...)
		}
		return append(out, loop)
	case *pysyntax.FunctionDef:
		out = append(out, l.decoratedDef(s)...)
		if cell := l.cellOf(s.Name); cell != "" { // a def in a try block, or of a global
			namePos := l.defName(s).NamePos
			out = append(out, &syntax.AssignStmt{OpPos: namePos, Op: syntax.EQ, LHS: l.name(s.Name, namePos), RHS: l.ident(s.Name, namePos)})
		}
		return out
	case *pysyntax.Import:
		return append(out, l.importStmt(s)...)
	case *pysyntax.ImportFrom:
		return append(out, l.importFrom(s)...)
	case *pysyntax.Try:
		return append(out, l.try(s)...)
	case *pysyntax.Raise:
		return append(out, l.raise(s))
	case *pysyntax.ClassDef:
		return append(out, l.classDef(s)...)
	case *pysyntax.With:
		if s.Async {
			l.refuse(pos, "async")
		}
		return append(out, l.with(s)...)
	case *pysyntax.Global, *pysyntax.Nonlocal:
		return out // see lower_scopes.go
	case *pysyntax.Delete:
		for _, t := range s.Targets {
			out = l.del(out, t)
		}
		return out
	case *pysyntax.Assert:
		return append(out, l.assert(s))
	}
	l.fail(pos, "kstar does not support this statement")
	return nil
}

// elsePos is the position of the else keyword before the block that
// starts with s.
func (l *lowerer) elsePos(s pysyntax.Stmt) syntax.Position {
	p := s.Span()
	i := l.offset(p.Lineno, p.ColOffset)
	j := bytes.LastIndex(l.src[:i], []byte("else"))
	if j < 0 {
		return l.start(s)
	}
	return l.posOf(j)
}

func (l *lowerer) ifStmt(s *pysyntax.If) *syntax.IfStmt {
	out := &syntax.IfStmt{If: l.start(s), Cond: l.expr(s.Test), True: l.stmts(s.Body)}
	if len(s.Orelse) > 0 {
		out.ElsePos = l.elsePos(s.Orelse[0])
		if elif, ok := s.Orelse[0].(*pysyntax.If); ok && len(s.Orelse) == 1 && l.isElif(elif) && !startsWithWalrus(elif.Test) {
			out.ElsePos = l.start(elif)
			out.False = []syntax.Stmt{l.ifStmt(elif)}
		} else {
			out.False = l.stmts(s.Orelse)
		}
	}
	return out
}

// isElif reports whether the if statement s was written elif.
func (l *lowerer) isElif(s *pysyntax.If) bool {
	p := s.Span()
	i := l.offset(p.Lineno, p.ColOffset)
	return bytes.HasPrefix(l.src[i:], []byte("elif"))
}

// assign lowers x = y and a = b = y (y evaluated once).
func (l *lowerer) assign(out []syntax.Stmt, s *pysyntax.Assign) []syntax.Stmt {
	rhs := l.expr(s.Value)
	if len(s.Targets) == 1 {
		return l.assignTo(out, s.Targets[0], rhs, l.token(s.Targets[0], false))
	}
	l.temps++
	tmp := fmt.Sprintf("__v%d", l.temps)
	first := l.token(s.Targets[0], false)
	out = append(out, &syntax.AssignStmt{OpPos: first, Op: syntax.EQ, LHS: l.ident(tmp, l.start(s.Targets[0])), RHS: rhs})
	for _, t := range s.Targets {
		out = l.assignTo(out, t, l.ident(tmp, l.start(s.Value)), l.token(t, false))
	}
	return out
}

// assignment lowers target = rhs; a target with a starred name, such as
// "a, *rest = xs", becomes "a, rest = __unpack__(__iterable__(xs), 1, 0)".
func (l *lowerer) assignment(target pysyntax.Expr, rhs syntax.Expr) (syntax.Expr, syntax.Expr) {
	var elts []pysyntax.Expr
	switch t := target.(type) {
	case *pysyntax.Tuple:
		elts = t.Elts
	case *pysyntax.List:
		elts = t.Elts
	}
	star := -1
	for i, e := range elts {
		if _, ok := e.(*pysyntax.Starred); ok {
			if star >= 0 {
				l.fail(l.start(target), "multiple starred expressions in assignment")
			}
			star = i
		}
	}
	if star < 0 {
		return l.target(target), rhs
	}
	list := make([]syntax.Expr, len(elts))
	for i, e := range elts {
		if s, ok := e.(*pysyntax.Starred); ok {
			e = s.Value
		}
		list[i] = l.target(e)
	}
	pos := l.start(target)
	start, end := rhs.Span()
	count := func(n int) syntax.Expr {
		return &syntax.Literal{Token: syntax.INT, TokenPos: pos, Raw: strconv.Itoa(n), Value: int64(n)}
	}
	return &syntax.TupleExpr{List: list}, l.call(UnpackFunc, start, end, rhs, count(star), count(len(elts)-star-1))
}

var augmentedTokens = map[pysyntax.Operator]syntax.Token{
	pysyntax.Add: syntax.PLUS_EQ, pysyntax.Sub: syntax.MINUS_EQ, pysyntax.Mult: syntax.STAR_EQ,
	pysyntax.Div: syntax.SLASH_EQ, pysyntax.FloorDiv: syntax.SLASHSLASH_EQ,
	pysyntax.BitAnd: syntax.AMP_EQ, pysyntax.BitOr: syntax.PIPE_EQ, pysyntax.BitXor: syntax.CIRCUMFLEX_EQ,
	pysyntax.LShift: syntax.LTLT_EQ, pysyntax.RShift: syntax.GTGT_EQ,
}

// augAssign lowers x OP= y; %= and **= become x = __mod__(x, y) and
// x = __pow__(x, y).
func (l *lowerer) augAssign(s *pysyntax.AugAssign) syntax.Stmt {
	opPos := l.token(s.Target, false)
	lhs := l.target(s.Target)
	rhs := l.expr(s.Value)
	switch s.Op {
	case pysyntax.Mod, pysyntax.Pow:
		helper := modFunc
		if s.Op == pysyntax.Pow {
			helper = powFunc
		}
		load := cloneTarget(lhs)
		return &syntax.AssignStmt{OpPos: opPos, Op: syntax.EQ, LHS: lhs, RHS: l.call(helper, opPos, syntax.End(rhs), load, rhs)}
	case pysyntax.MatMult:
		l.refuse(opPos, "matmul")
	}
	return &syntax.AssignStmt{OpPos: opPos, Op: augmentedTokens[s.Op], LHS: lhs, RHS: rhs}
}

// cloneTarget copies the top node of an augmented assignment's target,
// which %= and **= also read.
func cloneTarget(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case *syntax.Ident:
		c := *e
		return &c
	case *syntax.IndexExpr:
		c := *e
		return &c
	case *syntax.DotExpr:
		c := *e
		name := *e.Name
		c.Name = &name
		return &c
	}
	return e
}

func (l *lowerer) def(s *pysyntax.FunctionDef) *syntax.DefStmt {
	pos := l.start(s)
	if s.Async {
		l.refuse(pos, "async")
	}
	name := l.defName(s)
	l.registerKwonly(s.Name, s.Args)
	params := l.params(s.Args)
	savedClass := l.class // a function's body does not see its class body's names
	l.class = nil
	defer func() { l.class = savedClass }()
	lparen, rparen := l.defParens(s)
	var body []syntax.Stmt
	gen := isGenerator(s)
	if gen {
		body = l.generatorPrologue(s)
	}
	savedGen, savedSpread := l.inGenerator, l.spreadDef
	l.inGenerator, l.spreadDef = gen, s
	l.funcDepth++
	defer func() { l.inGenerator, l.spreadDef = savedGen, savedSpread; l.funcDepth-- }()
	if fs := l.scopes[s]; fs != nil {
		saved := l.scope
		l.scope = fs
		body = append(append(body, l.makeCells(fs, l.start(s.Body[0]))...), l.hoist(func() []syntax.Stmt { return l.stmts(s.Body) })...)
		defer func() { l.scope = saved }()
	} else {
		body = append(body, l.hoist(func() []syntax.Stmt { return l.stmts(s.Body) })...)
	}
	return &syntax.DefStmt{Def: pos, Name: name, Lparen: lparen, Params: params, Rparen: rparen, Body: body}
}

// registerKwonly tells the runtime which parameters of the function
// name are keyword-only, for CPython's message about missing arguments
// (py.MissingArgs).
func (l *lowerer) registerKwonly(name string, args *pysyntax.Arguments) {
	if args == nil || len(args.KwOnlyArgs) == 0 {
		return
	}
	names := make([]string, len(args.KwOnlyArgs))
	for i, a := range args.KwOnlyArgs {
		names[i] = a.Arg
	}
	py.RegisterKwonly(l.filename, name, names)
}

// defName is the name of a def, at its position after the keyword.
func (l *lowerer) defName(s *pysyntax.FunctionDef) *syntax.Ident {
	p := s.Span()
	i := l.offset(p.Lineno, p.ColOffset) + len("def")
	return l.ident(s.Name, l.posOf(l.blankAfter(i)))
}

// defParens are the positions of the parentheses of a def's parameters:
// the first '(' after its name, and the last ')' before its body's ':'
// (or its return annotation's "->").
func (l *lowerer) defParens(s *pysyntax.FunctionDef) (lparen, rparen syntax.Position) {
	p := s.Span()
	i := l.offset(p.Lineno, p.ColOffset)
	open := i + bytes.IndexByte(l.src[i:], '(')
	end := len(l.src)
	if s.Returns != nil {
		r := s.Returns.Span()
		end = l.offset(r.Lineno, r.ColOffset)
	} else if len(s.Body) > 0 {
		b := s.Body[0].Span()
		end = l.offset(b.Lineno, b.ColOffset)
	}
	closing := open
	if j := bytes.LastIndexByte(l.src[open:end], ')'); j >= 0 {
		closing = open + j
	}
	return l.posOf(open), l.posOf(closing)
}

// params lowers a parameter list: names, name=default, *args, *,
// keyword-only names, **kwargs.
func (l *lowerer) params(a *pysyntax.Arguments) []syntax.Expr {
	if len(a.PosOnlyArgs) > 0 {
		l.refuse(l.start(a.PosOnlyArgs[0]), "posonly")
	}
	var out []syntax.Expr
	nodefault := len(a.Args) - len(a.Defaults)
	for i, p := range a.Args {
		id := l.ident(p.Arg, l.start(p))
		if i < nodefault {
			out = append(out, id)
			continue
		}
		d := a.Defaults[i-nodefault]
		out = append(out, &syntax.BinaryExpr{X: id, OpPos: l.token(p, false), Op: syntax.EQ, Y: l.expr(d)})
	}
	if a.Vararg != nil {
		star := l.posOf(l.blankBefore(l.offset(a.Vararg.Lineno, a.Vararg.ColOffset)))
		out = append(out, &syntax.UnaryExpr{OpPos: star, Op: syntax.STAR, X: l.ident(a.Vararg.Arg, l.start(a.Vararg))})
	} else if len(a.KwOnlyArgs) > 0 { // a bare *, before the comma before the first keyword-only parameter
		comma := l.blankBefore(l.offset(a.KwOnlyArgs[0].Lineno, a.KwOnlyArgs[0].ColOffset))
		out = append(out, &syntax.UnaryExpr{OpPos: l.posOf(l.blankBefore(comma)), Op: syntax.STAR})
	}
	for i, p := range a.KwOnlyArgs {
		id := l.ident(p.Arg, l.start(p))
		if d := a.KwDefaults[i]; d != nil {
			out = append(out, &syntax.BinaryExpr{X: id, OpPos: l.token(p, false), Op: syntax.EQ, Y: l.expr(d)})
		} else {
			out = append(out, id)
		}
	}
	if a.Kwarg != nil {
		stars := l.posOf(l.blankBefore(l.offset(a.Kwarg.Lineno, a.Kwarg.ColOffset)) - 1)
		out = append(out, &syntax.UnaryExpr{OpPos: stars, Op: syntax.STARSTAR, X: l.ident(a.Kwarg.Arg, l.start(a.Kwarg))})
	}
	return out
}

// target lowers an assignment target.
func (l *lowerer) target(e pysyntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case *pysyntax.Name:
		return l.name(e.ID, l.start(e))
	case *pysyntax.Tuple:
		list := make([]syntax.Expr, len(e.Elts))
		for i, x := range e.Elts {
			list[i] = l.target(x)
		}
		t := &syntax.TupleExpr{List: list}
		if l.parenthesized(e) {
			return &syntax.ParenExpr{Lparen: l.start(e), X: t, Rparen: l.last(e)}
		}
		return t
	case *pysyntax.List:
		list := make([]syntax.Expr, len(e.Elts))
		for i, x := range e.Elts {
			list[i] = l.target(x)
		}
		return &syntax.ListExpr{Lbrack: l.start(e), List: list, Rbrack: l.last(e)}
	case *pysyntax.Attribute:
		return l.attribute(e, false)
	case *pysyntax.Subscript:
		return l.subscript(e)
	case *pysyntax.Starred:
		l.fail(l.start(e), "starred assignment target must be in a list or tuple")
	}
	l.fail(l.start(e), "kstar cannot assign to this")
	return nil
}

// parenthesized reports whether a tuple is written in parentheses.
func (l *lowerer) parenthesized(e *pysyntax.Tuple) bool {
	p := e.Span()
	i := l.offset(p.Lineno, p.ColOffset)
	return i < len(l.src) && l.src[i] == '('
}

// ---- expressions ----

var unaryTokens = [...]syntax.Token{pysyntax.Invert: syntax.TILDE, pysyntax.Not: syntax.NOT, pysyntax.UAdd: syntax.PLUS, pysyntax.USub: syntax.MINUS}

func (l *lowerer) exprs(list []pysyntax.Expr) []syntax.Expr {
	out := make([]syntax.Expr, len(list))
	for i, x := range list {
		out[i] = l.expr(x)
	}
	return out
}

// expr lowers an expression; one written in parentheses (other than a
// tuple's or a generator expression's own) is a ParenExpr, as Starlark's
// parser makes it.
func (l *lowerer) expr(e pysyntax.Expr) syntax.Expr {
	x := l.bareExpr(e)
	switch e.(type) {
	case *pysyntax.Tuple, *pysyntax.GeneratorExp:
		return x
	}
	p := e.Span()
	start, end := l.offset(p.Lineno, p.ColOffset), l.offset(p.EndLineno, p.EndColOffset)
	for {
		open, closing := l.blankBefore(start), l.blankAfter(end)
		if open < 0 || closing >= len(l.src) || l.src[open] != '(' || l.src[closing] != ')' || l.callParen(open) {
			return x
		}
		x = &syntax.ParenExpr{Lparen: l.posOf(open), X: x, Rparen: l.posOf(closing)}
		start, end = open, closing+1
	}
}

// blankBefore is the offset of the last character before i that is not
// blank, or -1.
func (l *lowerer) blankBefore(i int) int {
	for i--; i >= 0; i-- {
		if c := l.src[i]; c != ' ' && c != '\t' && c != '\n' && c != '\f' && c != '\\' {
			return i
		}
	}
	return -1
}

// blankAfter is the offset of the first character from i on that is not
// blank or a comment.
func (l *lowerer) blankAfter(i int) int {
	for ; i < len(l.src); i++ {
		switch l.src[i] {
		case ' ', '\t', '\n', '\f', '\\':
		case '#':
			for i < len(l.src) && l.src[i] != '\n' {
				i++
			}
			i--
		default:
			return i
		}
	}
	return i
}

// callParen reports whether the '(' at open opens a call's arguments: it
// follows a name that is not a keyword, a closing bracket or a string.
func (l *lowerer) callParen(open int) bool {
	i := l.blankBefore(open)
	if i < 0 {
		return false
	}
	switch c := l.src[i]; {
	case c == ')' || c == ']' || c == '}' || c == '\'' || c == '"':
		return true
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf:
		j := i
		for j > 0 && isWordByte(l.src[j-1]) {
			j--
		}
		return !pythonKeywords[string(l.src[j:i+1])]
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}

// pythonKeywords are the keywords after which '(' opens a parenthesised
// expression, not a call.
var pythonKeywords = map[string]bool{
	"and": true, "as": true, "assert": true, "await": true, "del": true, "elif": true, "else": true,
	"for": true, "from": true, "if": true, "import": true, "in": true, "is": true, "lambda": true,
	"not": true, "or": true, "raise": true, "return": true, "while": true, "with": true, "yield": true,
	"except": true, "case": true, "match": true,
}

func (l *lowerer) bareExpr(e pysyntax.Expr) syntax.Expr {
	pos := l.start(e)
	switch e := e.(type) {
	case *pysyntax.Name:
		if e.ID == "__name__" && !l.bindsDunderName() {
			return &syntax.Literal{Token: syntax.STRING, TokenPos: pos, Raw: "__name__", Value: "__main__"}
		}
		if x, ok := l.classLookup(e.ID, pos); ok {
			return x
		}
		return l.name(e.ID, pos)
	case *pysyntax.Constant:
		return l.constant(e, pos)
	case *pysyntax.JoinedStr:
		return l.fstring(e)
	case *pysyntax.BinOp:
		return l.binOp(e)
	case *pysyntax.UnaryOp:
		return &syntax.UnaryExpr{OpPos: pos, Op: unaryTokens[e.Op], X: l.expr(e.Operand)}
	case *pysyntax.BoolOp:
		op := syntax.AND
		if e.Op == pysyntax.Or {
			op = syntax.OR
		}
		x := l.expr(e.Values[0])
		for i, v := range e.Values[1:] {
			x = &syntax.BinaryExpr{X: x, OpPos: l.token(e.Values[i], false), Op: op, Y: l.expr(v)}
		}
		return x
	case *pysyntax.Compare:
		return l.compare(e)
	case *pysyntax.IfExp:
		return &syntax.CondExpr{If: l.token(e.Body, false), Cond: l.expr(e.Test), True: l.expr(e.Body), ElsePos: l.token(e.Test, false), False: l.expr(e.Orelse)}
	case *pysyntax.Call:
		if x, ok := l.zeroArgSuper(e); ok {
			return x
		}
		return l.callExpr(e)
	case *pysyntax.Attribute:
		return l.attribute(e, true)
	case *pysyntax.Subscript:
		return l.subscript(e)
	case *pysyntax.List:
		if hasStar(e.Elts) {
			return l.unpacked(e.Elts, pos, l.last(e))
		}
		return &syntax.ListExpr{Lbrack: pos, List: l.exprs(e.Elts), Rbrack: l.last(e)}
	case *pysyntax.Tuple:
		if hasStar(e.Elts) {
			return l.call("tuple", pos, l.last(e), l.unpacked(e.Elts, pos, l.last(e)))
		}
		t := &syntax.TupleExpr{List: l.exprs(e.Elts)}
		if l.parenthesized(e) {
			if len(e.Elts) > 0 {
				return &syntax.ParenExpr{Lparen: pos, X: t, Rparen: l.last(e)}
			}
			t.Lparen, t.Rparen = pos, l.last(e)
		}
		return t
	case *pysyntax.Dict:
		if hasNil(e.Keys) {
			return l.mergedDicts(e)
		}
		d := &syntax.DictExpr{Lbrace: pos, Rbrace: l.last(e)}
		for i, k := range e.Keys {
			key := l.expr(k)
			d.List = append(d.List, &syntax.DictEntry{Key: key, Colon: l.token(k, false), Value: l.expr(e.Values[i])})
		}
		return d
	case *pysyntax.Set:
		return l.set(e)
	case *pysyntax.ListComp, *pysyntax.DictComp, *pysyntax.GeneratorExp, *pysyntax.SetComp:
		return l.comprehension(e)
	case *pysyntax.Lambda:
		return l.lambda(e)
	case *pysyntax.Starred:
		l.fail(pos, "can't use starred expression here")
	case *pysyntax.NamedExpr:
		return l.namedExpr(e)
	case *pysyntax.Yield, *pysyntax.YieldFrom:
		return l.yield(e)
	case *pysyntax.Await:
		l.refuse(pos, "await")
	case *pysyntax.Slice:
		l.fail(pos, "invalid syntax")
	}
	l.fail(pos, "kstar does not support this expression")
	return nil
}

func (l *lowerer) constant(e *pysyntax.Constant, pos syntax.Position) syntax.Expr {
	switch v := e.Value.(type) {
	case nil:
		return l.ident("None", pos)
	case bool:
		if v {
			return l.ident("True", pos)
		}
		return l.ident("False", pos)
	case int64:
		return &syntax.Literal{Token: syntax.INT, TokenPos: pos, Raw: strconv.FormatInt(v, 10), Value: v}
	case *big.Int:
		return &syntax.Literal{Token: syntax.INT, TokenPos: pos, Raw: v.String(), Value: v}
	case float64:
		return &syntax.Literal{Token: syntax.FLOAT, TokenPos: pos, Raw: strconv.FormatFloat(v, 'g', -1, 64), Value: v}
	case string:
		return &syntax.Literal{Token: syntax.STRING, TokenPos: pos, Raw: strconv.Quote(v), Value: v}
	case pysyntax.Bytes:
		return l.bytesLiteral(v, pos)
	case complex128:
		l.refuse(pos, "complex")
	case pysyntax.EllipsisType:
		return l.ident("Ellipsis", pos)
	}
	l.fail(pos, "kstar does not support this literal")
	return nil
}

// attribute lowers x.NAME; for the Python methods Starlark's types lack
// (PyOnlyMethods) it is __getattr__(x, "NAME"), unless it is assigned.
func (l *lowerer) attribute(e *pysyntax.Attribute, load bool) syntax.Expr {
	x := l.expr(e.Value)
	dot := l.token(e.Value, false)
	p := e.Span()
	namePos := l.at(p.EndLineno, p.EndColOffset-len(e.Attr))
	if load && pyOnlyMethods[e.Attr] {
		return l.call(getAttrFunc, namePos, l.at(p.EndLineno, p.EndColOffset), x, strLiteral(e.Attr, namePos))
	}
	return &syntax.DotExpr{X: x, Dot: dot, Name: l.ident(e.Attr, namePos)}
}

func (l *lowerer) subscript(e *pysyntax.Subscript) syntax.Expr {
	x := l.expr(e.Value)
	lbrack := l.token(e.Value, false)
	rbrack := l.last(e)
	if s, ok := e.Slice.(*pysyntax.Slice); ok {
		out := &syntax.SliceExpr{X: x, Lbrack: lbrack, Rbrack: rbrack}
		if s.Lower != nil {
			out.Lo = l.expr(s.Lower)
		}
		if s.Upper != nil {
			out.Hi = l.expr(s.Upper)
		}
		if s.Step != nil {
			out.Step = l.expr(s.Step)
		}
		return out
	}
	if t, ok := e.Slice.(*pysyntax.Tuple); ok {
		for _, x := range t.Elts {
			if _, ok := x.(*pysyntax.Slice); ok {
				l.fail(l.start(x), "kstar does not support multi-dimensional slices")
			}
		}
	}
	return &syntax.IndexExpr{X: x, Lbrack: lbrack, Y: l.expr(e.Slice), Rbrack: rbrack}
}

// bindsName reports whether the module binds name itself (assignment,
// loop variable, function or parameter, import).
func bindsName(mod *pysyntax.Module, name string) bool {
	found := false
	target := func(e pysyntax.Expr) {
		for _, n := range targetNames(e, nil) {
			found = found || n == name
		}
	}
	args := func(a *pysyntax.Arguments) {
		for _, list := range [][]*pysyntax.Arg{a.PosOnlyArgs, a.Args, a.KwOnlyArgs, {a.Vararg, a.Kwarg}} {
			for _, p := range list {
				found = found || p != nil && p.Arg == name
			}
		}
	}
	inspect(mod, func(n pysyntax.Node) bool {
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
		case *pysyntax.Comprehension:
			target(n.Target)
		case *pysyntax.FunctionDef:
			found = found || n.Name == name
			args(n.Args)
		case *pysyntax.Lambda:
			args(n.Args)
		case *pysyntax.Alias:
			bound, _, _ := cutDot(n.Name)
			found = found || n.Asname == name || n.Asname == "" && bound == name
		case *pysyntax.ExceptHandler:
			found = found || n.Name == name
		}
		return !found
	})
	return found
}

// bindsDunderName reports whether the script binds __name__ itself, in
// which case __name__ is not the constant "__main__".
func (l *lowerer) bindsDunderName() bool {
	if l.nameBound == 0 {
		l.nameBound = 1
		if bindsName(l.mod, "__name__") {
			l.nameBound = 2
		}
	}
	return l.nameBound == 2
}

func startsWithWalrus(cond pysyntax.Expr) bool {
	_, _, ok := hoistWalrus(cond)
	return ok
}
