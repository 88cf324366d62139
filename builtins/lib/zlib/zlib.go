// Package zlib is Python's zlib module for kstar scripts.
//
// It offers compress(data, level=-1, wbits=15), decompress(data,
// wbits=15, bufsize=16384), crc32, adler32, the exception zlib.error and
// the module's constants. wbits selects the container as zlib does: 9 to
// 15 a zlib stream, -9 to -15 raw deflate, 25 to 31 gzip; decompress also
// takes 0 (the window of the header), 16 + 8..15 (gzip only) and 32 +
// 8..15 (zlib or gzip, detected).
//
// Go's compress/flate does the deflating, so compressed bytes differ from
// CPython's (whose zlib makes other choices of matches and blocks) while
// the headers and trailers are the same and either side decompresses the
// other's output. With a window below 32 KiB (|wbits| < 15) the data is
// Huffman-coded without back-references, which every window allows.
// Errors are zlib's ("Error -3 while decompressing data: incorrect header
// check", "Error -5 ...: incomplete or truncated stream", "incorrect data
// check"); a corrupt deflate body gives "Error -3 while decompressing
// data: invalid input data" where zlib names the fault it found. Not
// offered: compressobj, decompressobj.
package zlib

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/py"
)

// Error is zlib.error.
var Error = &py.ExceptionClass{ClassName: "error", Module: "zlib", Base: py.PyException}

// New returns the zlib module.
func New(env *py.Env) starlark.Value {
	members := starlark.StringDict{
		"compress":   py.Func("compress", compress),
		"decompress": py.Func("decompress", decompress),
		"crc32":      py.Func("crc32", checksum("crc32", 0, crc32Update)),
		"adler32":    py.Func("adler32", checksum("adler32", 1, Adler32)),
		"error":      Error,

		"ZLIB_VERSION":         starlark.String("1.2.13"),
		"ZLIB_RUNTIME_VERSION": starlark.String("1.2.13"),
	}
	for name, v := range map[string]int{
		"MAX_WBITS": 15, "DEFLATED": 8, "DEF_MEM_LEVEL": 8, "DEF_BUF_SIZE": 16384,
		"Z_NO_COMPRESSION": 0, "Z_BEST_SPEED": 1, "Z_BEST_COMPRESSION": 9, "Z_DEFAULT_COMPRESSION": -1,
		"Z_FILTERED": 1, "Z_HUFFMAN_ONLY": 2, "Z_RLE": 3, "Z_FIXED": 4, "Z_DEFAULT_STRATEGY": 0,
		"Z_NO_FLUSH": 0, "Z_PARTIAL_FLUSH": 1, "Z_SYNC_FLUSH": 2, "Z_FULL_FLUSH": 3, "Z_FINISH": 4, "Z_BLOCK": 5, "Z_TREES": 6,
	} {
		members[name] = starlark.MakeInt(v)
	}
	return &starlarkstruct.Module{Name: "zlib", Members: members}
}

func zlibError(format string, args ...any) error { return py.Errorf(Error, format, args...) }

// errDecompress is the message of an error while decompressing, in
// CPython's words for zlib's codes.
func errDecompress(code int, msg string) error {
	return zlibError("Error %d while decompressing data: %s", code, msg)
}

func errTruncated() error { return errDecompress(-5, "incomplete or truncated stream") }

func errBadLevel() error { return zlibError("Bad compression level") }

// ErrIncomplete is what Inflate returns for a stream that ends before
// its end-of-stream marker.
var ErrIncomplete = errors.New("incomplete or truncated stream")

// dataArg splits off the positional-only data argument of compress and
// decompress.
func dataArg(name string, args starlark.Tuple) (starlark.Value, starlark.Tuple, error) {
	if len(args) == 0 {
		return nil, nil, py.Errorf(py.TypeError, "%s() takes at least 1 positional argument (0 given)", name)
	}
	return args[0], args[1:], nil
}

var compressSpec = &pyargs.Func{Name: "compress", Params: []string{"level", "wbits"}, C: true}

// compress is zlib.compress(data, /, level=-1, wbits=15).
func compress(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	data, rest, err := dataArg("compress", args)
	if err != nil {
		return nil, err
	}
	var level, wbits starlark.Value = starlark.MakeInt(-1), starlark.MakeInt(15)
	if err := compressSpec.Bind(rest, kwargs, &level, &wbits); err != nil {
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
	w, err := pyargs.Int64(wbits)
	if err != nil {
		return nil, err
	}
	out, err := Compress(d, int(l), int(w))
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

// Compress compresses data at level (-1 to 9) in the container wbits
// selects, with the headers zlib writes.
func Compress(data string, level, wbits int) ([]byte, error) {
	if level < -1 || level > 9 {
		return nil, errBadLevel()
	}
	if level == -1 {
		level = 6
	}
	var out bytes.Buffer
	var window int
	switch {
	case 8 <= wbits && wbits <= 15:
		window = max(wbits, 9) // zlib raises a window of 8 to 9
		out.Write(zlibHeader(level, window))
	case -15 <= wbits && wbits <= -9:
		window = -wbits
	case 25 <= wbits && wbits <= 31:
		window = wbits - 16
		xfl := byte(0)
		switch {
		case level == 9:
			xfl = 2
		case level < 2:
			xfl = 4
		}
		out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3}) // OS 3: Unix, as zlib on Linux
	default:
		return nil, errBadLevel()
	}
	if err := Deflate(&out, data, level, window); err != nil {
		return nil, zlibError("Error %v while compressing data", err)
	}
	switch {
	case wbits > 15:
		out.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE([]byte(data))))
		out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(data))))
	case wbits > 0:
		out.Write(binary.BigEndian.AppendUint32(nil, Adler32(1, data)))
	}
	return out.Bytes(), nil
}

// zlibHeader is the two bytes zlib's deflate writes: the window and
// method, then a check and the level's compression flag.
func zlibHeader(level, window int) []byte {
	header := uint16(window-8)<<12 | 8<<8
	var levelFlags uint16
	switch {
	case level < 2:
		levelFlags = 0
	case level < 6:
		levelFlags = 1
	case level == 6:
		levelFlags = 2
	default:
		levelFlags = 3
	}
	header |= levelFlags << 6
	header += 31 - header%31
	return []byte{byte(header >> 8), byte(header)}
}

// Deflate writes data as a raw deflate stream at level (0 to 9). A window
// below 32 KiB is kept by coding without back-references.
func Deflate(w io.Writer, data string, level, window int) error {
	if window < 15 && level > 0 {
		level = flate.HuffmanOnly
	}
	fw, err := flate.NewWriter(w, level)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(fw, data); err != nil {
		return err
	}
	return fw.Close()
}

var decompressSpec = &pyargs.Func{Name: "decompress", Params: []string{"wbits", "bufsize"}, C: true}

// decompress is zlib.decompress(data, /, wbits=15, bufsize=16384).
func decompress(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	data, rest, err := dataArg("decompress", args)
	if err != nil {
		return nil, err
	}
	var wbits, bufsize starlark.Value = starlark.MakeInt(15), starlark.MakeInt(16384)
	if err := decompressSpec.Bind(rest, kwargs, &wbits, &bufsize); err != nil {
		return nil, err
	}
	d, err := pyargs.Bytes(data)
	if err != nil {
		return nil, err
	}
	w, err := pyargs.Int64(wbits)
	if err != nil {
		return nil, err
	}
	size, err := pyargs.Int64(bufsize)
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, py.Errorf(py.ValueError, "bufsize must be non-negative")
	}
	out, err := Decompress(thread, d, int(w))
	if err != nil {
		return nil, err
	}
	return py.Bytes(out), nil
}

// container is what decompress expects, from wbits.
type container struct {
	zlib, gzip bool
	window     int // 0: as the zlib header says
}

func containerOf(wbits int) (container, bool) {
	switch {
	case -15 <= wbits && wbits <= -8:
		return container{window: -wbits}, true
	case wbits == 0:
		return container{zlib: true}, true
	case 8 <= wbits && wbits <= 15:
		return container{zlib: true, window: wbits}, true
	case wbits == 16 || 24 <= wbits && wbits <= 31:
		return container{gzip: true}, true
	case wbits == 32 || 40 <= wbits && wbits <= 47:
		return container{zlib: true, gzip: true, window: wbits & 15}, true
	}
	return container{}, false
}

// Decompress decompresses one stream in the container wbits selects;
// bytes after the end of the stream are ignored, as zlib.decompress
// ignores them.
func Decompress(thread *starlark.Thread, data string, wbits int) ([]byte, error) {
	c, ok := containerOf(wbits)
	if !ok {
		return nil, zlibError("Error -2 while preparing to decompress data: inconsistent stream state")
	}
	r := bytes.NewReader([]byte(data))
	switch {
	case c.gzip && len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b:
		return inflateGzip(thread, r)
	case c.zlib:
		return inflateZlib(thread, r, c.window)
	case c.gzip:
		if len(data) < 2 {
			return nil, errTruncated()
		}
		return nil, errDecompress(-3, "incorrect header check")
	}
	return inflate(thread, r)
}

// inflate is Inflate with zlib.error for a truncated stream.
func inflate(thread *starlark.Thread, r *bytes.Reader) ([]byte, error) {
	out, err := Inflate(thread, r)
	if err == ErrIncomplete {
		return nil, errTruncated()
	}
	return out, err
}

func inflateZlib(thread *starlark.Thread, r *bytes.Reader, window int) ([]byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, errTruncated()
	}
	switch {
	case (uint16(h[0])<<8|uint16(h[1]))%31 != 0:
		return nil, errDecompress(-3, "incorrect header check")
	case h[0]&0x0f != 8:
		return nil, errDecompress(-3, "unknown compression method")
	}
	headerWindow := int(h[0]>>4) + 8
	if window == 0 {
		window = headerWindow
	}
	if headerWindow > 15 || headerWindow > window {
		return nil, errDecompress(-3, "invalid window size")
	}
	if h[1]&0x20 != 0 {
		return nil, zlibError("Error 2 while decompressing data") // a preset dictionary is needed
	}
	out, err := inflate(thread, r)
	if err != nil {
		return nil, err
	}
	var sum [4]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil {
		return nil, errTruncated()
	}
	if binary.BigEndian.Uint32(sum[:]) != Adler32(1, string(out)) {
		return nil, errDecompress(-3, "incorrect data check")
	}
	return out, nil
}

// inflateGzip decompresses one gzip member, checked as zlib's inflate
// checks it.
func inflateGzip(thread *starlark.Thread, r *bytes.Reader) ([]byte, error) {
	var h [10]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, errTruncated()
	}
	if h[2] != 8 {
		return nil, errDecompress(-3, "unknown compression method")
	}
	flags := h[3]
	if flags&0xe0 != 0 {
		return nil, errDecompress(-3, "unknown header flags set")
	}
	header := crc32.Update(0, crc32.IEEETable, h[:])
	read := func(n int) ([]byte, error) {
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, errTruncated()
		}
		header = crc32.Update(header, crc32.IEEETable, b)
		return b, nil
	}
	if flags&4 != 0 { // FEXTRA
		n, err := read(2)
		if err != nil {
			return nil, err
		}
		if _, err := read(int(binary.LittleEndian.Uint16(n))); err != nil {
			return nil, err
		}
	}
	for _, flag := range []byte{8, 16} { // FNAME, FCOMMENT: zero-terminated
		if flags&flag == 0 {
			continue
		}
		for {
			c, err := read(1)
			if err != nil {
				return nil, err
			}
			if c[0] == 0 {
				break
			}
		}
	}
	if flags&2 != 0 { // FHCRC
		want := header
		c, err := read(2)
		if err != nil {
			return nil, err
		}
		if binary.LittleEndian.Uint16(c) != uint16(want) {
			return nil, errDecompress(-3, "header crc mismatch")
		}
	}
	out, err := inflate(thread, r)
	if err != nil {
		return nil, err
	}
	var trailer [8]byte
	if _, err := io.ReadFull(r, trailer[:]); err != nil {
		return nil, errTruncated()
	}
	if binary.LittleEndian.Uint32(trailer[:4]) != crc32.ChecksumIEEE(out) {
		return nil, errDecompress(-3, "incorrect data check")
	}
	if binary.LittleEndian.Uint32(trailer[4:]) != uint32(len(out)) {
		return nil, errDecompress(-3, "incorrect length check")
	}
	return out, nil
}

// Inflate decompresses the raw deflate stream at r's position and
// leaves r just after it. It returns ErrIncomplete when the data ends
// first, and zlib.error for corrupt data. The output grows within the
// memory limit of the execution on thread (nil: none), and a long
// decompression stops at its deadline.
func Inflate(thread *starlark.Thread, r *bytes.Reader) ([]byte, error) {
	fr := flate.NewReader(r) // r is an io.ByteReader: flate reads no byte past the stream
	out, err := readAll(thread, fr)
	var corrupt flate.CorruptInputError
	switch {
	case err == nil:
		return out, nil
	case py.AsException(err) != nil:
		return nil, err // a limit of the execution
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return nil, ErrIncomplete
	case errors.As(err, &corrupt):
		return nil, errDecompress(-3, "invalid input data")
	}
	return nil, errDecompress(-3, err.Error())
}

// readAll is io.ReadAll under the limits of the execution on thread: it
// asks the Limiter before each growth of its buffer, so that a
// decompression bomb raises MemoryError at the limit instead of taking
// the host's memory, and counts the work with a Meter.
func readAll(thread *starlark.Thread, r io.Reader) ([]byte, error) {
	meter := py.NewMeter(thread)
	b := make([]byte, 0, 512)
	for {
		if len(b) == cap(b) {
			if err := py.Reserve(thread, int64(2*cap(b))); err != nil {
				return nil, err
			}
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err := meter.TickN(n >> 10); err != nil {
			return nil, err
		}
		if err != nil {
			if err == io.EOF {
				return b, nil
			}
			return b, err
		}
	}
}

// checksum is crc32(data, value=0, /) or adler32(data, value=1, /).
func checksum(name string, start uint32, update func(uint32, string) uint32) py.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := py.CheckPositional(name, args, kwargs, 1, 2); err != nil {
			return nil, err
		}
		data, err := pyargs.Bytes(args[0])
		if err != nil {
			return nil, err
		}
		value := start
		if len(args) == 2 {
			if value, err = pyargs.Uint32Mask(args[1]); err != nil {
				return nil, err
			}
		}
		return starlark.MakeUint64(uint64(update(value, data))), nil
	}
}

func crc32Update(crc uint32, data string) uint32 {
	return crc32.Update(crc, crc32.IEEETable, []byte(data))
}

// Adler32 continues the Adler-32 checksum value over data.
func Adler32(value uint32, data string) uint32 {
	const mod = 65521
	const nmax = 5552 // the most bytes before the sums can overflow 32 bits
	a, b := value&0xffff, value>>16
	for len(data) > 0 {
		n := min(len(data), nmax)
		for i := 0; i < n; i++ {
			a += uint32(data[i])
			b += a
		}
		a %= mod
		b %= mod
		data = data[n:]
	}
	// zlib reduces the sums even for no data (a start value of -1).
	return b%mod<<16 | a%mod
}
