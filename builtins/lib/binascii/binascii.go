// Package binascii is Python's binascii module for kstar scripts.
//
// It offers hexlify and b2a_hex (with sep and bytes_per_sep), unhexlify
// and a2b_hex, b2a_base64 (newline=), a2b_base64 (strict_mode=), crc32,
// crc_hqx, and the exceptions Error (a ValueError) and Incomplete, with
// CPython 3.11's results and messages. Decoders take bytes or an ASCII
// str, as CPython's do. Not offered: the uu and qp codecs.
package binascii

import (
	"encoding/hex"
	"hash/crc32"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Error is binascii.Error, a ValueError: what malformed input raises
// (base64 raises it too).
var Error = &py.ExceptionClass{ClassName: "Error", Module: "binascii", Base: py.ValueError}

// Incomplete is binascii.Incomplete.
var Incomplete = &py.ExceptionClass{ClassName: "Incomplete", Module: "binascii", Base: py.PyException}

// New returns the binascii module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "binascii", Members: starlark.StringDict{
		"hexlify":    py.Func("hexlify", hexlify("hexlify")),
		"b2a_hex":    py.Func("b2a_hex", hexlify("b2a_hex")),
		"unhexlify":  py.Func("unhexlify", unhexlify("unhexlify")),
		"a2b_hex":    py.Func("a2b_hex", unhexlify("a2b_hex")),
		"b2a_base64": py.Func("b2a_base64", b2aBase64),
		"a2b_base64": py.Func("a2b_base64", a2bBase64),
		"crc32":      py.Func("crc32", crc32Func),
		"crc_hqx":    py.Func("crc_hqx", crcHqx),
		"Error":      Error,
		"Incomplete": Incomplete,
	}}
}

// ASCIIData returns the contents of a decoder's argument: bytes, or a
// str of ASCII characters, with CPython's errors otherwise.
func ASCIIData(v starlark.Value) (string, error) {
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
	return "", py.Errorf(py.TypeError, "argument should be bytes, buffer or ASCII string, not '%s'", py.TypeName(v))
}

// Hexlify is hexlify(data, sep, bytes_per_sep): two hex digits a byte,
// sep between groups of bytes_per_sep bytes counted from the right (from
// the left when negative); sep 0 means none.
func Hexlify(data string, sep byte, bytesPerSep int) []byte {
	if sep == 0 || bytesPerSep == 0 || len(data) == 0 {
		out := make([]byte, 2*len(data))
		hex.Encode(out, []byte(data))
		return out
	}
	group := bytesPerSep
	if group < 0 {
		group = -group
	}
	nseps := (len(data) - 1) / group
	out := make([]byte, 0, 2*len(data)+nseps)
	// first is the size of the first group: groups counted from the right
	// leave the short one first.
	first := group
	if bytesPerSep > 0 && len(data)%group != 0 {
		first = len(data) % group
	}
	for i := 0; i < len(data); i++ {
		if i > 0 && (i-first)%group == 0 && i >= first {
			out = append(out, sep)
		}
		out = hex.AppendEncode(out, []byte{data[i]})
	}
	return out
}

// hexlify is hexlify(data, sep=<unrepresentable>, bytes_per_sep=1).
func hexlify(name string) py.BuiltinFunc {
	spec := &pyargs.Func{Name: name, Params: []string{"data", "sep", "bytes_per_sep"}, Required: 1, C: true}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var data, sepArg, perSep starlark.Value = nil, starlark.None, starlark.MakeInt(1)
		if err := spec.Bind(args, kwargs, &data, &sepArg, &perSep); err != nil {
			return nil, err
		}
		d, err := pyargs.Bytes(data)
		if err != nil {
			return nil, err
		}
		if len(d) > 1<<16 { // two digits and a separator a byte, copied once
			if err := py.Reserve(thread, 6*int64(len(d))); err != nil {
				return nil, err
			}
		}
		sep, err := separator(sepArg)
		if err != nil {
			return nil, err
		}
		n, err := pyargs.Int64(perSep)
		if err != nil {
			return nil, err
		}
		return py.Bytes(Hexlify(d, sep, int(n))), nil
	}
}

// separator converts hexlify's sep: None, or a str or bytes of length 1.
func separator(v starlark.Value) (byte, error) {
	var s string
	switch v := v.(type) {
	case starlark.NoneType:
		return 0, nil
	case py.Bytes:
		s = string(v)
	case starlark.String:
		if r, size := utf8.DecodeRuneInString(string(v)); size == len(v) && r < 0x100 && r != utf8.RuneError {
			return byte(r), nil
		}
		s = string(v)
	default:
		if starlark.Len(v) < 0 {
			return 0, py.Errorf(py.TypeError, "object of type '%s' has no len()", py.TypeName(v))
		}
		return 0, py.Errorf(py.TypeError, "sep must be str or bytes.")
	}
	if len(s) != 1 {
		return 0, py.Errorf(py.ValueError, "sep must be length 1.")
	}
	return s[0], nil
}

// Unhexlify decodes pairs of hex digits, with binascii's errors.
func Unhexlify(s string) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, py.NewException(Error, "Odd-length string")
	}
	out := make([]byte, len(s)/2)
	if _, err := hex.Decode(out, []byte(s)); err != nil {
		return nil, py.NewException(Error, "Non-hexadecimal digit found")
	}
	return out, nil
}

func unhexlify(name string) py.BuiltinFunc {
	spec := &pyargs.Func{Name: name, Params: []string{"hexstr"}, Required: 1, C: true}
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var hexstr starlark.Value
		if err := spec.Bind(args, kwargs, &hexstr); err != nil {
			return nil, err
		}
		s, err := ASCIIData(hexstr)
		if err != nil {
			return nil, err
		}
		out, err := Unhexlify(s)
		if err != nil {
			return nil, err
		}
		return py.Bytes(out), nil
	}
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// base64Value maps a character to its value, or 0xff.
var base64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(base64Alphabet); i++ {
		t[base64Alphabet[i]] = byte(i)
	}
	return t
}()

// B2ABase64 encodes data in standard base64 with padding.
func B2ABase64(data string) []byte {
	out := make([]byte, 0, (len(data)+2)/3*4+1)
	for i := 0; i < len(data); i += 3 {
		var chunk [3]byte
		n := copy(chunk[:], data[i:])
		v := uint(chunk[0])<<16 | uint(chunk[1])<<8 | uint(chunk[2])
		out = append(out, base64Alphabet[v>>18&63], base64Alphabet[v>>12&63])
		switch n {
		case 1:
			out = append(out, '=', '=')
		case 2:
			out = append(out, base64Alphabet[v>>6&63], '=')
		default:
			out = append(out, base64Alphabet[v>>6&63], base64Alphabet[v&63])
		}
	}
	return out
}

var b2aBase64Spec = &pyargs.Func{Name: "b2a_base64", Params: []string{"data", "*", "newline"}, Required: 1, C: true}

func b2aBase64(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, newline starlark.Value = nil, starlark.True
	if err := b2aBase64Spec.Bind(args, kwargs, &data, &newline); err != nil {
		return nil, err
	}
	d, err := pyargs.Bytes(data)
	if err != nil {
		return nil, err
	}
	out := B2ABase64(d)
	if newline.Truth() {
		out = append(out, '\n')
	}
	return py.Bytes(out), nil
}

// A2BBase64 decodes base64 as CPython 3.11's binascii.a2b_base64: in
// the default mode characters outside the alphabet are skipped and a
// complete pad sequence ends the input; strict mode refuses both.
func A2BBase64(s string, strict bool) ([]byte, error) {
	fail := func(msg string) ([]byte, error) { return nil, py.NewException(Error, msg) }
	if strict && len(s) > 0 && s[0] == '=' {
		return fail("Leading padding not allowed")
	}
	out := make([]byte, 0, len(s)/4*3+2)
	quadPos, pads := 0, 0
	paddingStarted := false
	var left byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			paddingStarted = true
			if quadPos >= 2 {
				pads++
				if quadPos+pads >= 4 {
					if strict && i+1 < len(s) {
						return fail("Excess data after padding")
					}
					return out, nil
				}
			}
			continue
		}
		v := base64Value[c]
		if v == 0xff {
			if strict {
				return fail("Only base64 data is allowed")
			}
			continue
		}
		if strict && paddingStarted {
			return fail("Discontinuous padding not allowed")
		}
		pads = 0
		switch quadPos {
		case 0:
			quadPos, left = 1, v
		case 1:
			out = append(out, left<<2|v>>4)
			quadPos, left = 2, v&0x0f
		case 2:
			out = append(out, left<<4|v>>2)
			quadPos, left = 3, v&0x03
		case 3:
			out = append(out, left<<6|v)
			quadPos, left = 0, 0
		}
	}
	switch quadPos {
	case 0:
		return out, nil
	case 1:
		return nil, py.Errorf(Error, "Invalid base64-encoded string: number of data characters (%d) cannot be 1 more than a multiple of 4", len(out)/3*4+1)
	}
	return fail("Incorrect padding")
}

var a2bBase64Spec = &pyargs.Func{Name: "a2b_base64", Params: []string{"data", "*", "strict_mode"}, Required: 1, C: true}

func a2bBase64(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, strict starlark.Value = nil, starlark.False
	if err := a2bBase64Spec.Bind(args, kwargs, &data, &strict); err != nil {
		return nil, err
	}
	s, err := ASCIIData(data)
	if err != nil {
		return nil, err
	}
	out, err := A2BBase64(s, bool(strict.Truth()))
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

// crc32Func is crc32(data, crc=0, /).
func crc32Func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("crc32", args, kwargs, 1, 2); err != nil {
		return nil, err
	}
	data, err := pyargs.Bytes(args[0])
	if err != nil {
		return nil, err
	}
	var start uint32
	if len(args) == 2 {
		if start, err = pyargs.Uint32Mask(args[1]); err != nil {
			return nil, err
		}
	}
	return starlark.MakeUint64(uint64(crc32.Update(start, crc32.IEEETable, []byte(data)))), nil
}

// crcHqxTable is the CRC-CCITT (polynomial 0x1021) table of crc_hqx.
var crcHqxTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func crcHqx(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := py.CheckPositional("crc_hqx", args, kwargs, 2, 2); err != nil {
		return nil, err
	}
	data, err := pyargs.Bytes(args[0])
	if err != nil {
		return nil, err
	}
	start, err := pyargs.Uint32Mask(args[1])
	if err != nil {
		return nil, err
	}
	crc := uint16(start)
	for i := 0; i < len(data); i++ {
		crc = crc<<8 ^ crcHqxTable[byte(crc>>8)^data[i]]
	}
	return starlark.MakeInt(int(crc)), nil
}
