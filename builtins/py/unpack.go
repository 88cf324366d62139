package py

import "go.starlark.net/starlark"

// TypedArg is the target of an argument that converts itself, as
// go.starlark.net's Unpacker types do (lib/time's Duration), and keeps
// the Python exception of a failed conversion, which UnpackTypedArgs
// raises unchanged (Starlark's UnpackArgs would put its text after
// "f: for parameter p: ").
type TypedArg interface {
	starlark.Unpacker
	// Failure is the exception of a failed Unpack, or nil.
	Failure() error
}

// UnpackTypedArgs is starlark.UnpackArgs for targets that may be
// TypedArgs: a TypedArg's conversion error is returned as it is.
func UnpackTypedArgs(fname string, args starlark.Tuple, kwargs []starlark.Tuple, pairs ...any) error {
	err := starlark.UnpackArgs(fname, args, kwargs, pairs...)
	if err != nil {
		for i := 1; i < len(pairs); i += 2 {
			if t, ok := pairs[i].(TypedArg); ok && t.Failure() != nil {
				return t.Failure()
			}
		}
	}
	return err
}
