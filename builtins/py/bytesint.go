package py

import (
	"math/big"
	"slices"
	"strings"

	"go.starlark.net/starlark"
)

// bytes.fromhex(string), bytearray.fromhex(string), maketrans(frm, to) of
// both, and the int methods Starlark lacks:
// to_bytes(length=1, byteorder='big', *, signed=False), bit_length().
func init() {
	maketrans := Func("maketrans", bytesMaketrans)
	BytesType.attrs = map[string]starlark.Value{"fromhex": Func("fromhex", bytesFromhex), "maketrans": maketrans}
	BytearrayType.attrs = map[string]starlark.Value{"fromhex": Func("fromhex", bytearrayFromhex), "maketrans": maketrans}
	for name, fn := range map[string]BuiltinFunc{
		"to_bytes":   intToBytes,
		"bit_length": intBitLength,
	} {
		intMethods[name] = Func(name, fn)
		RewrittenMethods[name] = true
	}
}

// intMethods are Python's int methods (Starlark's int has none).
var intMethods = map[string]*starlark.Builtin{}

// bytesFromhex is bytes.fromhex(string): pairs of hex digits, with
// whitespace allowed between pairs.
func bytesFromhex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	x, err := oneArg(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	s, ok := x.(starlark.String)
	if !ok {
		return nil, Errorf(TypeError, "fromhex() argument must be str, not %s", TypeName(x))
	}
	out, err := fromHex(string(s))
	if err != nil {
		return nil, err
	}
	return Bytes(out), nil
}

// bytearrayFromhex is bytearray.fromhex(string), as bytes.fromhex.
func bytearrayFromhex(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, err := bytesFromhex(thread, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return &Bytearray{data: []byte(v.(Bytes))}, nil
}

func fromHex(s string) (string, error) {
	var out strings.Builder
	digit := func(c byte) int {
		switch {
		case c >= '0' && c <= '9':
			return int(c - '0')
		case c >= 'a' && c <= 'f':
			return int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			return int(c-'A') + 10
		}
		return -1
	}
	for i := 0; i < len(s); {
		if strings.IndexByte(" \t\n\r\f\v", s[i]) >= 0 {
			i++
			continue
		}
		hi := digit(s[i])
		if hi < 0 {
			return "", Errorf(ValueError, "non-hexadecimal number found in fromhex() arg at position %d", i)
		}
		if i+1 >= len(s) || digit(s[i+1]) < 0 {
			return "", Errorf(ValueError, "non-hexadecimal number found in fromhex() arg at position %d", i+1)
		}
		out.WriteByte(byte(hi<<4 | digit(s[i+1])))
		i += 2
	}
	return out.String(), nil
}

// intToBytes is int.to_bytes(length=1, byteorder='big', *, signed=False).
func intToBytes(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	length, order, signed := 1, "big", false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "length?", &length, "byteorder?", &order, "signed?", &signed); err != nil {
		return nil, err
	}
	if order != "big" && order != "little" {
		return nil, Errorf(ValueError, "byteorder must be either 'little' or 'big'")
	}
	if length < 0 {
		return nil, Errorf(ValueError, "length argument must be non-negative")
	}
	n := b.Receiver().(starlark.Int).BigInt()
	if n.Sign() < 0 && !signed {
		return nil, Errorf(OverflowError, "can't convert negative int to unsigned")
	}
	v := n
	if n.Sign() < 0 { // two's complement in length bytes
		v = new(big.Int).Add(n, new(big.Int).Lsh(big.NewInt(1), uint(8*length)))
	}
	raw := v.Bytes()
	fits := len(raw) <= length && v.Sign() >= 0
	if signed && fits && length > 0 {
		// The sign bit of the top byte must match the sign.
		top := byte(0)
		if len(raw) == length {
			top = raw[0]
		}
		fits = (top&0x80 != 0) == (n.Sign() < 0)
	}
	if signed && length == 0 {
		fits = n.Sign() == 0
	}
	if !fits {
		return nil, Errorf(OverflowError, "int too big to convert")
	}
	out := make([]byte, length)
	copy(out[length-len(raw):], raw)
	if order == "little" {
		slices.Reverse(out)
	}
	return Bytes(out), nil
}

// intBitLength is int.bit_length().
func intBitLength(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	n := b.Receiver().(starlark.Int).BigInt()
	return starlark.MakeInt(new(big.Int).Abs(n).BitLen()), nil
}
