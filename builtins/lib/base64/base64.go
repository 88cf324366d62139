// Package base64 is Python's base64 module for kstar scripts.
//
// It offers b64encode and b64decode (altchars=, validate=),
// standard_b64encode/decode, urlsafe_b64encode/decode, b32encode and
// b32decode (casefold=, map01=), b32hexencode/decode, b16encode/decode
// and encodebytes/decodebytes, with CPython 3.11's results and errors:
// decoders take bytes or an ASCII str, and malformed input raises
// binascii.Error ("Incorrect padding", "Non-base64 digit found"...).
// Decoding without validate skips characters outside the alphabet, as
// CPython does. Not offered: the Ascii85 and base85 codecs.
package base64

import (
	"bytes"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/binascii"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the base64 module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "base64", Members: starlark.StringDict{
		"b64encode":          py.Func("b64encode", b64encode),
		"b64decode":          py.Func("b64decode", b64decode),
		"standard_b64encode": py.Func("standard_b64encode", oneArg("standard_b64encode", encodeStandard)),
		"standard_b64decode": py.Func("standard_b64decode", oneArg("standard_b64decode", decodeStandard)),
		"urlsafe_b64encode":  py.Func("urlsafe_b64encode", oneArg("urlsafe_b64encode", encodeURLSafe)),
		"urlsafe_b64decode":  py.Func("urlsafe_b64decode", oneArg("urlsafe_b64decode", decodeURLSafe)),
		"b32encode":          py.Func("b32encode", oneArg("b32encode", b32Encoder(base32Alphabet))),
		"b32decode":          py.Func("b32decode", b32decode("b32decode", base32Alphabet)),
		"b32hexencode":       py.Func("b32hexencode", oneArg("b32hexencode", b32Encoder(base32HexAlphabet))),
		"b32hexdecode":       py.Func("b32hexdecode", b32decode("b32hexdecode", base32HexAlphabet)),
		"b16encode":          py.Func("b16encode", oneArg("b16encode", b16encode)),
		"b16decode":          py.Func("b16decode", b16decode),
		"encodebytes":        py.Func("encodebytes", oneArg("encodebytes", encodebytes)),
		"decodebytes":        py.Func("decodebytes", oneArg("decodebytes", decodebytes)),
	}}
}

// oneArg makes a function of one argument s.
func oneArg(name string, f func(s starlark.Value) (starlark.Value, error)) py.BuiltinFunc {
	spec := &pyargs.Func{Name: name, Params: []string{"s"}, Required: 1}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var s starlark.Value
		if err := spec.Bind(args, kwargs, &s); err != nil {
			return nil, err
		}
		if err := reserveOutput(thread, s); err != nil {
			return nil, err
		}
		return f(s)
	}
}

// reserveOutput asks the execution's memory limit for what encoding or
// decoding s may make: at most twice its size (b16encode), and as much
// again for the copies on the way.
func reserveOutput(thread *starlark.Thread, s starlark.Value) error {
	if n := starlark.Len(s); n > 1<<16 {
		return py.Reserve(thread, 4*int64(n))
	}
	return nil
}

// translate replaces each byte of from in s by the byte of to at the
// same position (bytes.translate with bytes.maketrans(from, to)).
func translate(s string, from, to string) string {
	out := []byte(s)
	for i, c := range out {
		if j := strings.IndexByte(from, c); j >= 0 {
			out[i] = to[j]
		}
	}
	return string(out)
}

// altchars checks the two replacement characters of b64encode/decode:
// CPython asserts their length.
func altchars(v starlark.Value, decoding bool) (string, error) {
	var s string
	var err error
	if decoding {
		s, err = pyargs.BytesOrASCII(v)
	} else {
		if n := starlark.Len(v); n >= 0 && n != 2 {
			return "", py.Errorf(py.AssertionError, "%s", py.Repr(v))
		}
		s, err = pyargs.Bytes(v)
	}
	if err != nil {
		return "", err
	}
	if len(s) != 2 {
		return "", py.Errorf(py.AssertionError, "%s", py.Repr(py.Bytes(s)))
	}
	return s, nil
}

var b64encodeSpec = &pyargs.Func{Name: "b64encode", Params: []string{"s", "altchars"}, Required: 1}

func b64encode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s, alt starlark.Value = nil, starlark.None
	if err := b64encodeSpec.Bind(args, kwargs, &s, &alt); err != nil {
		return nil, err
	}
	if err := reserveOutput(thread, s); err != nil {
		return nil, err
	}
	data, err := pyargs.Bytes(s)
	if err != nil {
		return nil, err
	}
	out := string(binascii.B2ABase64(data))
	if alt != starlark.None {
		a, err := altchars(alt, false)
		if err != nil {
			return nil, err
		}
		out = translate(out, "+/", a)
	}
	return py.Bytes(out), nil
}

var b64decodeSpec = &pyargs.Func{Name: "b64decode", Params: []string{"s", "altchars", "validate"}, Required: 1}

func b64decode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s, alt, validate starlark.Value = nil, starlark.None, starlark.False
	if err := b64decodeSpec.Bind(args, kwargs, &s, &alt, &validate); err != nil {
		return nil, err
	}
	if err := reserveOutput(thread, s); err != nil {
		return nil, err
	}
	data, err := pyargs.BytesOrASCII(s)
	if err != nil {
		return nil, err
	}
	if alt != starlark.None {
		a, err := altchars(alt, true)
		if err != nil {
			return nil, err
		}
		data = translate(data, a, "+/")
	}
	return decode(data, bool(validate.Truth()))
}

func decode(data string, validate bool) (starlark.Value, error) {
	out, err := binascii.A2BBase64(data, validate)
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

func encodeStandard(s starlark.Value) (starlark.Value, error) {
	data, err := pyargs.Bytes(s)
	if err != nil {
		return nil, err
	}
	return py.Bytes(binascii.B2ABase64(data)), nil
}

func decodeStandard(s starlark.Value) (starlark.Value, error) {
	data, err := pyargs.BytesOrASCII(s)
	if err != nil {
		return nil, err
	}
	return decode(data, false)
}

func encodeURLSafe(s starlark.Value) (starlark.Value, error) {
	data, err := pyargs.Bytes(s)
	if err != nil {
		return nil, err
	}
	return py.Bytes(translate(string(binascii.B2ABase64(data)), "+/", "-_")), nil
}

func decodeURLSafe(s starlark.Value) (starlark.Value, error) {
	data, err := pyargs.BytesOrASCII(s)
	if err != nil {
		return nil, err
	}
	return decode(translate(data, "-_", "+/"), false)
}

const (
	base32Alphabet    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	base32HexAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
)

// b32Encoder encodes 5 bytes as 8 characters, padding the last group
// with '=' as RFC 4648 does.
func b32Encoder(alphabet string) func(s starlark.Value) (starlark.Value, error) {
	return func(s starlark.Value) (starlark.Value, error) {
		data, ok := py.BytesLike(s)
		if !ok {
			return nil, py.Errorf(py.TypeError, "memoryview: a bytes-like object is required, not '%s'", py.TypeName(s))
		}
		out := make([]byte, 0, (len(data)+4)/5*8)
		for i := 0; i < len(data); i += 5 {
			var chunk [8]byte
			copy(chunk[3:], data[i:min(i+5, len(data))])
			var acc uint64
			for _, c := range chunk[3:] {
				acc = acc<<8 | uint64(c)
			}
			for shift := 35; shift >= 0; shift -= 5 {
				out = append(out, alphabet[acc>>uint(shift)&31])
			}
		}
		pad := map[int]int{1: 6, 2: 4, 3: 3, 4: 1}[len(data)%5]
		for i := len(out) - pad; i < len(out); i++ {
			out[i] = '='
		}
		return py.Bytes(out), nil
	}
}

// b32decode is b32decode(s, casefold=False, map01=None) and
// b32hexdecode(s, casefold=False), as CPython's _b32decode checks and
// decodes.
func b32decode(name, alphabet string) py.BuiltinFunc {
	params := []string{"s", "casefold", "map01"}
	if alphabet == base32HexAlphabet {
		params = params[:2]
	}
	spec := &pyargs.Func{Name: name, Params: params, Required: 1}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var s, casefold, map01 starlark.Value = nil, starlark.False, starlark.None
		dst := []*starlark.Value{&s, &casefold, &map01}
		if err := spec.Bind(args, kwargs, dst[:len(params)]...); err != nil {
			return nil, err
		}
		data, err := pyargs.BytesOrASCII(s)
		if err != nil {
			return nil, err
		}
		if len(data)%8 != 0 {
			return nil, py.NewException(binascii.Error, "Incorrect padding")
		}
		if map01 != starlark.None {
			m, err := pyargs.BytesOrASCII(map01)
			if err != nil {
				return nil, err
			}
			if len(m) != 1 {
				return nil, py.Errorf(py.AssertionError, "%s", py.Repr(py.Bytes(m)))
			}
			data = translate(data, "01", "O"+m)
		}
		if casefold.Truth() {
			data = strings.ToUpper(data)
		}
		l := len(data)
		data = strings.TrimRight(data, "=")
		padchars := l - len(data)
		var decoded []byte
		var acc uint64
		for i := 0; i < len(data); i += 8 {
			acc = 0
			for _, c := range []byte(data[i:min(i+8, len(data))]) {
				v := strings.IndexByte(alphabet, c)
				if v < 0 {
					return nil, py.NewException(binascii.Error, "Non-base32 digit found")
				}
				acc = acc<<5 + uint64(v)
			}
			decoded = append(decoded, byte(acc>>32), byte(acc>>24), byte(acc>>16), byte(acc>>8), byte(acc))
		}
		switch padchars {
		case 0, 1, 3, 4, 6:
		default:
			return nil, py.NewException(binascii.Error, "Incorrect padding")
		}
		if padchars > 0 && len(decoded) > 0 {
			acc <<= 5 * uint(padchars)
			last := []byte{byte(acc >> 32), byte(acc >> 24), byte(acc >> 16), byte(acc >> 8), byte(acc)}
			leftover := (43 - 5*padchars) / 8
			decoded = append(decoded[:len(decoded)-5], last[:leftover]...)
		}
		return py.Bytes(decoded), nil
	}
}

func b16encode(s starlark.Value) (starlark.Value, error) {
	data, err := pyargs.Bytes(s)
	if err != nil {
		return nil, err
	}
	return py.Bytes(bytes.ToUpper(binascii.Hexlify(data, 0, 0))), nil
}

var b16decodeSpec = &pyargs.Func{Name: "b16decode", Params: []string{"s", "casefold"}, Required: 1}

func b16decode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s, casefold starlark.Value = nil, starlark.False
	if err := b16decodeSpec.Bind(args, kwargs, &s, &casefold); err != nil {
		return nil, err
	}
	data, err := pyargs.BytesOrASCII(s)
	if err != nil {
		return nil, err
	}
	if casefold.Truth() {
		data = strings.ToUpper(data)
	}
	if strings.IndexFunc(data, func(r rune) bool { return !('0' <= r && r <= '9' || 'A' <= r && r <= 'F') }) >= 0 {
		return nil, py.NewException(binascii.Error, "Non-base16 digit found")
	}
	out, err := binascii.Unhexlify(data)
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

// maxBinSize is the bytes encodebytes puts on one 76-character line.
const maxBinSize = 76 / 4 * 3

func bytesLike(s starlark.Value) (string, error) {
	if b, ok := py.BytesLike(s); ok {
		return b, nil
	}
	return "", py.Errorf(py.TypeError, "expected bytes-like object, not %s", py.TypeName(s))
}

func encodebytes(s starlark.Value) (starlark.Value, error) {
	data, err := bytesLike(s)
	if err != nil {
		return nil, err
	}
	var out []byte
	for i := 0; i < len(data); i += maxBinSize {
		out = append(out, binascii.B2ABase64(data[i:min(i+maxBinSize, len(data))])...)
		out = append(out, '\n')
	}
	return py.Bytes(out), nil
}

func decodebytes(s starlark.Value) (starlark.Value, error) {
	data, err := bytesLike(s)
	if err != nil {
		return nil, err
	}
	return decode(data, false)
}
