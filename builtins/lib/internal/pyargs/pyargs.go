// Package pyargs binds the arguments of a standard module's builtins to
// their parameters with CPython's rules and CPython's error messages, and
// converts the argument types those modules share (bytes-like objects,
// integers) as CPython does.
//
// CPython words arity errors in two ways: functions written in Python
// (random.randint, base64.b64encode, uuid.uuid5) name the missing
// parameters, functions written in C (zlib.crc32, binascii.hexlify) say
// how many arguments they take. Func.C chooses between them.
package pyargs

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// Func describes the parameters of one function as Python declares it.
type Func struct {
	// Name is the function as CPython's messages name it:
	// "Random.randint", "b64encode", "crc32".
	Name string
	// Params are the parameter names in order (at most 64). An entry "*"
	// starts the keyword-only parameters, which come after the required
	// ones.
	Params []string
	// Required is how many leading parameters have no default.
	Required int
	// Method counts self in "takes N positional arguments" (CPython's
	// count for a bound method of a class written in Python).
	Method bool
	// C words errors as a function implemented in C does.
	C bool
	// PositionalOnly refuses keywords for every parameter (C functions
	// declared with "/").
	PositionalOnly bool
}

// Bind stores the arguments in dst, one pointer per parameter (the "*"
// entry has none); parameters without an argument keep their value.
func (f *Func) Bind(args starlark.Tuple, kwargs []starlark.Tuple, dst ...*starlark.Value) error {
	npos := len(f.Params) // number of parameters that can be given by position
	for i, p := range f.Params {
		if p == "*" {
			npos = i
			break
		}
	}
	nparams := len(f.Params)
	if npos < nparams {
		nparams--
	}
	if len(dst) != nparams {
		panic(fmt.Sprintf("pyargs: %s has %d parameters but %d destinations", f.Name, nparams, len(dst)))
	}
	if len(args) > npos {
		return f.tooMany(npos, len(args)+len(kwargs))
	}
	for i, a := range args {
		*dst[i] = a
	}
	var setByName uint64 // bit i: parameter i was given by keyword
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		i := f.index(k)
		if i < 0 || f.PositionalOnly {
			if f.C {
				return py.Errorf(py.TypeError, "'%s' is an invalid keyword argument for %s()", k, f.Name)
			}
			return py.Errorf(py.TypeError, "%s() got an unexpected keyword argument '%s'", f.Name, k)
		}
		if i < len(args) || setByName&(1<<i) != 0 {
			if f.C {
				return py.Errorf(py.TypeError, "argument for %s() given by name ('%s') and position (%d)", f.Name, k, i+1)
			}
			return py.Errorf(py.TypeError, "%s() got multiple values for argument '%s'", f.Name, k)
		}
		*dst[i] = kv[1]
		setByName |= 1 << i
	}
	var missing []string
	for i := len(args); i < f.Required; i++ {
		if setByName&(1<<i) == 0 {
			if f.C {
				return py.Errorf(py.TypeError, "%s() missing required argument '%s' (pos %d)", f.Name, f.Params[i], i+1)
			}
			missing = append(missing, "'"+f.Params[i]+"'")
		}
	}
	if len(missing) > 0 {
		plural := "argument"
		if len(missing) > 1 {
			plural = "arguments"
		}
		return py.Errorf(py.TypeError, "%s() missing %d required positional %s: %s", f.Name, len(missing), plural, joinNames(missing))
	}
	return nil
}

// index is the position of the parameter called name (not counting
// "*"), or -1.
func (f *Func) index(name string) int {
	i := 0
	for _, p := range f.Params {
		if p == "*" {
			continue
		}
		if p == name {
			return i
		}
		i++
	}
	return -1
}

func (f *Func) tooMany(npos, given int) error {
	if f.C {
		if len(f.Params) == 0 {
			return py.Errorf(py.TypeError, "%s() takes no arguments (%d given)", f.Name, given)
		}
		return py.Errorf(py.TypeError, "%s() takes at most %d arguments (%d given)", f.Name, npos, given)
	}
	self := 0
	if f.Method {
		self = 1
	}
	takes := fmt.Sprint(npos + self)
	if f.Required < npos {
		takes = fmt.Sprintf("from %d to %d", f.Required+self, npos+self)
	}
	arguments := "arguments"
	if npos+self == 1 {
		arguments = "argument"
	}
	were := "were"
	if given+self == 1 {
		were = "was"
	}
	return py.Errorf(py.TypeError, "%s() takes %s positional %s but %d %s given", f.Name, takes, arguments, given+self, were)
}

// joinNames lists names as CPython does: 'a', 'a' and 'b', 'a', 'b', and 'c'.
func joinNames(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + ", and " + names[len(names)-1]
}

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
	if b, ok := v.(starlark.Bytes); ok {
		return string(b), nil
	}
	return "", py.Errorf(py.TypeError, "a bytes-like object is required, not '%s'", py.TypeName(v))
}

// BytesOrASCII returns the contents of a bytes-like argument or of a str
// of ASCII characters, as base64 and binascii's decoders accept them;
// what the error names the function expects is CPython's wording.
func BytesOrASCII(v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.Bytes:
		return string(v), nil
	case starlark.String:
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
