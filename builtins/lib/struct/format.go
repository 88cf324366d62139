package pystruct

import (
	"encoding/binary"
	"math"
	"math/big"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// order is a format's byte order and size mode, from its first character.
type order byte

const (
	native       order = '@' // native order, sizes and alignment (x86-64, little-endian)
	littleStd    order = '<' // also '=': standard sizes, no alignment
	bigStd       order = '>' // also '!'
	maxStructLen       = math.MaxInt64
)

// code is one format character with its repeat count, at its offset in
// the packed data.
type code struct {
	c      byte
	num    int // repeat count; for s and p the length of the one field
	size   int // bytes of one item (s, p: 1)
	offset int
}

// format is a parsed struct format, as CPython's Struct keeps it.
type format struct {
	text    string // the format as a str (Struct.format)
	order   order
	codes   []code
	size    int // calcsize
	nvalues int // values pack takes and unpack returns
}

// nativeSize and standardSize are the item sizes of the format
// characters; nativeAlign the alignments of '@' on x86-64 Linux.
var (
	nativeSize   = map[byte]int{'x': 1, 'c': 1, 'b': 1, 'B': 1, '?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 8, 'L': 8, 'q': 8, 'Q': 8, 'n': 8, 'N': 8, 'e': 2, 'f': 4, 'd': 8, 's': 1, 'p': 1, 'P': 8}
	standardSize = map[byte]int{'x': 1, 'c': 1, 'b': 1, 'B': 1, '?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 4, 'L': 4, 'q': 8, 'Q': 8, 'e': 2, 'f': 4, 'd': 8, 's': 1, 'p': 1}
	nativeAlign  = map[byte]int{'?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 8, 'L': 8, 'q': 8, 'Q': 8, 'n': 8, 'N': 8, 'e': 2, 'f': 4, 'd': 8, 'P': 8}
)

func structError(msg string) *py.Exception { return py.NewException(Error, msg) }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// parseFormat parses a format as CPython's prepare_s does.
func parseFormat(text string) (*format, error) {
	for i := 0; i < len(text); i++ {
		if text[i] == 0 {
			return nil, structError("embedded null character")
		}
		if text[i] >= 0x80 {
			return nil, py.Errorf(py.UnicodeEncodeError, "'ascii' codec can't encode character in position %d: ordinal not in range(128)", i)
		}
	}
	f := &format{text: text, order: native}
	s := text
	if len(s) > 0 {
		switch s[0] {
		case '@':
			s = s[1:]
		case '<', '=':
			f.order, s = littleStd, s[1:]
		case '>', '!':
			f.order, s = bigStd, s[1:]
		}
	}
	sizes := standardSize
	if f.order == native {
		sizes = nativeSize
	}
	overflow := structError("total struct size too long")
	size := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSpace(c) {
			continue
		}
		num := 1
		if '0' <= c && c <= '9' {
			num = int(c - '0')
			for i++; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
				d := int(s[i] - '0')
				if num > (maxStructLen-d)/10 {
					return nil, overflow
				}
				num = num*10 + d
			}
			if i == len(s) {
				return nil, structError("repeat count given without format specifier")
			}
			c = s[i]
		}
		itemSize, ok := sizes[c]
		if !ok {
			return nil, structError("bad char in struct format")
		}
		if f.order == native {
			if a := nativeAlign[c]; a > 0 && size > 0 {
				extra := (a - 1) - (size-1)%a
				if extra > maxStructLen-size {
					return nil, overflow
				}
				size += extra
			}
		}
		if num > (maxStructLen-size)/itemSize {
			return nil, overflow
		}
		switch c {
		case 's', 'p':
			f.nvalues++
		case 'x':
		default:
			f.nvalues += num
		}
		if c != 'x' {
			f.codes = append(f.codes, code{c: c, num: num, size: itemSize, offset: size})
		}
		size += num * itemSize
	}
	f.size = size
	return f, nil
}

// byteOrder is the format's byte order.
func (f *format) byteOrder() binary.ByteOrder {
	if f.order == bigStd {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// uintOf reads an unsigned integer of n bytes (1, 2, 4 or 8) from the
// start of s, without copying s.
func uintOf(s string, n int, big bool) uint64 {
	var u uint64
	if big {
		for i := 0; i < n; i++ {
			u = u<<8 | uint64(s[i])
		}
		return u
	}
	for i := n - 1; i >= 0; i-- {
		u = u<<8 | uint64(s[i])
	}
	return u
}

// pack packs values, as many as f.nvalues.
func (f *format) pack(values starlark.Tuple) ([]byte, error) {
	if len(values) != f.nvalues {
		return nil, py.Errorf(Error, "pack expected %d items for packing (got %d)", f.nvalues, len(values))
	}
	out := make([]byte, f.size)
	order := f.byteOrder()
	next := 0
	for _, cd := range f.codes {
		switch cd.c {
		case 's', 'p':
			if err := packString(out[cd.offset:cd.offset+cd.num], cd.c, values[next]); err != nil {
				return nil, err
			}
			next++
			continue
		}
		for k := 0; k < cd.num; k++ {
			if err := f.packItem(out[cd.offset+k*cd.size:], cd, values[next], order); err != nil {
				return nil, err
			}
			next++
		}
	}
	return out, nil
}

// packString packs an s (zero-padded) or p (Pascal, a length byte
// first) field of len(dst) bytes.
func packString(dst []byte, c byte, v starlark.Value) error {
	b, ok := py.BytesLike(v)
	if !ok {
		return py.Errorf(Error, "argument for '%c' must be a bytes object", c)
	}
	if c == 's' {
		copy(dst, b)
		return nil
	}
	if len(dst) == 0 {
		return nil
	}
	n := min(len(b), len(dst)-1)
	copy(dst[1:], b[:n])
	dst[0] = byte(min(n, 255))
	return nil
}

func (f *format) packItem(dst []byte, cd code, v starlark.Value, order binary.ByteOrder) error {
	switch cd.c {
	case 'c':
		b, ok := v.(py.Bytes) // not a bytearray, as CPython's
		if !ok || len(b) != 1 {
			return structError("char format requires a bytes object of length 1")
		}
		dst[0] = b[0]
	case '?':
		if v.Truth() {
			dst[0] = 1
		} else {
			dst[0] = 0
		}
	case 'e':
		x, err := floatArg(v)
		if err != nil {
			return err
		}
		h, ok := halfFromFloat(x)
		if !ok {
			return py.Errorf(py.OverflowError, "float too large to pack with e format")
		}
		order.PutUint16(dst, h)
	case 'f':
		x, err := floatArg(v)
		if err != nil {
			return err
		}
		y := float32(x)
		if f.order != native && math.IsInf(float64(y), 0) && !math.IsInf(x, 0) {
			return py.Errorf(py.OverflowError, "float too large to pack with f format")
		}
		order.PutUint32(dst, math.Float32bits(y))
	case 'd':
		x, err := floatArg(v)
		if err != nil {
			return err
		}
		order.PutUint64(dst, math.Float64bits(x))
	default:
		u, err := f.intBits(cd, v)
		if err != nil {
			return err
		}
		switch cd.size {
		case 1:
			dst[0] = byte(u)
		case 2:
			order.PutUint16(dst, uint16(u))
		case 4:
			order.PutUint32(dst, uint32(u))
		default:
			order.PutUint64(dst, u)
		}
	}
	return nil
}

// floatArg converts a value packed as e, f or d: ints and floats.
func floatArg(v starlark.Value) (float64, error) {
	switch v := v.(type) {
	case starlark.Float:
		return float64(v), nil
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case starlark.Int:
		f, _ := new(big.Float).SetInt(v.BigInt()).Float64()
		if !math.IsInf(f, 0) {
			return f, nil
		}
	}
	return 0, structError("required argument is not a float")
}

// getter is how CPython reads an int before checking a format's range:
// as a C long or unsigned long (failing with "argument out of range"),
// or, for '>q', '>Q' and 'P', as bytes of the item's width.
type getter int

const (
	getLong getter = iota
	getULong
	getInt64Bytes
	getUint64Bytes
	getPointer
)

var (
	minInt64  = big.NewInt(math.MinInt64)
	maxUint64 = new(big.Int).SetUint64(math.MaxUint64)
)

// intBits converts an int packed by an integer code to its two's
// complement bits, with CPython 3.11's errors for each table.
func (f *format) intBits(cd code, v starlark.Value) (uint64, error) {
	var n *big.Int
	switch v := v.(type) {
	case starlark.Int:
		n = v.BigInt()
	case starlark.Bool:
		n = big.NewInt(0)
		if v {
			n.SetInt64(1)
		}
	default:
		return 0, structError("required argument is not an integer")
	}
	get, lo, hi, rangeMsg := f.intRule(cd)
	switch get {
	case getLong:
		if !n.IsInt64() {
			return 0, structError("argument out of range")
		}
	case getULong:
		if n.Sign() < 0 || !n.IsUint64() {
			return 0, structError("argument out of range")
		}
	case getInt64Bytes:
		if !n.IsInt64() {
			return 0, structError("int too large to convert")
		}
		return uint64(n.Int64()), nil
	case getUint64Bytes:
		if n.Sign() < 0 || !n.IsUint64() {
			return 0, structError("int too large to convert")
		}
		return n.Uint64(), nil
	case getPointer:
		if n.Cmp(minInt64) < 0 || n.Cmp(maxUint64) > 0 {
			return 0, structError("int too large to convert")
		}
		if n.Sign() < 0 {
			return uint64(n.Int64()), nil
		}
		return n.Uint64(), nil
	}
	if rangeMsg != "" && (n.Cmp(lo) < 0 || n.Cmp(hi) > 0) {
		return 0, structError(rangeMsg)
	}
	if n.Sign() < 0 {
		return uint64(n.Int64()), nil
	}
	return n.Uint64(), nil
}

// intRule is how CPython 3.11 checks an int for an integer code: the
// getter, then the range [lo, hi] and the message when outside it ("" when
// the getter's range is the format's). Little-endian formats use the
// native functions for the codes whose sizes agree.
func (f *format) intRule(cd code) (get getter, lo, hi *big.Int, msg string) {
	bits := uint(8 * cd.size)
	signedRange := func() (*big.Int, *big.Int) {
		h := new(big.Int).Lsh(big.NewInt(1), bits-1)
		return new(big.Int).Neg(h), h.Sub(h, big.NewInt(1))
	}
	unsignedRange := func() (*big.Int, *big.Int) {
		h := new(big.Int).Lsh(big.NewInt(1), bits)
		return big.NewInt(0), h.Sub(h, big.NewInt(1))
	}
	quoted := func(lo, hi *big.Int) string {
		return "'" + string(cd.c) + "' format requires " + lo.String() + " <= number <= " + hi.String()
	}
	switch cd.c {
	case 'b':
		lo, hi = signedRange()
		return getLong, lo, hi, "byte format requires -128 <= number <= 127"
	case 'B':
		lo, hi = unsignedRange()
		return getLong, lo, hi, "ubyte format requires 0 <= number <= 255"
	case 'P':
		return getPointer, nil, nil, ""
	case 'n':
		return getLong, nil, nil, ""
	case 'N':
		return getULong, nil, nil, ""
	}
	if f.order == bigStd {
		switch cd.c {
		case 'q':
			return getInt64Bytes, nil, nil, ""
		case 'Q':
			return getUint64Bytes, nil, nil, ""
		case 'h', 'i', 'l':
			lo, hi = signedRange()
			return getLong, lo, hi, quoted(lo, hi)
		}
		lo, hi = unsignedRange() // H, I, L
		return getULong, lo, hi, quoted(lo, hi)
	}
	switch cd.c {
	case 'h':
		lo, hi = signedRange()
		return getLong, lo, hi, "short format requires -32768 <= number <= 32767"
	case 'H':
		lo, hi = unsignedRange()
		return getLong, lo, hi, "ushort format requires 0 <= number <= 65535"
	case 'i', 'l', 'q':
		if cd.size == 8 {
			return getLong, nil, nil, ""
		}
		lo, hi = signedRange()
		return getLong, lo, hi, quoted(lo, hi)
	}
	if cd.size == 8 { // L and Q native, Q little-endian
		return getULong, nil, nil, ""
	}
	lo, hi = unsignedRange() // I, and L little-endian
	return getULong, lo, hi, quoted(lo, hi)
}

// unpack unpacks data of exactly f.size bytes.
func (f *format) unpack(data string) (starlark.Tuple, error) {
	values := make(starlark.Tuple, 0, f.nvalues)
	big := f.order == bigStd
	for _, cd := range f.codes {
		switch cd.c {
		case 's':
			values = append(values, py.Bytes(data[cd.offset:cd.offset+cd.num]))
			continue
		case 'p':
			if cd.num == 0 {
				return nil, py.NewException(py.SystemError, // CPython's answer to the field "0p"
					"Negative size passed to PyBytes_FromStringAndSize")
			}
			n := min(int(data[cd.offset]), cd.num-1)
			values = append(values, py.Bytes(data[cd.offset+1:cd.offset+1+n]))
			continue
		}
		for k := 0; k < cd.num; k++ {
			values = append(values, unpackItem(data[cd.offset+k*cd.size:], cd, big))
		}
	}
	return values, nil
}

func unpackItem(data string, cd code, big bool) starlark.Value {
	switch cd.c {
	case 'c':
		return py.Bytes(data[:1])
	case '?':
		return starlark.Bool(data[0] != 0)
	case 'b':
		return starlark.MakeInt(int(int8(data[0])))
	case 'B':
		return starlark.MakeInt(int(data[0]))
	}
	u := uintOf(data, cd.size, big)
	switch cd.c {
	case 'e':
		return starlark.Float(halfToFloat(uint16(u)))
	case 'f':
		return starlark.Float(math.Float32frombits(uint32(u)))
	case 'd':
		return starlark.Float(math.Float64frombits(u))
	case 'h', 'i', 'l', 'q', 'n':
		shift := 64 - 8*cd.size
		return starlark.MakeInt64(int64(u<<shift) >> shift)
	}
	return starlark.MakeUint64(u)
}

// halfFromFloat packs x as IEEE 754 binary16, rounding half to even as
// CPython's PyFloat_Pack2 does; ok is false when x is too large.
func halfFromFloat(x float64) (h uint16, ok bool) {
	var sign uint16
	if math.Signbit(x) {
		sign = 0x8000
	}
	switch {
	case math.IsNaN(x):
		return sign | 0x7e00, true
	case math.IsInf(x, 0):
		return sign | 0x7c00, true
	case x == 0:
		return sign, true
	}
	f, e := math.Frexp(math.Abs(x))
	f *= 2
	e--
	switch {
	case e >= 16:
		return 0, false
	case e < -25:
		f, e = 0, 0
	case e < -14:
		f, e = math.Ldexp(f, 14+e), 0
	default:
		e += 15
		f--
	}
	f *= 1024
	bits := uint16(f)
	if frac := f - float64(bits); frac > 0.5 || (frac == 0.5 && bits%2 == 1) {
		bits++
		if bits == 1024 {
			bits = 0
			e++
			if e == 31 {
				return 0, false
			}
		}
	}
	return bits | uint16(e)<<10 | sign, true
}

// halfToFloat unpacks IEEE 754 binary16.
func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	e := int(h>>10) & 0x1f
	f := float64(h & 0x3ff)
	switch e {
	case 0x1f:
		if f == 0 {
			return math.Inf(int(sign))
		}
		return math.Copysign(math.NaN(), sign)
	case 0:
		return sign * math.Ldexp(f, -24)
	}
	return sign * math.Ldexp(1+f/1024, e-15)
}
