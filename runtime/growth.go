package runtime

import (
	"bytes"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// Starlark's * repeats a str, bytes, list or tuple in one allocation of
// up to 2^30 elements (16 GiB for a list), and its + concatenates, inside
// the interpreter, where no limit can look: [0] * (1 << 29) would end the
// host before the next step, and s = s + s doubles its memory at each
// step, faster than a watcher can stop it. So when executions have a
// memory limit, the operations that can grow a value by a factor ask the
// limit first:
//
//	x * y   becomes  __mul__(x, y)
//	x + y   becomes  __add__(x, y), unless x or y is a literal (s + "\n",
//	        n + 1, headers + [(k, v)] grow by a constant, which the
//	        watcher sees in time)
//	x *= y  becomes  x *= __grow__(x, y, "*"), and x += y likewise
//	        unless y is a literal (the target is read twice, as the front
//	        end does for %=), so that Starlark still applies the
//	        operator, in place for a list
//
// Each costs a builtin call (tens of nanoseconds).

// The helpers the operators become.
const (
	mulFunc  = "__mul__"
	addFunc  = "__add__"
	growFunc = "__grow__"
)

// growthHelpers are the predeclared helpers of guarded operators.
var growthHelpers = map[string]*starlark.Builtin{
	mulFunc:  py.Func(mulFunc, binaryGuarded(syntax.STAR)),
	addFunc:  py.Func(addFunc, binaryGuarded(syntax.PLUS)),
	growFunc: py.Func(growFunc, grow),
}

// parse parses src with the front end and, when executions have a memory
// limit, guards the operators that grow values. Source with a NUL byte is
// refused, as CPython refuses it (Starlark's scanner would take the NUL
// for the end of the file and run the source before it).
func (r *Runtime) parse(filename string, src []byte) (*syntax.File, error) {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := int32(bytes.Count(src[:i], []byte("\n")) + 1)
		col := int32(i - bytes.LastIndexByte(src[:i], '\n'))
		return nil, syntax.Error{Pos: syntax.MakePosition(&filename, line, col), Msg: "source code cannot contain null bytes"}
	}
	f, err := frontend.Parse(filename, src)
	if err == nil && r.maxMemory > 0 {
		guardGrowth(f)
	}
	return f, err
}

// guardGrowth rewrites f's operators that grow values (see above).
func guardGrowth(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ExprStmt:
			n.X = guard(n.X)
		case *syntax.IfStmt:
			n.Cond = guard(n.Cond)
		case *syntax.AssignStmt:
			if op, ok := augmentedGrowth[n.Op]; ok && !constantGrowth(n) {
				n.RHS = helperCall(growFunc, n.OpPos, copyTarget(n.LHS), n.RHS, &syntax.Literal{Token: syntax.STRING, TokenPos: n.OpPos, Raw: `"` + op + `"`, Value: op})
			}
			n.RHS = guard(n.RHS)
		case *syntax.ForStmt:
			n.X = guard(n.X)
		case *syntax.WhileStmt:
			n.Cond = guard(n.Cond)
		case *syntax.ReturnStmt:
			n.Result = guard(n.Result)
		case *syntax.ListExpr:
			guardAll(n.List)
		case *syntax.TupleExpr:
			guardAll(n.List)
		case *syntax.ParenExpr:
			n.X = guard(n.X)
		case *syntax.CondExpr:
			n.Cond, n.True, n.False = guard(n.Cond), guard(n.True), guard(n.False)
		case *syntax.IndexExpr:
			n.X, n.Y = guard(n.X), guard(n.Y)
		case *syntax.DictEntry:
			n.Key, n.Value = guard(n.Key), guard(n.Value)
		case *syntax.SliceExpr:
			n.X, n.Lo, n.Hi, n.Step = guard(n.X), guard(n.Lo), guard(n.Hi), guard(n.Step)
		case *syntax.Comprehension:
			n.Body = guard(n.Body)
		case *syntax.IfClause:
			n.Cond = guard(n.Cond)
		case *syntax.ForClause:
			n.X = guard(n.X)
		case *syntax.UnaryExpr:
			n.X = guard(n.X)
		case *syntax.BinaryExpr:
			n.X, n.Y = guard(n.X), guard(n.Y)
		case *syntax.DotExpr:
			n.X = guard(n.X)
		case *syntax.CallExpr:
			n.Fn = guard(n.Fn)
			guardAll(n.Args)
		case *syntax.LambdaExpr:
			n.Body = guard(n.Body)
		}
		return true
	})
}

// augmentedGrowth are the augmented assignments __grow__ checks, with
// their operator.
var augmentedGrowth = map[syntax.Token]string{syntax.STAR_EQ: "*", syntax.PLUS_EQ: "+"}

// constantGrowth reports whether x op= y cannot grow x by a factor:
// x += 1, s += "\n", l += [v], x *= 1.5.
func constantGrowth(s *syntax.AssignStmt) bool {
	if s.Op == syntax.PLUS_EQ {
		return isDisplay(s.RHS)
	}
	return isFloatLiteral(s.RHS)
}

func guardAll(list []syntax.Expr) {
	for i, x := range list {
		list[i] = guard(x)
	}
}

// guard returns the guarded form of e when e is x * y or x + y (see
// above), and e otherwise (nil too).
func guard(e syntax.Expr) syntax.Expr {
	b, ok := e.(*syntax.BinaryExpr)
	switch {
	case !ok:
		return e
	case b.Op == syntax.STAR && !isFloatLiteral(b.X) && !isFloatLiteral(b.Y):
		return helperCall(mulFunc, b.OpPos, b.X, b.Y)
	case b.Op == syntax.PLUS && !isDisplay(b.X) && !isDisplay(b.Y):
		return helperCall(addFunc, b.OpPos, b.X, b.Y)
	}
	return e
}

// isDisplay reports whether e is a literal (a bytes literal's constant
// too) or a list, tuple or dict display: what it adds to a value is a
// constant.
func isDisplay(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Literal, *syntax.ListExpr, *syntax.TupleExpr, *syntax.DictExpr:
		return true
	case *syntax.Ident:
		return frontend.IsBytesLiteral(e.Name)
	case *syntax.UnaryExpr:
		return isDisplay(e.X)
	case *syntax.ParenExpr:
		return isDisplay(e.X)
	}
	return false
}

// isFloatLiteral reports whether e is a float literal: nothing repeats
// by it.
func isFloatLiteral(e syntax.Expr) bool {
	lit, ok := e.(*syntax.Literal)
	return ok && lit.Token == syntax.FLOAT
}

// helperCall is name(args...) at an operator's position, where Starlark
// reports the operator's errors.
func helperCall(name string, pos syntax.Position, args ...syntax.Expr) *syntax.CallExpr {
	_, end := args[len(args)-1].Span()
	return &syntax.CallExpr{Fn: &syntax.Ident{NamePos: pos, Name: name}, Lparen: pos, Args: args, Rparen: end}
}

// copyTarget copies the top node of an augmented assignment's target,
// which the rewritten assignment also reads (as the front end does for
// %=).
func copyTarget(e syntax.Expr) syntax.Expr {
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

// binaryGuarded is the helper of operator op: x op y, refused with
// MemoryError when it would take the execution past its memory limit.
func binaryGuarded(op syntax.Token) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) != 2 || len(kwargs) != 0 {
			return nil, py.Errorf(py.TypeError, "%s() takes 2 arguments", b.Name())
		}
		if err := reserveGrowth(thread, op, args[0], args[1]); err != nil {
			return nil, err
		}
		return starlark.Binary(op, args[0], args[1])
	}
}

// grow is __grow__(x, y, op), the check of x op= y: it returns y once
// the memory for x op y is granted.
func grow(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 3 || len(kwargs) != 0 {
		return nil, py.Errorf(py.TypeError, "%s() takes 3 arguments", b.Name())
	}
	op := syntax.PLUS
	if args[2] == starlark.String("*") {
		op = syntax.STAR
	}
	if err := reserveGrowth(thread, op, args[0], args[1]); err != nil {
		return nil, err
	}
	return args[1], nil
}

// reserveGrowth asks the execution's memory limit for the result of
// x op y, when it is large.
func reserveGrowth(thread *starlark.Thread, op syntax.Token, x, y starlark.Value) error {
	var n int64
	if op == syntax.STAR {
		if err := checkProduct(x, y); err != nil {
			return err
		}
		n = repetitionSize(x, y)
	} else {
		n = sequenceSize(x) + sequenceSize(y)
	}
	if n < minReserve {
		return nil
	}
	return py.Reserve(thread, n)
}

// MaxProductBits bounds the size of an int product in an execution with
// a memory limit: a multiplication runs in one step, whose time grows
// faster than its size (x = x * x would run for minutes past 2^30 bits).
const MaxProductBits = 1 << 24

// checkProduct refuses x * y of two ints whose product would have more
// than MaxProductBits bits.
func checkProduct(x, y starlark.Value) error {
	xi, ok1 := x.(starlark.Int)
	yi, ok2 := y.(starlark.Int)
	if !ok1 || !ok2 {
		return nil
	}
	if _, ok := xi.Int64(); ok {
		if _, ok := yi.Int64(); ok {
			return nil
		}
	}
	if bits := xi.BigInt().BitLen() + yi.BigInt().BitLen(); bits > MaxProductBits {
		return py.Errorf(py.OverflowError, "int too large: the product would have %d bits, more than the limit of %d", bits, MaxProductBits)
	}
	return nil
}

// minReserve is the smallest result the operators ask the memory limit
// for: smaller ones the watcher sees in time.
const minReserve = 1 << 16

// sequenceSize is the size in bytes of a str, bytes, list or tuple (a
// list or tuple element takes 16 bytes), 0 for other values.
func sequenceSize(v starlark.Value) int64 {
	switch v := v.(type) {
	case starlark.String:
		return int64(len(v))
	case py.Bytes:
		return int64(len(v))
	case *starlark.List:
		return 16 * int64(v.Len())
	case starlark.Tuple:
		return 16 * int64(len(v))
	}
	return 0
}

// repetitionSize is the size in bytes of x * y when it repeats a
// sequence (0 otherwise): a list or tuple element takes 16 bytes.
func repetitionSize(x, y starlark.Value) int64 {
	n, ok := y.(starlark.Int)
	seq := x
	if !ok {
		if n, ok = x.(starlark.Int); !ok {
			return 0
		}
		seq = y
	}
	var size, elem int64
	switch s := seq.(type) {
	case starlark.String:
		size, elem = int64(len(s)), 1
	case py.Bytes:
		size, elem = int64(len(s)), 1
	case *starlark.List:
		size, elem = int64(s.Len()), 16
	case starlark.Tuple:
		size, elem = int64(len(s)), 16
	default:
		return 0
	}
	count, ok := n.Int64()
	if !ok || count > 1<<40 {
		count = 1 << 40 // Starlark refuses such counts itself
	}
	if size == 0 || count <= 1 {
		return 0
	}
	if count > (1<<62)/(size*elem) {
		return 1 << 62
	}
	return size * elem * count
}
