package py

import (
	"strconv"
	"strings"

	"go.starlark.net/starlark"
)

// How Python names the frames of a call stack: the front end lowers a
// try statement to functions (its blocks) that a runner calls, and
// Python shows neither the runner nor the blocks' own names.

// TryFunc is the predeclared function that makes the runner of a lowered
// try statement (frontend.TryFunc says what it takes).
const TryFunc = "__try__"

// tryBlockPrefixes name the functions the blocks of a try become.
var tryBlockPrefixes = []string{"__try", "__except", "__else", "__finally"}

// IsTryBlock reports whether a function named name is a block of a
// lowered try statement, which runs as part of the function that holds
// the try.
func IsTryBlock(name string) bool {
	for _, p := range tryBlockPrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			if _, err := strconv.Atoi(rest); err == nil {
				return true
			}
		}
	}
	return false
}

// PythonFrames are the frames of stack that Python's traceback shows,
// named as Python names them: not the builtins', nor that of a try
// statement running its blocks, whose frames take the name of the
// function that holds the try.
func PythonFrames(stack starlark.CallStack) []starlark.CallFrame {
	var out []starlark.CallFrame
	name := "<module>"
	for i, fr := range stack {
		if fr.Pos.Filename() != "<builtin>" && !IsTryBlock(fr.Name) {
			name = fr.Name
			if name == "<toplevel>" {
				name = "<module>"
			}
		}
		if fr.Pos.Filename() == "<builtin>" || !fr.Pos.IsValid() || i+1 < len(stack) && stack[i+1].Name == TryFunc {
			continue
		}
		out = append(out, starlark.CallFrame{Name: name, Pos: fr.Pos})
	}
	return out
}
