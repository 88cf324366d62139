// Package msgpack is kstar's msgpack module: it offers msgpack-python (1.x) packing, byte for byte:
//
//	packb(o, *, default=None, use_single_float=False, use_bin_type=True)
//	unpackb(packed, *, use_list=True, raw=False, strict_map_key=True)
//	dumps, loads                 the same functions as packb, unpackb
//	ExtType(code, data)          an extension value (a namedtuple)
//	Timestamp(seconds, nanoseconds=0)
//	ExtraData, FormatError, StackError   (msgpack.exceptions)
//
// str packs as the str family, bytes as bin, int in its smallest encoding,
// float always as float64 (float32 with use_single_float), list and tuple
// as array, dict as map in insertion order. unpackb gives str for str
// (bytes with raw=True), bytes for bin, lists for arrays (tuples with
// use_list=False) and accepts only str and bytes map keys unless
// strict_map_key=False. Like msgpack-python, unpackb bounds every declared
// length by the size of its input, so a corrupt header cannot make it
// allocate more than the input justifies.
package msgpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the msgpack module for an execution.
func New(env *py.Env) starlark.Value {
	pack := py.Func("packb", msgpackPackb)
	unpack := py.Func("unpackb", msgpackUnpackb)
	return &starlarkstruct.Module{Name: "msgpack", Members: starlark.StringDict{
		"packb":       pack,
		"dumps":       pack,
		"unpackb":     unpack,
		"loads":       unpack,
		"ExtType":     ExtTypeType,
		"Timestamp":   TimestampType,
		"ExtraData":   ExtraData,
		"FormatError": FormatError,
		"StackError":  StackError,
	}}
}

// msgpack-python's exceptions.
var (
	// ExtraData: unpackb's input has bytes after the first object.
	ExtraData = py.NewExceptionClass("ExtraData", "msgpack.exceptions", py.ValueError)
	// FormatError: the input uses the reserved type code 0xc1.
	FormatError = py.NewExceptionClass("FormatError", "msgpack.exceptions", py.ValueError)
	// StackError: the input nests containers deeper than 1024.
	StackError = py.NewExceptionClass("StackError", "msgpack.exceptions", py.ValueError)
)

var (
	// ExtTypeType is msgpack.ExtType(code, data): an extension type value
	// that packs as ext with the given code (0..127) and data bytes.
	ExtTypeType = py.NewNamedTupleType("ExtType", []string{"code", "data"})
	// TimestampType is msgpack.Timestamp(seconds, nanoseconds=0), the
	// extension type -1.
	TimestampType = py.NewNamedTupleType("Timestamp", []string{"seconds", "nanoseconds"}, starlark.MakeInt(0))
)

// msgpack-python's limits.
const (
	msgpackRecurseLimit = 1024      // nesting that packb follows
	msgpackStackSize    = 1024      // open containers that unpackb allows
	msgpackItemLimit    = 1<<32 - 1 // longest str, bin, array or map
	// msgpackMaxPrealloc bounds the room reserved for a container before
	// its elements are read: nested headers that each declare as many
	// elements as the input has bytes must not reserve memory at each level.
	msgpackMaxPrealloc = 1024
)

// ---- packb ----

type msgpackPacker struct {
	thread         *starlark.Thread
	buf            bytes.Buffer
	enc            *msgpack.Encoder
	useBinType     bool
	useSingleFloat bool
	dflt           starlark.Value
	meter          py.Meter
}

// msgpackPackb is msgpack.packb(o, **options).
func msgpackPackb(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.PositionalArgsError("packb", []string{"o"}, len(args))
	}
	p := &msgpackPacker{thread: thread, dflt: starlark.None, meter: py.NewMeter(thread)}
	var useBinType, useSingleFloat starlark.Value = starlark.True, starlark.False
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs,
		"default?", &p.dflt, "use_single_float?", &useSingleFloat, "use_bin_type?", &useBinType); err != nil {
		return nil, err
	}
	if p.dflt != starlark.None {
		if _, ok := p.dflt.(starlark.Callable); !ok {
			return nil, py.Errorf(py.TypeError, "default must be a callable.")
		}
	}
	p.useBinType, p.useSingleFloat = bool(useBinType.Truth()), bool(useSingleFloat.Truth())
	p.enc = msgpack.NewEncoder(&p.buf)
	if err := p.pack(args[0], msgpackRecurseLimit); err != nil {
		return nil, err
	}
	return py.Bytes(p.buf.String()), nil
}

// pack is msgpack-python's Packer._pack: default is tried once per value,
// when the value itself cannot be packed.
func (p *msgpackPacker) pack(v starlark.Value, nestLimit int) error {
	if nestLimit < 0 {
		return py.Errorf(py.ValueError, "recursion limit exceeded.")
	}
	nestLimit--
	if p.dflt != starlark.None {
		ok, err := p.packInner(v, true, nestLimit)
		if ok || err != nil {
			return err
		}
		if v, err = starlark.Call(p.thread, p.dflt, starlark.Tuple{v}, nil); err != nil {
			return err
		}
	}
	_, err := p.packInner(v, false, nestLimit)
	return err
}

// packInner packs v, or reports false when v needs default (willDefault).
func (p *msgpackPacker) packInner(v starlark.Value, willDefault bool, nestLimit int) (bool, error) {
	if err := p.meter.Tick(); err != nil {
		return false, err
	}
	e := p.enc
	var err error
	switch v := v.(type) {
	case starlark.NoneType:
		err = e.EncodeNil()
	case starlark.Bool:
		err = e.EncodeBool(bool(v))
	case starlark.Int:
		if i, ok := v.Int64(); ok {
			err = e.EncodeInt(i)
		} else if u, ok := v.Uint64(); ok {
			err = e.EncodeUint(u)
		} else if willDefault {
			return false, nil
		} else {
			return false, py.Errorf(py.OverflowError, "Integer value out of range")
		}
	case starlark.Float:
		f := float64(v)
		if math.IsNaN(f) {
			// Go's math.NaN() carries a payload; CPython's float('nan') has none.
			f = math.Float64frombits(math.Float64bits(f)&^(1<<51-1) | 1<<51)
		}
		if p.useSingleFloat {
			err = e.EncodeFloat32(float32(f))
		} else {
			err = e.EncodeFloat64(f)
		}
	case py.Bytes:
		if len(v) > msgpackItemLimit {
			return false, py.Errorf(py.ValueError, "bytes object is too large")
		}
		if p.useBinType {
			err = e.EncodeBytesLen(len(v))
		} else {
			err = p.rawHeader(len(v))
		}
		p.buf.WriteString(string(v))
	case starlark.String:
		if len(v) > msgpackItemLimit {
			return false, py.Errorf(py.ValueError, "unicode string is too large")
		}
		if p.useBinType {
			err = e.EncodeString(string(v))
		} else {
			err = p.rawHeader(len(v))
			p.buf.WriteString(string(v))
		}
	case *starlark.Dict:
		if err := e.EncodeMapLen(v.Len()); err != nil {
			return false, err
		}
		for _, item := range v.Items() {
			if err := p.pack(item[0], nestLimit); err != nil {
				return false, err
			}
			if err := p.pack(item[1], nestLimit); err != nil {
				return false, err
			}
		}
	case py.NamedTupleValue:
		switch v.TypeOf() {
		case ExtTypeType:
			return true, p.packExt(v.(*py.NamedTuple))
		case TimestampType:
			return true, p.packTimestamp(v.(*py.NamedTuple))
		}
		return true, p.packArray(py.NamedTupleValues(v), nestLimit)
	case starlark.Tuple:
		return true, p.packArray(v, nestLimit)
	case *starlark.List:
		elems := make([]starlark.Value, v.Len())
		for i := range elems {
			elems[i] = v.Index(i)
		}
		return true, p.packArray(elems, nestLimit)
	default:
		if willDefault {
			return false, nil
		}
		return false, py.Errorf(py.TypeError, "can not serialize '%s' object", py.TypeName(v))
	}
	return true, err
}

// rawHeader writes the header of the old raw type (use_bin_type=False):
// str and bytes alike, never str8, as msgpack-python does.
func (p *msgpackPacker) rawHeader(n int) error {
	switch {
	case n < 32:
		p.buf.WriteByte(msgpcode.FixedStrLow | byte(n))
	case n < 1<<16:
		p.buf.WriteByte(msgpcode.Str16)
		p.buf.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	default:
		p.buf.WriteByte(msgpcode.Str32)
		p.buf.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	}
	return nil
}

func (p *msgpackPacker) packArray(elems []starlark.Value, nestLimit int) error {
	if err := p.enc.EncodeArrayLen(len(elems)); err != nil {
		return err
	}
	for _, x := range elems {
		if err := p.pack(x, nestLimit); err != nil {
			return err
		}
	}
	return nil
}

// extHeader writes an ext header: fixext 1/2/4/8/16, else ext 8/16/32.
func (p *msgpackPacker) extHeader(code int8, n int) {
	fixed := map[int]byte{1: msgpcode.FixExt1, 2: msgpcode.FixExt2, 4: msgpcode.FixExt4, 8: msgpcode.FixExt8, 16: msgpcode.FixExt16}
	if c, ok := fixed[n]; ok {
		p.buf.WriteByte(c)
	} else if n < 256 {
		p.buf.Write([]byte{msgpcode.Ext8, byte(n)})
	} else if n < 1<<16 {
		p.buf.WriteByte(msgpcode.Ext16)
		p.buf.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	} else {
		p.buf.WriteByte(msgpcode.Ext32)
		p.buf.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	}
	p.buf.WriteByte(byte(code))
}

// packExt packs ExtType(code, data), checking it as ExtType's constructor does.
func (p *msgpackPacker) packExt(v *py.NamedTuple) error {
	code, ok := v.Field("code").(starlark.Int)
	if !ok {
		return py.Errorf(py.TypeError, "code must be int")
	}
	data, ok := v.Field("data").(py.Bytes)
	if !ok {
		return py.Errorf(py.TypeError, "data must be bytes")
	}
	c, ok := code.Int64()
	if !ok || c < 0 || c > 127 {
		return py.Errorf(py.ValueError, "code must be 0~127")
	}
	if len(data) > msgpackItemLimit {
		return py.Errorf(py.ValueError, "EXT data is too large")
	}
	p.extHeader(int8(c), len(data))
	p.buf.WriteString(string(data))
	return nil
}

// packTimestamp packs Timestamp(seconds, nanoseconds) as timestamp 32, 64
// or 96, the smallest that holds it.
func (p *msgpackPacker) packTimestamp(v *py.NamedTuple) error {
	secV, ok := v.Field("seconds").(starlark.Int)
	if !ok {
		return py.Errorf(py.TypeError, "seconds must be an integer")
	}
	nsecV, ok := v.Field("nanoseconds").(starlark.Int)
	if !ok {
		return py.Errorf(py.TypeError, "nanoseconds must be an integer")
	}
	nsec, ok := nsecV.Int64()
	if !ok || nsec < 0 || nsec > 999999999 {
		return py.Errorf(py.ValueError, "nanoseconds must be a non-negative integer less than 999999999.")
	}
	sec, ok := secV.Int64()
	if !ok {
		return py.Errorf(py.OverflowError, "Python int too large to convert to C long")
	}
	if sec>>34 == 0 {
		data64 := uint64(nsec)<<34 | uint64(sec)
		if data64&0xffffffff00000000 == 0 {
			p.extHeader(-1, 4)
			p.buf.Write(binary.BigEndian.AppendUint32(nil, uint32(data64)))
		} else {
			p.extHeader(-1, 8)
			p.buf.Write(binary.BigEndian.AppendUint64(nil, data64))
		}
		return nil
	}
	p.extHeader(-1, 12)
	p.buf.Write(binary.BigEndian.AppendUint32(nil, uint32(nsec)))
	p.buf.Write(binary.BigEndian.AppendUint64(nil, uint64(sec)))
	return nil
}

// ---- unpackb ----

type msgpackUnpacker struct {
	r                           *bytes.Reader
	dec                         *msgpack.Decoder
	size                        int // len(packed): the bound of every declared length
	useList, raw, strictMapKeys bool
	open                        int // containers being filled
	meter                       py.Meter
}

// errIncomplete is msgpack-python's error for input that ends too soon.
func errIncomplete() error { return py.Errorf(py.ValueError, "Unpack failed: incomplete input") }

// msgpackUnpackb is msgpack.unpackb(packed, **options).
func msgpackUnpackb(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, py.Errorf(py.TypeError, "unpackb() takes exactly 1 positional argument (%d given)", len(args))
	}
	packed, ok := py.AsBytes(args[0])
	if !ok {
		return nil, py.Errorf(py.TypeError, "a bytes-like object is required, not '%s'", py.TypeName(args[0]))
	}
	var useList, raw, strictMapKey starlark.Value = starlark.True, starlark.False, starlark.True
	if err := starlark.UnpackArgs(b.Name(), nil, kwargs,
		"use_list?", &useList, "raw?", &raw, "strict_map_key?", &strictMapKey); err != nil {
		return nil, err
	}
	r := bytes.NewReader([]byte(packed))
	u := &msgpackUnpacker{
		r: r, dec: msgpack.NewDecoder(r), size: len(packed), meter: py.NewMeter(thread),
		useList: bool(useList.Truth()), raw: bool(raw.Truth()), strictMapKeys: bool(strictMapKey.Truth()),
	}
	v, err := u.unpack()
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errIncomplete()
		}
		if py.AsException(err) == nil {
			return nil, &py.Exception{Class: FormatError, Cause: err}
		}
		return nil, err
	}
	if r.Len() > 0 {
		return nil, py.NewException(ExtraData, "unpack(b) received extra data.")
	}
	return v, nil
}

// readN reads n bytes of a str, bin or ext body that the input must hold.
func (u *msgpackUnpacker) readN(n int) ([]byte, error) {
	if n < 0 || n > u.r.Len() {
		return nil, errIncomplete()
	}
	buf := make([]byte, n)
	return buf, u.dec.ReadFull(buf)
}

func (u *msgpackUnpacker) unpack() (starlark.Value, error) {
	if err := u.meter.Tick(); err != nil {
		return nil, err
	}
	c, err := u.dec.PeekCode()
	if err != nil {
		return nil, err
	}
	switch {
	case msgpcode.IsFixedNum(c), c >= msgpcode.Int8 && c <= msgpcode.Int64:
		n, err := u.dec.DecodeInt64()
		return starlark.MakeInt64(n), err
	case c >= msgpcode.Uint8 && c <= msgpcode.Uint64:
		n, err := u.dec.DecodeUint64()
		return starlark.MakeUint64(n), err
	case c == msgpcode.Nil:
		return starlark.None, u.dec.DecodeNil()
	case c == msgpcode.False || c == msgpcode.True:
		b, err := u.dec.DecodeBool()
		return starlark.Bool(b), err
	case c == msgpcode.Float || c == msgpcode.Double:
		f, err := u.dec.DecodeFloat64()
		return starlark.Float(f), err
	case msgpcode.IsString(c), msgpcode.IsBin(c):
		n, err := u.dec.DecodeBytesLen()
		if err != nil {
			return nil, err
		}
		data, err := u.readN(n)
		if err != nil {
			return nil, err
		}
		if msgpcode.IsBin(c) || u.raw {
			return py.Bytes(data), nil
		}
		s, err := py.DecodeUTF8(string(data), "utf-8", false, 0)
		return starlark.String(s), err
	case msgpcode.IsFixedArray(c), c == msgpcode.Array16, c == msgpcode.Array32:
		n, err := u.dec.DecodeArrayLen()
		if err != nil {
			return nil, err
		}
		return u.unpackArray(n)
	case msgpcode.IsFixedMap(c), c == msgpcode.Map16, c == msgpcode.Map32:
		n, err := u.dec.DecodeMapLen()
		if err != nil {
			return nil, err
		}
		return u.unpackMap(n)
	case msgpcode.IsExt(c):
		code, n, err := u.dec.DecodeExtHeader()
		if err != nil {
			return nil, err
		}
		data, err := u.readN(n)
		if err != nil {
			return nil, err
		}
		if code == -1 {
			return unpackTimestamp(data)
		}
		if code < 0 {
			return nil, py.Errorf(py.ValueError, "code must be 0~127") // from ExtType(code, data)
		}
		return ExtTypeType.Make(starlark.MakeInt(int(code)), py.Bytes(data)), nil
	}
	return nil, py.NewException(FormatError, "") // 0xc1, never used
}

// enter opens a container, as msgpack-python's stack does even for empty ones.
func (u *msgpackUnpacker) enter() error {
	if u.open >= msgpackStackSize {
		return py.NewException(StackError, "")
	}
	return nil
}

func (u *msgpackUnpacker) unpackArray(n int) (starlark.Value, error) {
	if err := u.enter(); err != nil {
		return nil, err
	}
	if n > u.size {
		return nil, py.Errorf(py.ValueError, "%d exceeds max_array_len(%d)", n, u.size)
	}
	u.open++
	defer func() { u.open-- }()
	elems := make([]starlark.Value, 0, min(n, msgpackMaxPrealloc))
	for i := 0; i < n; i++ {
		v, err := u.unpack()
		if err != nil {
			return nil, err
		}
		elems = append(elems, v)
	}
	if u.useList {
		return starlark.NewList(elems), nil
	}
	return starlark.Tuple(elems), nil
}

func (u *msgpackUnpacker) unpackMap(n int) (starlark.Value, error) {
	if err := u.enter(); err != nil {
		return nil, err
	}
	if n > u.size/2 {
		return nil, py.Errorf(py.ValueError, "%d exceeds max_map_len(%d)", n, u.size/2)
	}
	u.open++
	defer func() { u.open-- }()
	d := starlark.NewDict(min(n, msgpackMaxPrealloc))
	for i := 0; i < n; i++ {
		k, err := u.unpack()
		if err != nil {
			return nil, err
		}
		v, err := u.unpack()
		if err != nil {
			return nil, err
		}
		switch k.(type) {
		case starlark.String, py.Bytes:
		default:
			if u.strictMapKeys {
				return nil, py.Errorf(py.ValueError, "%s is not allowed for map key when strict_map_key=True", py.TypeName(k))
			}
		}
		if err := d.SetKey(k, v); err != nil {
			return nil, py.Errorf(py.TypeError, "unhashable type: '%s'", unhashablePart(k))
		}
	}
	return d, nil
}

// unhashablePart names the type that makes k unhashable, as Python does
// for a tuple holding a list.
func unhashablePart(k starlark.Value) string {
	if t, ok := k.(starlark.Tuple); ok {
		for _, x := range t {
			if _, err := x.Hash(); err != nil {
				return unhashablePart(x)
			}
		}
	}
	return py.TypeName(k)
}

// unpackTimestamp decodes the data of extension type -1.
func unpackTimestamp(data []byte) (starlark.Value, error) {
	var sec int64
	var nsec uint32
	switch len(data) {
	case 4:
		sec = int64(binary.BigEndian.Uint32(data))
	case 8:
		v := binary.BigEndian.Uint64(data)
		nsec, sec = uint32(v>>34), int64(v&0x3ffffffff)
	case 12:
		nsec, sec = binary.BigEndian.Uint32(data), int64(binary.BigEndian.Uint64(data[4:]))
	default:
		return nil, py.Errorf(py.ValueError, "invalid timestamp data (length %d)", len(data))
	}
	if nsec > 999999999 {
		return nil, py.Errorf(py.ValueError, "nanoseconds must be a non-negative integer not greater than 999999999.")
	}
	return TimestampType.Make(starlark.MakeInt64(sec), starlark.MakeUint64(uint64(nsec))), nil
}

// Help documents the msgpack module's functions for help(obj).
var Help = py.HelpTable{
	// msgpack: dumps and loads are packb and unpackb, as in msgpack-python.
	"msgpack.packb":   {Params: "o, *, default=None, use_single_float=False, use_bin_type=True", Doc: "Pack o into msgpack bytes (msgpack.dumps is the same function)."},
	"msgpack.unpackb": {Params: "packed, *, use_list=True, raw=False, strict_map_key=True", Doc: "Unpack one object from msgpack bytes (msgpack.loads is the same function)."},
}
