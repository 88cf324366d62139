// Package pysyntax scans and parses Python 3.11 source into a syntax tree
// whose node types, field names and field order are those of CPython's ast
// module, so that Dump(tree) prints what ast.dump(ast.parse(src)) prints.
//
// Positions follow CPython: lines count from 1, column offsets count UTF-8
// bytes from 0, and end positions are exclusive.
package pysyntax

// Pos is the source span of a node: CPython's lineno, col_offset,
// end_lineno and end_col_offset attributes.
type Pos struct {
	Lineno, ColOffset, EndLineno, EndColOffset int
}

// Span returns the node's position; every located node embeds Pos.
func (p *Pos) Span() *Pos { return p }

// Node is any syntax tree node.
type Node interface{ pyNode() }

// Located is a node with a source position (statements, expressions,
// patterns, arguments, keywords, aliases and except handlers).
type Located interface {
	Node
	Span() *Pos
}

// Stmt is a statement node (CPython's ast.stmt).
type Stmt interface {
	Located
	stmtNode()
}

// Expr is an expression node (CPython's ast.expr).
type Expr interface {
	Located
	exprNode()
}

// Pattern is a match-statement pattern node (CPython's ast.pattern).
type Pattern interface {
	Located
	patternNode()
}

// Module is the tree of a whole file (ast.Module). Type comments are not
// collected, so its type_ignores field is always empty.
type Module struct {
	Body []Stmt `py:"body"`
}

// ---- statements ----

// FunctionDef is a def statement (or async def when Async is set:
// ast.AsyncFunctionDef).
type FunctionDef struct {
	Pos
	Async         bool       `py:"-"`
	Name          string     `py:"name"`
	Args          *Arguments `py:"args"`
	Body          []Stmt     `py:"body"`
	DecoratorList []Expr     `py:"decorator_list"`
	Returns       Expr       `py:"returns,opt"`
}

// ClassDef is a class statement.
type ClassDef struct {
	Pos
	Name          string     `py:"name"`
	Bases         []Expr     `py:"bases"`
	Keywords      []*Keyword `py:"keywords"`
	Body          []Stmt     `py:"body"`
	DecoratorList []Expr     `py:"decorator_list"`
}

// Return is a return statement.
type Return struct {
	Pos
	Value Expr `py:"value,opt"`
}

// Delete is a del statement.
type Delete struct {
	Pos
	Targets []Expr `py:"targets"`
}

// Assign is an assignment, with one target per '='.
type Assign struct {
	Pos
	Targets []Expr `py:"targets"`
	Value   Expr   `py:"value"`
}

// AugAssign is an augmented assignment such as x += 1.
type AugAssign struct {
	Pos
	Target Expr     `py:"target"`
	Op     Operator `py:"op"`
	Value  Expr     `py:"value"`
}

// AnnAssign is an annotated assignment; Simple is 1 for an unparenthesized
// name target.
type AnnAssign struct {
	Pos
	Target     Expr `py:"target"`
	Annotation Expr `py:"annotation"`
	Value      Expr `py:"value,opt"`
	Simple     int  `py:"simple"`
}

// For is a for statement (ast.AsyncFor when Async is set).
type For struct {
	Pos
	Async  bool   `py:"-"`
	Target Expr   `py:"target"`
	Iter   Expr   `py:"iter"`
	Body   []Stmt `py:"body"`
	Orelse []Stmt `py:"orelse"`
}

// While is a while statement.
type While struct {
	Pos
	Test   Expr   `py:"test"`
	Body   []Stmt `py:"body"`
	Orelse []Stmt `py:"orelse"`
}

// If is an if statement; an elif is an If alone in Orelse.
type If struct {
	Pos
	Test   Expr   `py:"test"`
	Body   []Stmt `py:"body"`
	Orelse []Stmt `py:"orelse"`
}

// With is a with statement (ast.AsyncWith when Async is set).
type With struct {
	Pos
	Async bool        `py:"-"`
	Items []*WithItem `py:"items"`
	Body  []Stmt      `py:"body"`
}

// Match is a match statement.
type Match struct {
	Pos
	Subject Expr         `py:"subject"`
	Cases   []*MatchCase `py:"cases"`
}

// Raise is a raise statement.
type Raise struct {
	Pos
	Exc   Expr `py:"exc,opt"`
	Cause Expr `py:"cause,opt"`
}

// Try is a try statement (ast.TryStar when Star is set: except* clauses).
type Try struct {
	Pos
	Star      bool             `py:"-"`
	Body      []Stmt           `py:"body"`
	Handlers  []*ExceptHandler `py:"handlers"`
	Orelse    []Stmt           `py:"orelse"`
	Finalbody []Stmt           `py:"finalbody"`
}

// Assert is an assert statement.
type Assert struct {
	Pos
	Test Expr `py:"test"`
	Msg  Expr `py:"msg,opt"`
}

// Import is an import statement.
type Import struct {
	Pos
	Names []*Alias `py:"names"`
}

// ImportFrom is a from ... import statement; Module is "" for "from . import x".
type ImportFrom struct {
	Pos
	Module string   `py:"module,opt"`
	Names  []*Alias `py:"names"`
	Level  int      `py:"level"`
}

// Global is a global statement.
type Global struct {
	Pos
	Names []string `py:"names"`
}

// Nonlocal is a nonlocal statement.
type Nonlocal struct {
	Pos
	Names []string `py:"names"`
}

// ExprStmt is an expression statement (ast.Expr).
type ExprStmt struct {
	Pos
	Value Expr `py:"value"`
}

// Pass is a pass statement.
type Pass struct{ Pos }

// Break is a break statement.
type Break struct{ Pos }

// Continue is a continue statement.
type Continue struct{ Pos }

// ---- expressions ----

// BoolOp is a chain of and or of or operations with the same operator.
type BoolOp struct {
	Pos
	Op     BoolOperator `py:"op"`
	Values []Expr       `py:"values"`
}

// NamedExpr is an assignment expression (walrus): Target := Value.
type NamedExpr struct {
	Pos
	Target Expr `py:"target"`
	Value  Expr `py:"value"`
}

// BinOp is a binary operation.
type BinOp struct {
	Pos
	Left  Expr     `py:"left"`
	Op    Operator `py:"op"`
	Right Expr     `py:"right"`
}

// UnaryOp is a unary operation.
type UnaryOp struct {
	Pos
	Op      UnaryOperator `py:"op"`
	Operand Expr          `py:"operand"`
}

// Lambda is a lambda expression.
type Lambda struct {
	Pos
	Args *Arguments `py:"args"`
	Body Expr       `py:"body"`
}

// IfExp is a conditional expression: Body if Test else Orelse.
type IfExp struct {
	Pos
	Test   Expr `py:"test"`
	Body   Expr `py:"body"`
	Orelse Expr `py:"orelse"`
}

// Dict is a dict display; a nil key marks a **mapping entry.
type Dict struct {
	Pos
	Keys   []Expr `py:"keys"`
	Values []Expr `py:"values"`
}

// Set is a set display.
type Set struct {
	Pos
	Elts []Expr `py:"elts"`
}

// ListComp is a list comprehension.
type ListComp struct {
	Pos
	Elt        Expr             `py:"elt"`
	Generators []*Comprehension `py:"generators"`
}

// SetComp is a set comprehension.
type SetComp struct {
	Pos
	Elt        Expr             `py:"elt"`
	Generators []*Comprehension `py:"generators"`
}

// DictComp is a dict comprehension.
type DictComp struct {
	Pos
	Key        Expr             `py:"key"`
	Value      Expr             `py:"value"`
	Generators []*Comprehension `py:"generators"`
}

// GeneratorExp is a generator expression.
type GeneratorExp struct {
	Pos
	Elt        Expr             `py:"elt"`
	Generators []*Comprehension `py:"generators"`
}

// Await is an await expression.
type Await struct {
	Pos
	Value Expr `py:"value"`
}

// Yield is a yield expression.
type Yield struct {
	Pos
	Value Expr `py:"value,opt"`
}

// YieldFrom is a yield from expression.
type YieldFrom struct {
	Pos
	Value Expr `py:"value"`
}

// Compare is a comparison chain: Left Ops[0] Comparators[0] Ops[1] ...
type Compare struct {
	Pos
	Left        Expr          `py:"left"`
	Ops         []CmpOperator `py:"ops"`
	Comparators []Expr        `py:"comparators"`
}

// Call is a function call.
type Call struct {
	Pos
	Func     Expr       `py:"func"`
	Args     []Expr     `py:"args"`
	Keywords []*Keyword `py:"keywords"`
}

// FormattedValue is a replacement field of an f-string. Conversion is -1
// (none) or the code point of 's', 'r' or 'a'.
type FormattedValue struct {
	Pos
	Value      Expr       `py:"value"`
	Conversion int        `py:"conversion"`
	FormatSpec *JoinedStr `py:"format_spec,opt"`
}

// JoinedStr is an f-string: Constant and FormattedValue parts.
type JoinedStr struct {
	Pos
	Values []Expr `py:"values"`
}

// Constant is a literal. Value holds nil (None), bool, int64, *big.Int,
// float64, complex128, string (str, with lone surrogates encoded as in
// WTF-8), Bytes, or Ellipsis. Kind is "u" for a u-prefixed string.
type Constant struct {
	Pos
	Value any    `py:"value"`
	Kind  string `py:"kind,opt"`
}

// Bytes is the value of a bytes literal.
type Bytes string

// EllipsisType is the type of the Ellipsis constant (...).
type EllipsisType struct{}

// Ellipsis is the value of the literal ...
var Ellipsis = EllipsisType{}

// Attribute is Value.Attr.
type Attribute struct {
	Pos
	Value Expr        `py:"value"`
	Attr  string      `py:"attr"`
	Ctx   ExprContext `py:"ctx"`
}

// Subscript is Value[Slice].
type Subscript struct {
	Pos
	Value Expr        `py:"value"`
	Slice Expr        `py:"slice"`
	Ctx   ExprContext `py:"ctx"`
}

// Starred is *Value.
type Starred struct {
	Pos
	Value Expr        `py:"value"`
	Ctx   ExprContext `py:"ctx"`
}

// Name is an identifier.
type Name struct {
	Pos
	ID  string      `py:"id"`
	Ctx ExprContext `py:"ctx"`
}

// List is a list display or target.
type List struct {
	Pos
	Elts []Expr      `py:"elts"`
	Ctx  ExprContext `py:"ctx"`
}

// Tuple is a tuple display or target.
type Tuple struct {
	Pos
	Elts []Expr      `py:"elts"`
	Ctx  ExprContext `py:"ctx"`
}

// Slice is lower:upper:step inside a subscript.
type Slice struct {
	Pos
	Lower Expr `py:"lower,opt"`
	Upper Expr `py:"upper,opt"`
	Step  Expr `py:"step,opt"`
}

// ---- other nodes ----

// Comprehension is one for clause of a comprehension, with its ifs.
type Comprehension struct {
	Target  Expr   `py:"target"`
	Iter    Expr   `py:"iter"`
	Ifs     []Expr `py:"ifs"`
	IsAsync int    `py:"is_async"`
}

// ExceptHandler is an except clause; Type is nil for a bare except.
type ExceptHandler struct {
	Pos
	Type Expr   `py:"type,opt"`
	Name string `py:"name,opt"`
	Body []Stmt `py:"body"`
}

// Arguments is the parameter list of a def or lambda. KwDefaults has one
// entry per KwOnlyArgs entry, nil where there is no default.
type Arguments struct {
	PosOnlyArgs []*Arg `py:"posonlyargs"`
	Args        []*Arg `py:"args"`
	Vararg      *Arg   `py:"vararg,opt"`
	KwOnlyArgs  []*Arg `py:"kwonlyargs"`
	KwDefaults  []Expr `py:"kw_defaults"`
	Kwarg       *Arg   `py:"kwarg,opt"`
	Defaults    []Expr `py:"defaults"`
}

// Arg is one parameter.
type Arg struct {
	Pos
	Arg        string `py:"arg"`
	Annotation Expr   `py:"annotation,opt"`
}

// Keyword is a keyword argument; Arg is "" for **mapping.
type Keyword struct {
	Pos
	Arg   string `py:"arg,opt"`
	Value Expr   `py:"value"`
}

// Alias is one name of an import statement.
type Alias struct {
	Pos
	Name   string `py:"name"`
	Asname string `py:"asname,opt"`
}

// WithItem is one context manager of a with statement.
type WithItem struct {
	ContextExpr  Expr `py:"context_expr"`
	OptionalVars Expr `py:"optional_vars,opt"`
}

// MatchCase is one case block of a match statement.
type MatchCase struct {
	Pattern Pattern `py:"pattern"`
	Guard   Expr    `py:"guard,opt"`
	Body    []Stmt  `py:"body"`
}

// ---- patterns ----

// MatchValue matches a value compared with ==.
type MatchValue struct {
	Pos
	Value Expr `py:"value"`
}

// MatchSingleton matches None, True or False by identity.
type MatchSingleton struct {
	Pos
	Value any `py:"value"`
}

// MatchSequence matches a sequence.
type MatchSequence struct {
	Pos
	Patterns []Pattern `py:"patterns"`
}

// MatchMapping matches a mapping; Rest is the **rest capture or "".
type MatchMapping struct {
	Pos
	Keys     []Expr    `py:"keys"`
	Patterns []Pattern `py:"patterns"`
	Rest     string    `py:"rest,opt"`
}

// MatchClass matches an instance of Cls with positional and keyword
// sub-patterns.
type MatchClass struct {
	Pos
	Cls         Expr      `py:"cls"`
	Patterns    []Pattern `py:"patterns"`
	KwdAttrs    []string  `py:"kwd_attrs"`
	KwdPatterns []Pattern `py:"kwd_patterns"`
}

// MatchStar is *name (or *_ when Name is "") in a sequence pattern.
type MatchStar struct {
	Pos
	Name string `py:"name,opt"`
}

// MatchAs is a capture (Pattern nil), "pattern as name", or the wildcard _
// (both empty).
type MatchAs struct {
	Pos
	Pattern Pattern `py:"pattern,opt"`
	Name    string  `py:"name,opt"`
}

// MatchOr is an alternation of patterns.
type MatchOr struct {
	Pos
	Patterns []Pattern `py:"patterns"`
}

// ---- operators and contexts ----

// ExprContext says whether a name, attribute, subscript, starred, list or
// tuple is read, assigned or deleted.
type ExprContext uint8

// Expression contexts.
const (
	Load ExprContext = iota
	Store
	Del
)

// BoolOperator is and or or.
type BoolOperator uint8

// Boolean operators.
const (
	And BoolOperator = iota
	Or
)

// Operator is a binary operator.
type Operator uint8

// Binary operators.
const (
	Add Operator = iota
	Sub
	Mult
	MatMult
	Div
	Mod
	Pow
	LShift
	RShift
	BitOr
	BitXor
	BitAnd
	FloorDiv
)

// UnaryOperator is a unary operator.
type UnaryOperator uint8

// Unary operators.
const (
	Invert UnaryOperator = iota
	Not
	UAdd
	USub
)

// CmpOperator is a comparison operator.
type CmpOperator uint8

// Comparison operators.
const (
	Eq CmpOperator = iota
	NotEq
	Lt
	LtE
	Gt
	GtE
	Is
	IsNot
	In
	NotIn
)

var (
	exprContextNames = [...]string{"Load", "Store", "Del"}
	boolOpNames      = [...]string{"And", "Or"}
	operatorNames    = [...]string{"Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "FloorDiv"}
	unaryOpNames     = [...]string{"Invert", "Not", "UAdd", "USub"}
	cmpOpNames       = [...]string{"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"}
)

// String returns the CPython class name (Load, Store, Del).
func (c ExprContext) String() string { return exprContextNames[c] }

// String returns the CPython class name (And, Or).
func (o BoolOperator) String() string { return boolOpNames[o] }

// String returns the CPython class name (Add, Sub, ...).
func (o Operator) String() string { return operatorNames[o] }

// String returns the CPython class name (Invert, Not, UAdd, USub).
func (o UnaryOperator) String() string { return unaryOpNames[o] }

// String returns the CPython class name (Eq, NotEq, ...).
func (o CmpOperator) String() string { return cmpOpNames[o] }

func (*Module) pyNode()         {}
func (*FunctionDef) pyNode()    {}
func (*ClassDef) pyNode()       {}
func (*Return) pyNode()         {}
func (*Delete) pyNode()         {}
func (*Assign) pyNode()         {}
func (*AugAssign) pyNode()      {}
func (*AnnAssign) pyNode()      {}
func (*For) pyNode()            {}
func (*While) pyNode()          {}
func (*If) pyNode()             {}
func (*With) pyNode()           {}
func (*Match) pyNode()          {}
func (*Raise) pyNode()          {}
func (*Try) pyNode()            {}
func (*Assert) pyNode()         {}
func (*Import) pyNode()         {}
func (*ImportFrom) pyNode()     {}
func (*Global) pyNode()         {}
func (*Nonlocal) pyNode()       {}
func (*ExprStmt) pyNode()       {}
func (*Pass) pyNode()           {}
func (*Break) pyNode()          {}
func (*Continue) pyNode()       {}
func (*BoolOp) pyNode()         {}
func (*NamedExpr) pyNode()      {}
func (*BinOp) pyNode()          {}
func (*UnaryOp) pyNode()        {}
func (*Lambda) pyNode()         {}
func (*IfExp) pyNode()          {}
func (*Dict) pyNode()           {}
func (*Set) pyNode()            {}
func (*ListComp) pyNode()       {}
func (*SetComp) pyNode()        {}
func (*DictComp) pyNode()       {}
func (*GeneratorExp) pyNode()   {}
func (*Await) pyNode()          {}
func (*Yield) pyNode()          {}
func (*YieldFrom) pyNode()      {}
func (*Compare) pyNode()        {}
func (*Call) pyNode()           {}
func (*FormattedValue) pyNode() {}
func (*JoinedStr) pyNode()      {}
func (*Constant) pyNode()       {}
func (*Attribute) pyNode()      {}
func (*Subscript) pyNode()      {}
func (*Starred) pyNode()        {}
func (*Name) pyNode()           {}
func (*List) pyNode()           {}
func (*Tuple) pyNode()          {}
func (*Slice) pyNode()          {}
func (*Comprehension) pyNode()  {}
func (*ExceptHandler) pyNode()  {}
func (*Arguments) pyNode()      {}
func (*Arg) pyNode()            {}
func (*Keyword) pyNode()        {}
func (*Alias) pyNode()          {}
func (*WithItem) pyNode()       {}
func (*MatchCase) pyNode()      {}
func (*MatchValue) pyNode()     {}
func (*MatchSingleton) pyNode() {}
func (*MatchSequence) pyNode()  {}
func (*MatchMapping) pyNode()   {}
func (*MatchClass) pyNode()     {}
func (*MatchStar) pyNode()      {}
func (*MatchAs) pyNode()        {}
func (*MatchOr) pyNode()        {}

func (*FunctionDef) stmtNode() {}
func (*ClassDef) stmtNode()    {}
func (*Return) stmtNode()      {}
func (*Delete) stmtNode()      {}
func (*Assign) stmtNode()      {}
func (*AugAssign) stmtNode()   {}
func (*AnnAssign) stmtNode()   {}
func (*For) stmtNode()         {}
func (*While) stmtNode()       {}
func (*If) stmtNode()          {}
func (*With) stmtNode()        {}
func (*Match) stmtNode()       {}
func (*Raise) stmtNode()       {}
func (*Try) stmtNode()         {}
func (*Assert) stmtNode()      {}
func (*Import) stmtNode()      {}
func (*ImportFrom) stmtNode()  {}
func (*Global) stmtNode()      {}
func (*Nonlocal) stmtNode()    {}
func (*ExprStmt) stmtNode()    {}
func (*Pass) stmtNode()        {}
func (*Break) stmtNode()       {}
func (*Continue) stmtNode()    {}

func (*BoolOp) exprNode()         {}
func (*NamedExpr) exprNode()      {}
func (*BinOp) exprNode()          {}
func (*UnaryOp) exprNode()        {}
func (*Lambda) exprNode()         {}
func (*IfExp) exprNode()          {}
func (*Dict) exprNode()           {}
func (*Set) exprNode()            {}
func (*ListComp) exprNode()       {}
func (*SetComp) exprNode()        {}
func (*DictComp) exprNode()       {}
func (*GeneratorExp) exprNode()   {}
func (*Await) exprNode()          {}
func (*Yield) exprNode()          {}
func (*YieldFrom) exprNode()      {}
func (*Compare) exprNode()        {}
func (*Call) exprNode()           {}
func (*FormattedValue) exprNode() {}
func (*JoinedStr) exprNode()      {}
func (*Constant) exprNode()       {}
func (*Attribute) exprNode()      {}
func (*Subscript) exprNode()      {}
func (*Starred) exprNode()        {}
func (*Name) exprNode()           {}
func (*List) exprNode()           {}
func (*Tuple) exprNode()          {}
func (*Slice) exprNode()          {}

func (*MatchValue) patternNode()     {}
func (*MatchSingleton) patternNode() {}
func (*MatchSequence) patternNode()  {}
func (*MatchMapping) patternNode()   {}
func (*MatchClass) patternNode()     {}
func (*MatchStar) patternNode()      {}
func (*MatchAs) patternNode()        {}
func (*MatchOr) patternNode()        {}
