// Package codecs is kstar's codecs module: the text encodings of
// str.encode and bytes.decode (py.LookupCodec: utf-8, utf-8-sig, utf-16,
// utf-32 and their -le/-be forms, ascii, latin-1, cp1252) by name:
//
//	encode(obj, encoding='utf-8', errors='strict')   str to bytes
//	decode(obj, encoding='utf-8', errors='strict')   bytes to str
//	lookup(encoding)   a CodecInfo: name (CPython's normalised one),
//	                   encode(s, errors='strict') and decode(b,
//	                   errors='strict'), each returning (result, length
//	                   of the input)
//	open(filename, mode='r', encoding=None, errors='strict', buffering=-1)
//	                   open() of the file through the host's grant,
//	                   coding lines with encoding, newlines untranslated
//	BOM, BOM_LE, BOM_BE, BOM_UTF8, BOM_UTF16(_LE, _BE), BOM_UTF32(_LE, _BE)
//
// Errors are CPython 3.11's, with its wrapping of a TypeError or
// LookupError by encode and decode ("encoding with 'utf-8' codec failed
// (TypeError: ...)"). Not offered: the bytes-to-bytes codecs (base64,
// hex, zlib), incremental and stream coders, register.
package codecs

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the codecs module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "codecs", Members: starlark.StringDict{
		"encode":       py.Func("encode", encode),
		"decode":       py.Func("decode", decode),
		"lookup":       py.Func("lookup", lookup),
		"open":         py.Func("open", open),
		"CodecInfo":    CodecInfoClass,
		"BOM":          py.Bytes("\xff\xfe"),
		"BOM_LE":       py.Bytes("\xff\xfe"),
		"BOM_BE":       py.Bytes("\xfe\xff"),
		"BOM_UTF8":     py.Bytes("\xef\xbb\xbf"),
		"BOM_UTF16":    py.Bytes("\xff\xfe"),
		"BOM_UTF16_LE": py.Bytes("\xff\xfe"),
		"BOM_UTF16_BE": py.Bytes("\xfe\xff"),
		"BOM_UTF32":    py.Bytes("\xff\xfe\x00\x00"),
		"BOM_UTF32_LE": py.Bytes("\xff\xfe\x00\x00"),
		"BOM_UTF32_BE": py.Bytes("\x00\x00\xfe\xff"),
	}}
}

var (
	encodeSpec = &pyargs.Func{Name: "encode", Params: []string{"obj", "encoding", "errors"}, Required: 1}
	decodeSpec = &pyargs.Func{Name: "decode", Params: []string{"obj", "encoding", "errors"}, Required: 1}
	openSpec   = &pyargs.Func{Name: "open", Params: []string{"filename", "mode", "encoding", "errors", "buffering"}, Required: 1}
)

// codingArgs binds (obj, encoding='utf-8', errors='strict').
func codingArgs(spec *pyargs.Func, args starlark.Tuple, kwargs []starlark.Tuple) (obj starlark.Value, encoding, errors string, err error) {
	var enc, errs starlark.Value
	if err := spec.Bind(args, kwargs, &obj, &enc, &errs); err != nil {
		return nil, "", "", err
	}
	encoding, errors = "utf-8", "strict"
	for _, a := range []struct {
		v    starlark.Value
		name string
		dst  *string
	}{{enc, "encoding", &encoding}, {errs, "errors", &errors}} {
		if a.v == nil {
			continue
		}
		s, ok := a.v.(starlark.String)
		if !ok {
			return nil, "", "", py.Errorf(py.TypeError, "%s() argument '%s' must be str, not %s", spec.Name, a.name, py.TypeName(a.v))
		}
		*a.dst = string(s)
	}
	return obj, encoding, errors, nil
}

// encode is codecs.encode(obj, encoding='utf-8', errors='strict').
func encode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	obj, encoding, errors, err := codingArgs(encodeSpec, args, kwargs)
	if err != nil {
		return nil, err
	}
	c, err := py.LookupCodec(encoding)
	if err != nil {
		return nil, err
	}
	v, _, err := encodeWith(c, obj, errors)
	if err != nil {
		return nil, py.WrapCodecError(err, "encoding", encoding)
	}
	return v, nil
}

// decode is codecs.decode(obj, encoding='utf-8', errors='strict').
func decode(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	obj, encoding, errors, err := codingArgs(decodeSpec, args, kwargs)
	if err != nil {
		return nil, err
	}
	c, err := py.LookupCodec(encoding)
	if err != nil {
		return nil, err
	}
	v, _, err := decodeWith(c, obj, errors)
	if err != nil {
		return nil, py.WrapCodecError(err, "decoding", encoding)
	}
	return v, nil
}

// encoderName is the name of the C function of CPython's codec that
// encodes, which its TypeErrors name.
func encoderName(c *py.Codec) string {
	switch c.Name {
	case "iso8859-1":
		return "latin_1_encode"
	case "cp1252":
		return "charmap_encode"
	case "utf-8-sig":
		return "utf_8_encode"
	}
	return strings.ReplaceAll(c.Name, "-", "_") + "_encode"
}

// encodeWith encodes a str with c: the bytes and the length of the str.
func encodeWith(c *py.Codec, obj starlark.Value, errors string) (starlark.Value, int, error) {
	s, ok := obj.(starlark.String)
	if !ok {
		return nil, 0, py.Errorf(py.TypeError, "%s() argument 1 must be str, not %s", encoderName(c), py.TypeName(obj))
	}
	out, err := c.Encode(string(s), errors)
	if err != nil {
		return nil, 0, err
	}
	return py.Bytes(out), utf8.RuneCountInString(string(s)), nil
}

// decodeWith decodes bytes with c: the str and the length of the bytes.
func decodeWith(c *py.Codec, obj starlark.Value, errors string) (starlark.Value, int, error) {
	data, err := pyargs.Bytes(obj)
	if err != nil {
		return nil, 0, err
	}
	out, err := c.Decode(data, errors)
	if err != nil {
		return nil, 0, err
	}
	return starlark.String(out), len(data), nil
}

// lookup is codecs.lookup(encoding).
func lookup(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var encoding starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &encoding); err != nil {
		return nil, err
	}
	name, ok := encoding.(starlark.String)
	if !ok {
		return nil, py.Errorf(py.TypeError, "lookup() argument must be str, not %s", py.TypeName(encoding))
	}
	c, err := py.LookupCodec(string(name))
	if err != nil {
		return nil, err
	}
	return &CodecInfo{codec: c}, nil
}

// CodecInfoClass is codecs.CodecInfo, the class of lookup's results.
var CodecInfoClass = &pyclass.Class{Module: "codecs", ClassName: "CodecInfo",
	Make: func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return nil, py.Errorf(py.TypeError, "kstar makes CodecInfo objects only by codecs.lookup()")
	},
	Instance: func(v starlark.Value) bool { _, ok := v.(*CodecInfo); return ok }}

// CodecInfo is what codecs.lookup returns: the codec's name and its
// stateless encode and decode functions.
type CodecInfo struct{ codec *py.Codec }

var (
	_ starlark.HasAttrs = (*CodecInfo)(nil)
	_ py.PyClasser      = (*CodecInfo)(nil)
)

func (ci *CodecInfo) String() string {
	return fmt.Sprintf("<codecs.CodecInfo object for encoding %s at %p>", ci.codec.Name, ci)
}
func (ci *CodecInfo) Type() string            { return "CodecInfo" }
func (ci *CodecInfo) Freeze()                 {}
func (ci *CodecInfo) Truth() starlark.Bool    { return true }
func (ci *CodecInfo) Hash() (uint32, error)   { return starlark.String(ci.String()).Hash() }
func (ci *CodecInfo) PyClass() starlark.Value { return CodecInfoClass }
func (ci *CodecInfo) AttrNames() []string     { return []string{"decode", "encode", "name"} }

// Attr is name, encode(input, errors='strict') and decode(input,
// errors='strict').
func (ci *CodecInfo) Attr(name string) (starlark.Value, error) {
	coding := encodeWith
	switch name {
	case "name":
		return starlark.String(ci.codec.Name), nil
	case "decode":
		coding = decodeWith
	case "encode":
	default:
		return nil, nil
	}
	fname := encoderName(ci.codec)
	if name == "decode" {
		fname = strings.TrimSuffix(fname, "encode") + "decode"
	}
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var input starlark.Value
		errors := "strict"
		if len(args) > 2 {
			return nil, py.Errorf(py.TypeError, "%s expected at most 2 arguments, got %d", fname, len(args))
		}
		if err := starlark.UnpackPositionalArgs(fname, args, kwargs, 1, &input, &errors); err != nil {
			return nil, err
		}
		v, n, err := coding(ci.codec, input, errors)
		if err != nil {
			return nil, err
		}
		return starlark.Tuple{v, starlark.MakeInt(n)}, nil
	}), nil
}

// open is codecs.open(filename, mode='r', encoding=None, errors='strict',
// buffering=-1): open() of the file (through the host's grant), as a
// text file of encoding without newline translation when encoding is
// given (CPython's StreamReaderWriter reads and writes str too).
func open(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var filename, mode, encoding, errors, buffering starlark.Value
	if err := openSpec.Bind(args, kwargs, &filename, &mode, &encoding, &errors, &buffering); err != nil {
		return nil, err
	}
	if mode == nil {
		mode = starlark.String("r")
	}
	if buffering == nil {
		buffering = starlark.MakeInt(-1)
	}
	builtinOpen := py.Globals()["open"]
	if encoding == nil || encoding == starlark.None {
		return starlark.Call(thread, builtinOpen, starlark.Tuple{filename, mode, buffering}, nil)
	}
	if m, ok := mode.(starlark.String); ok {
		mode = starlark.String(strings.ReplaceAll(string(m), "b", ""))
	}
	if errors == nil {
		errors = starlark.String("strict")
	}
	return starlark.Call(thread, builtinOpen, starlark.Tuple{filename, mode, buffering}, []starlark.Tuple{
		{starlark.String("encoding"), encoding},
		{starlark.String("errors"), errors},
		{starlark.String("newline"), starlark.String("")},
	})
}
