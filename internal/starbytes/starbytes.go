// Package starbytes makes the bytes literals of Starlark text Python's
// bytes, for the tests that run Starlark text rather than a script the
// front end lowered: Starlark's b'...' is a Starlark bytes value, whose
// items are bytes, where a script's is a py.Bytes.
package starbytes

import (
	"reflect"
	"strconv"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Func is the predeclared helper (py.BytesFunc) that makes a py.Bytes of
// a str; this package cannot import builtins/py, whose tests use it.
const Func = "__bytes_lit__"

// ExecFile is starlark.ExecFileOptions with each bytes literal of src a
// call of Func.
func ExecFile(opts *syntax.FileOptions, thread *starlark.Thread, filename, src string, predeclared starlark.StringDict) (starlark.StringDict, error) {
	f, err := opts.Parse(filename, src, 0)
	if err != nil {
		return nil, err
	}
	Rewrite(f)
	prog, err := starlark.FileProgram(f, predeclared.Has)
	if err != nil {
		return nil, err
	}
	g, err := prog.Init(thread, predeclared)
	g.Freeze()
	return g, err
}

// Eval is starlark.EvalOptions with each bytes literal of expr a call of
// Func.
func Eval(opts *syntax.FileOptions, thread *starlark.Thread, filename, expr string, env starlark.StringDict) (starlark.Value, error) {
	e, err := opts.ParseExpr(filename, expr, 0)
	if err != nil {
		return nil, err
	}
	var holder struct{ X syntax.Expr }
	holder.X = e
	Rewrite(&holder)
	return starlark.EvalExprOptions(opts, thread, holder.X, env)
}

var exprType = reflect.TypeFor[syntax.Expr]()

// Rewrite replaces each bytes literal under node (a pointer to a syntax
// tree, not yet resolved) by a call of Func with its content.
func Rewrite(node any) { rewrite(reflect.ValueOf(node)) }

func rewrite(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			rewrite(v.Elem())
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if lit, ok := v.Interface().(*syntax.Literal); ok && lit.Token == syntax.BYTES && v.Type() == exprType && v.CanSet() {
			s := lit.Value.(string)
			arg := &syntax.Literal{Token: syntax.STRING, TokenPos: lit.TokenPos, Raw: strconv.Quote(s), Value: s}
			v.Set(reflect.ValueOf(&syntax.CallExpr{Fn: &syntax.Ident{NamePos: lit.TokenPos, Name: Func}, Lparen: lit.TokenPos, Args: []syntax.Expr{arg}, Rparen: lit.TokenPos}))
			return
		}
		rewrite(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				rewrite(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			rewrite(v.Index(i))
		}
	}
}
