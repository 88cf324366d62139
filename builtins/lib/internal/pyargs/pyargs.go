// Package pyargs binds the arguments of a standard module's builtins to
// their parameters with CPython's rules and CPython's error messages
// (Func, which is py.Signature), and converts the argument types those
// modules share (bytes-like objects, integers) as CPython does.
package pyargs

import (
	"math"
	"math/big"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Func describes the parameters of one function as Python declares it
// and binds a call's arguments to them (py.Signature, the one binder).
type Func = py.Signature

// Uint32Mask converts an int as C's unsigned int conversion that masks
// does (the start value of a CRC): its low 32 bits, in two's complement.
func Uint32Mask(v starlark.Value) (uint32, error) {
	i, err := Index(v)
	if err != nil {
		return 0, err
	}
	if n, ok := i.Int64(); ok {
		return uint32(n), nil
	}
	return uint32(new(big.Int).And(i.BigInt(), big.NewInt(0xffffffff)).Uint64()), nil
}

// Bytes returns the contents of a bytes-like argument, or CPython's
// TypeError "a bytes-like object is required, not 'str'".
func Bytes(v starlark.Value) (string, error) {
	if b, ok := py.BytesLike(v); ok {
		return b, nil
	}
	return "", py.Errorf(py.TypeError, "a bytes-like object is required, not '%s'", py.TypeName(v))
}

// BytesOrASCII returns the contents of a bytes-like argument or of a str
// of ASCII characters, as base64 and binascii's decoders accept them;
// what the error names the function expects is CPython's wording.
func BytesOrASCII(v starlark.Value) (string, error) {
	if b, ok := py.BytesLike(v); ok {
		return b, nil
	}
	if v, ok := v.(starlark.String); ok {
		for i := 0; i < len(v); i++ {
			if v[i] >= 0x80 {
				return "", py.Errorf(py.ValueError, "string argument should contain only ASCII characters")
			}
		}
		return string(v), nil
	}
	return "", py.Errorf(py.TypeError, "argument should be a bytes-like object or ASCII string, not '%s'", py.TypeName(v))
}

// Index converts an integer argument as Python's operator.index does
// (ints and bools), or returns CPython's TypeError "'float' object cannot
// be interpreted as an integer".
func Index(v starlark.Value) (starlark.Int, error) {
	switch v := v.(type) {
	case starlark.Int:
		return v, nil
	case starlark.Bool:
		if v {
			return starlark.MakeInt(1), nil
		}
		return starlark.MakeInt(0), nil
	}
	return starlark.Int{}, py.Errorf(py.TypeError, "'%s' object cannot be interpreted as an integer", py.TypeName(v))
}

// Int64 is Index for arguments that must fit in a C long (counts, sizes,
// levels); larger values raise CPython's OverflowError.
func Int64(v starlark.Value) (int64, error) {
	i, err := Index(v)
	if err != nil {
		return 0, err
	}
	n, ok := i.Int64()
	if !ok {
		return 0, py.Errorf(py.OverflowError, "Python int too large to convert to C long")
	}
	return n, nil
}

// Float converts a real-number argument (int, bool or float) to float64,
// as Python's arithmetic does; ok is false for other types.
func Float(v starlark.Value) (f float64, ok bool, err error) {
	switch v := v.(type) {
	case starlark.Float:
		return float64(v), true, nil
	case starlark.Int:
		f, _ := new(big.Float).SetInt(v.BigInt()).Float64()
		if math.IsInf(f, 0) {
			return 0, true, py.Errorf(py.OverflowError, "int too large to convert to float")
		}
		return f, true, nil
	case starlark.Bool:
		if v {
			return 1, true, nil
		}
		return 0, true, nil
	}
	return 0, false, nil
}
