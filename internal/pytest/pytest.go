// Package pytest holds what the tests of the Python core's modules share:
// evaluating an expression as a kstar script would, with the modules it
// uses, and rendering the outcome as Python shows it. It imports only
// builtins/py, so that any module's tests can use it.
package pytest

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/starbytes"
)

// FileOptions is the dialect kstar scripts get.
var FileOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

// Eval evaluates a Starlark expression with the core's globals, the
// top-level modules of modules (json, time, ...; a module the expression
// uses and the test did not pass is a NameError) and extras predeclared,
// on a thread with env attached.
func Eval(env *py.Env, modules map[string]starlark.Value, expr string, extras ...starlark.StringDict) (starlark.Value, error) {
	thread := &starlark.Thread{Name: "test"}
	env.Attach(thread)
	predeclared := py.Globals()
	for _, extra := range extras {
		for k, v := range extra {
			predeclared[k] = v
		}
	}
	for name, m := range modules {
		if !strings.Contains(name, ".") {
			predeclared[name] = m
		}
	}
	return starbytes.Eval(FileOptions, thread, "test.star", expr, predeclared)
}

// Outcome renders an evaluation as its Python repr, or "Class: message"
// for an exception (Starlark's own errors keep their text).
func Outcome(v starlark.Value, err error) string {
	if err != nil {
		if e := py.AsException(err); e != nil {
			return e.Error()
		}
		if evalErr, ok := err.(*starlark.EvalError); ok {
			return evalErr.Msg
		}
		return err.Error()
	}
	return py.Repr(v)
}

// Case is an expression and what evaluating it must give, in Outcome's
// form: {expr, want}.
type Case [2]string

// RunCases evaluates every case with Eval and fails for each whose
// outcome differs.
func RunCases(t *testing.T, env *py.Env, modules map[string]starlark.Value, cases []Case) {
	t.Helper()
	for _, c := range cases {
		if got := Outcome(Eval(env, modules, c[0])); got != c[1] {
			t.Errorf("%s\n got: %s\nwant: %s", c[0], got, c[1])
		}
	}
}

// MethodsOf returns obj's bound methods by name, as dir(obj) lists them.
func MethodsOf(t *testing.T, obj starlark.HasAttrs) map[string]*starlark.Builtin {
	t.Helper()
	methods := map[string]*starlark.Builtin{}
	for _, name := range obj.AttrNames() {
		v, err := obj.Attr(name)
		if err != nil {
			t.Fatalf("%s.%s: %v", py.TypeName(obj), name, err)
		}
		if b, ok := v.(*starlark.Builtin); ok {
			methods[name] = b
		}
	}
	return methods
}

// CheckMethodHelps fails for a method of typeName that index does not
// document, and for an entry of typeName in index that is no method.
func CheckMethodHelps(t *testing.T, index *py.HelpIndex, typeName string, methods map[string]*starlark.Builtin) {
	t.Helper()
	if len(methods) == 0 {
		t.Fatalf("%s: no methods found", typeName)
	}
	for name, b := range methods {
		if key := index.Key(b); key != typeName+"."+name {
			t.Errorf("%s.%s: help key %q", typeName, name, key)
		} else if _, ok := index.Entry(key); !ok {
			t.Errorf("%s.%s: no help entry", typeName, name)
		}
	}
	for _, key := range index.Keys() {
		if name, ok := strings.CutPrefix(key, typeName+"."); ok && methods[name] == nil {
			t.Errorf("help entry %q: %s has no such method", key, typeName)
		}
	}
}
