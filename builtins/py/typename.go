package py

import "go.starlark.net/starlark"

// TypeName is the Python name of v's type (str, int, dict, NoneType...).
func TypeName(v starlark.Value) string {
	switch v.(type) {
	case starlark.String:
		return "str"
	case starlark.NoneType:
		return "NoneType"
	case *starlark.Function:
		return "function"
	case *starlark.Builtin:
		return "builtin_function_or_method"
	}
	return v.Type()
}
