package runtime

import "go.starlark.net/syntax"

// Parse applies the Python front end to src and parses the result as a
// kstar (Starlark) file, keeping every line and column of the original.
func Parse(filename string, src []byte) (*syntax.File, error) {
	return fileOptions.Parse(filename, src, 0)
}
