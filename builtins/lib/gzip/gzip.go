// Package gzip is Python's gzip module for kstar scripts: compress(data,
// compresslevel=9, *, mtime=None), decompress(data) (every member, zero
// padding between them skipped), GzipFile (over a file object such as
// io.BytesIO, or a file it opens) and the exception BadGzipFile, with
// CPython 3.11's headers and errors.
//
// The header compress writes is CPython's, byte for byte, for the same
// level and mtime; the deflate data after it comes from Go's
// compress/flate, so it differs from CPython's zlib (both decompress
// either). Not offered: gzip.open, GzipFile's seek and text modes.
package gzip

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	pystruct "github.com/kstar-dev/kstar/builtins/lib/struct"
	"github.com/kstar-dev/kstar/builtins/lib/zlib"
	"github.com/kstar-dev/kstar/builtins/py"
)

// BadGzipFile is gzip.BadGzipFile, an OSError.
var BadGzipFile = &py.ExceptionClass{ClassName: "BadGzipFile", Module: "gzip", Base: py.OSError}

// New returns the gzip module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "gzip", Members: starlark.StringDict{
		"compress":    py.Func("compress", compress),
		"decompress":  py.Func("decompress", decompress),
		"BadGzipFile": BadGzipFile,
		"GzipFile":    GzipFileClass,
	}}
}

var compressSpec = &pyargs.Func{Name: "compress", Params: []string{"data", "compresslevel", "*", "mtime"}, Required: 1}

// compress is gzip.compress(data, compresslevel=9, *, mtime=None): with
// mtime 0 zlib's gzip header (OS 3), otherwise gzip's own (OS 255) with
// the time now or mtime.
func compress(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data, level, mtime starlark.Value = nil, starlark.MakeInt(9), starlark.None
	if err := compressSpec.Bind(args, kwargs, &data, &level, &mtime); err != nil {
		return nil, err
	}
	if isZero(mtime) {
		d, err := pyargs.Bytes(data)
		if err != nil {
			return nil, err
		}
		l, err := pyargs.Int64(level)
		if err != nil {
			return nil, err
		}
		out, err := zlib.Compress(d, int(l), 31)
		if err != nil {
			return nil, err
		}
		return py.Bytes(out), nil
	}
	seconds, err := mtimeSeconds(mtime)
	if err != nil {
		return nil, err
	}
	d, err := pyargs.Bytes(data)
	if err != nil {
		return nil, err
	}
	l, err := pyargs.Int64(level)
	if err != nil {
		return nil, err
	}
	out, err := gzipMember(d, l, seconds)
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

// gzipMember is a gzip member of d with gzip's own header (OS 255, no name),
// as compress and GzipFile write it.
func gzipMember(d string, l int64, seconds uint32) ([]byte, error) {
	if l < -1 || l > 9 {
		return nil, py.Errorf(zlib.Error, "Bad compression level")
	}
	xfl := byte(0) // CPython compares compresslevel with 9 and 1 only
	switch l {
	case 9:
		xfl = 2
	case 1:
		xfl = 4
	}
	var out bytes.Buffer
	out.Write([]byte{0x1f, 0x8b, 8, 0})
	out.Write(binary.LittleEndian.AppendUint32(nil, seconds))
	out.Write([]byte{xfl, 255})
	if l == -1 {
		l = 6
	}
	if err := zlib.Deflate(&out, d, int(l), 15); err != nil {
		return nil, py.Errorf(zlib.Error, "Error %v while compressing data", err)
	}
	out.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE([]byte(d))))
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(d))))
	return out.Bytes(), nil
}

// isZero is Python's mtime == 0.
func isZero(v starlark.Value) bool {
	switch v := v.(type) {
	case starlark.Int:
		return v.Sign() == 0
	case starlark.Float:
		return v == 0
	case starlark.Bool:
		return !bool(v)
	}
	return false
}

// mtimeSeconds is int(mtime) packed as struct's '<L', with its errors;
// None is the time now.
func mtimeSeconds(v starlark.Value) (uint32, error) {
	var n float64
	switch v := v.(type) {
	case starlark.NoneType:
		return uint32(time.Now().Unix()), nil
	case starlark.Float:
		switch {
		case math.IsNaN(float64(v)):
			return 0, py.Errorf(py.ValueError, "cannot convert float NaN to integer")
		case math.IsInf(float64(v), 0):
			return 0, py.Errorf(py.OverflowError, "cannot convert float infinity to integer")
		}
		n = math.Trunc(float64(v))
	default:
		i, err := pyargs.Index(v)
		if err != nil {
			return 0, py.Errorf(py.TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", py.TypeName(v))
		}
		f, _, err := pyargs.Float(i)
		if err != nil {
			n = math.Inf(i.Sign())
		} else {
			n = f
		}
	}
	switch {
	case n < 0 || n >= 1<<64:
		return 0, py.Errorf(pystruct.Error, "argument out of range")
	case n > math.MaxUint32:
		return 0, py.Errorf(pystruct.Error, "'L' format requires 0 <= number <= 4294967295")
	}
	return uint32(n), nil
}

var decompressSpec = &pyargs.Func{Name: "decompress", Params: []string{"data"}, Required: 1}

func errEOF() error {
	return py.Errorf(py.EOFError, "Compressed file ended before the end-of-stream marker was reached")
}

// decompress is gzip.decompress(data): the members one after another.
func decompress(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data starlark.Value
	if err := decompressSpec.Bind(args, kwargs, &data); err != nil {
		return nil, err
	}
	d, err := pyargs.Bytes(data)
	if err != nil {
		return nil, err
	}
	out, err := decompressMembers(thread, d)
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

// decompressMembers is the data of the gzip members of d, one after
// another (zero bytes between them skipped).
func decompressMembers(thread *starlark.Thread, d string) ([]byte, error) {
	var out []byte
	for {
		r := bytes.NewReader([]byte(d))
		more, err := readHeader(r)
		if err != nil {
			return nil, err
		}
		if !more {
			return out, nil
		}
		member, err := zlib.Inflate(thread, r)
		if err == zlib.ErrIncomplete {
			return nil, errEOF()
		}
		if err != nil {
			return nil, err
		}
		var trailer [8]byte
		if n, _ := r.Read(trailer[:]); n < 8 {
			return nil, errEOF()
		}
		if binary.LittleEndian.Uint32(trailer[:4]) != crc32.ChecksumIEEE(member) {
			return nil, py.NewException(BadGzipFile, "CRC check failed")
		}
		if binary.LittleEndian.Uint32(trailer[4:]) != uint32(len(member)) {
			return nil, py.NewException(BadGzipFile, "Incorrect length of data produced")
		}
		out = append(out, member...)
		d = d[len(d)-r.Len():]
		for len(d) > 0 && d[0] == 0 {
			d = d[1:]
		}
	}
}

// readHeader reads a member's header as CPython's _read_gzip_header:
// false at the end of the data.
func readHeader(r *bytes.Reader) (bool, error) {
	if r.Len() == 0 {
		return false, nil
	}
	exact := func(n int) ([]byte, error) {
		b := make([]byte, n)
		if got, _ := r.Read(b); got < n {
			return nil, errEOF()
		}
		return b, nil
	}
	magic := make([]byte, min(2, r.Len()))
	r.Read(magic)
	if !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return false, py.Errorf(BadGzipFile, "Not a gzipped file (%s)", py.Repr(py.Bytes(magic)))
	}
	h, err := exact(8)
	if err != nil {
		return false, err
	}
	if h[0] != 8 {
		return false, py.NewException(BadGzipFile, "Unknown compression method")
	}
	flags := h[1]
	if flags&4 != 0 { // FEXTRA
		n, err := exact(2)
		if err != nil {
			return false, err
		}
		if _, err := exact(int(binary.LittleEndian.Uint16(n))); err != nil {
			return false, err
		}
	}
	for _, flag := range []byte{8, 16} { // FNAME, FCOMMENT: up to a zero byte or the end
		if flags&flag == 0 {
			continue
		}
		for {
			c, err := r.ReadByte()
			if err != nil || c == 0 {
				break
			}
		}
	}
	if flags&2 != 0 { // FHCRC, not checked
		if _, err := exact(2); err != nil {
			return false, err
		}
	}
	return true, nil
}
