package runtime

import (
	"errors"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// compileScript compiles a script's syntax tree so that a name undefined
// at compile time is a NameError only when the line that reads it runs,
// as in CPython (def f(): log.error(...) with log undefined fails only if
// f is called): such names compile as predeclared names that are never
// set. The hints it returns are CPython's NameError messages for them,
// with a "Did you mean" where the resolver has one; reparse gives a fresh
// tree to ask the resolver (only when there are such names). Check keeps
// reporting undefined names without running anything.
func compileScript(f *syntax.File, predeclared starlark.StringDict, reparse func() (*syntax.File, error)) (*starlark.Program, nameHints, error) {
	var late []string
	prog, err := starlark.FileProgram(f, func(name string) bool {
		if predeclared.Has(name) {
			return true
		}
		if starlark.Universe.Has(name) {
			return false
		}
		late = append(late, name)
		return true
	})
	if err != nil || len(late) == 0 {
		return prog, nil, err
	}
	hints := nameHints{}
	if fresh, perr := reparse(); perr == nil {
		_, rerr := starlark.FileProgram(fresh, predeclared.Has)
		var errs resolve.ErrorList
		if errors.As(rerr, &errs) {
			for _, e := range errs {
				if m := undefinedRE.FindStringSubmatch(e.Msg); m != nil && m[2] != "" {
					msg, _ := nameErrorMessage(e.Msg)
					hints[m[1]] = "NameError: " + msg
				}
			}
		}
	}
	return prog, hints, nil
}

// nameHints maps a name undefined at compile time to the last line of the
// traceback of reading it.
type nameHints map[string]string

// hint gives err, a NameError for a name of h, CPython's "Did you mean".
func (h nameHints) hint(err error) error {
	if err == nil || len(h) == 0 {
		return err
	}
	line := starlarkErrorLine(err)
	name, ok := strings.CutPrefix(line, "NameError: name '")
	if !ok {
		return err
	}
	name, ok = strings.CutSuffix(name, "' is not defined")
	if hinted := h[name]; ok && hinted != "" {
		return &hintedError{error: err, line: hinted}
	}
	return err
}

// hintedError is an error whose traceback's last line is line.
type hintedError struct {
	error
	line string
}

func (e *hintedError) Unwrap() error { return e.error }
