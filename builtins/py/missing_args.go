package py

import (
	"strings"
	"sync"

	"go.starlark.net/starlark"
)

// Starlark reports the arguments a call of a def lacks in one list,
// positional parameters first, then keyword-only ones ("function kw
// missing 2 arguments (a, c)"); CPython reports the positional ones and,
// only when none is missing, the keyword-only ones, each in its own
// wording. MissingArgs renders CPython's message; it needs to know which
// names are keyword-only: from the function for a method
// (FunctionKwonly), and for a plain def or lambda from what the front end
// recorded when it lowered the script (RegisterKwonly), since Starlark's
// error names the function but does not hold it.

// kwonlyKey is a function of a script: its file and its name.
type kwonlyKey struct{ file, function string }

// kwonlyParams holds, by script and function name, the keyword-only
// parameter names of the script's functions of that name.
var kwonlyParams = struct {
	sync.Mutex
	names map[kwonlyKey]map[string]bool
}{names: map[kwonlyKey]map[string]bool{}}

// RegisterKwonly records that the function named function (lambda for a
// lambda) of the script file has the keyword-only parameters names.
func RegisterKwonly(file, function string, names []string) {
	kwonlyParams.Lock()
	defer kwonlyParams.Unlock()
	key := kwonlyKey{file, function}
	set := kwonlyParams.names[key]
	if set == nil {
		set = map[string]bool{}
		kwonlyParams.names[key] = set
	}
	for _, n := range names {
		set[n] = true
	}
}

// RegisteredKwonly reports whether name is a keyword-only parameter of a
// function of that name in the script file.
func RegisteredKwonly(file, function string) func(name string) bool {
	return func(name string) bool {
		kwonlyParams.Lock()
		defer kwonlyParams.Unlock()
		return kwonlyParams.names[kwonlyKey{file, function}][name]
	}
}

// FunctionKwonly reports whether name is a keyword-only parameter of f.
func FunctionKwonly(f *starlark.Function) func(name string) bool {
	positional := f.NumParams() - f.NumKwonlyParams()
	if f.HasVarargs() {
		positional--
	}
	if f.HasKwargs() {
		positional--
	}
	return func(name string) bool {
		for i := positional; i < positional+f.NumKwonlyParams(); i++ {
			if p, _ := f.Param(i); p == name {
				return true
			}
		}
		return false
	}
}

// MissingArgs is CPython's message for a call of the function qual
// ("kw()", "A.m()") that lacks the parameters missing, as Starlark lists
// them ("a, c"): the positional ones when there are any, otherwise the
// keyword-only ones.
func MissingArgs(qual, missing string, isKwonly func(string) bool) string {
	var positional, kwonly []string
	for _, name := range strings.Split(missing, ",") {
		name = strings.TrimSpace(name)
		if isKwonly(name) {
			kwonly = append(kwonly, "'"+name+"'")
		} else {
			positional = append(positional, "'"+name+"'")
		}
	}
	names, kind := positional, "positional"
	if len(positional) == 0 {
		names, kind = kwonly, "keyword-only"
	}
	return qual + " missing " + itoa(len(names)) + " required " + kind + " argument" + plural(len(names)) + ": " + JoinNames(names)
}
