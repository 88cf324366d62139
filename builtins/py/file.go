package py

import (
	"bufio"
	"errors"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// textOptions are a text file's encoding, errors and newline arguments.
type textOptions struct {
	encoding, errors string
	// newline is -1 for newline=None (universal newlines: \r\n and \r
	// read as \n), else the length of newlineText ('' , '\n', '\r', '\r\n').
	newline     int
	newlineText string
}

// File is a file object of open() (TextIOWrapper, BufferedReader,
// BufferedWriter or BufferedRandom as CPython names them) or sys.stdin.
// Reads and writes are buffered; switching between them, seek and tell
// keep the position right. The runtime closes (and so flushes) files a
// script leaves open when it ends, as CPython does at exit.
type File struct {
	mu      *sync.Mutex // a file in frozen globals is shared by concurrent calls; sys.stdin's is its buffer's
	buffer  *File       // sys.stdin.buffer, made on first use
	env     *Env        // tracks the file until it is closed; nil for stdin
	f       *os.File    // nil for stdin
	r       *bufio.Reader
	w       *bufio.Writer
	name    string
	m       openMode
	opts    textOptions
	pending string // text decoded but not yet returned
	eof     bool
	closed  bool
}

var (
	_ TextWriter        = (*File)(nil)
	_ starlark.HasAttrs = (*File)(nil)
	_ starlark.Iterable = (*File)(nil)
	_ Nexter            = (*File)(nil)
)

func newFile(f *os.File, name string, m openMode, opts textOptions) *File {
	fl := &File{mu: new(sync.Mutex), f: f, name: name, m: m, opts: opts}
	if m.readable {
		fl.r = bufio.NewReader(f)
	}
	if m.writes {
		fl.w = bufio.NewWriter(f)
	}
	return fl
}

// newTextStream is a read-only UTF-8 text stream over r (sys.stdin),
// with newline="\n" as CPython opens stdin on POSIX.
func newTextStream(r io.Reader, name, mode string) *File {
	return &File{mu: new(sync.Mutex), r: bufio.NewReader(r), name: name, m: openMode{text: mode, readable: true},
		opts: textOptions{encoding: "utf-8", errors: "strict", newline: 1, newlineText: "\n"}}
}

// String is CPython's repr.
func (f *File) String() string {
	name := QuoteString(f.name)
	if !f.m.binary {
		return "<_io.TextIOWrapper name=" + name + " mode=" + QuoteString(f.m.text) + " encoding=" + QuoteString(f.opts.encoding) + ">"
	}
	return "<_io." + f.Type() + " name=" + name + ">"
}

// Type is CPython's class name of the file object.
func (f *File) Type() string {
	switch {
	case !f.m.binary:
		return "TextIOWrapper"
	case f.m.readable && f.m.writes:
		return "BufferedRandom"
	case f.m.writes:
		return "BufferedWriter"
	}
	return "BufferedReader"
}

func (f *File) Freeze()               {}
func (f *File) Truth() starlark.Bool  { return true }
func (f *File) Hash() (uint32, error) { return starlark.String(f.name).Hash() }

// closeLocked closes a file the script left open when it ends.
func (f *File) closeLocked() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.close()
}

func (f *File) check(readOrWrite string) error {
	if f.closed {
		return Errorf(ValueError, "I/O operation on closed file.")
	}
	if readOrWrite == "read" && !f.m.readable {
		return NewException(UnsupportedOperation, "not readable")
	}
	if readOrWrite == "write" && !f.m.writes {
		return NewException(UnsupportedOperation, "not writable")
	}
	return nil
}

// ioError turns a Go I/O error into OSError.
func (f *File) ioError(err error) error {
	var e *Exception
	if errors.As(err, &e) {
		return e
	}
	return OSErrorOf(err, f.name)
}

// startRead flushes pending writes before a read.
func (f *File) startRead() error {
	if f.w != nil && f.w.Buffered() > 0 {
		if err := f.w.Flush(); err != nil {
			return f.ioError(err)
		}
	}
	return nil
}

// startWrite moves the file position back over what was read ahead, so a
// write after a read lands where the script's reads stopped.
func (f *File) startWrite() error {
	if f.r == nil || f.f == nil {
		return nil
	}
	ahead := f.r.Buffered() + len(f.encodedLen(f.pending))
	if ahead > 0 {
		if _, err := f.f.Seek(int64(-ahead), io.SeekCurrent); err != nil {
			return f.ioError(err)
		}
		f.r.Reset(f.f)
		f.pending, f.eof = "", false
	}
	return nil
}

// encodedLen returns s as it is in the file (for positions).
func (f *File) encodedLen(s string) string {
	if s == "" || f.m.binary {
		return s
	}
	b, err := Encode(f.untranslate(s), f.opts.encoding, "replace")
	if err != nil {
		return s
	}
	return b
}

// untranslate applies the newline argument to text being written.
func (f *File) untranslate(s string) string {
	if f.opts.newline >= 1 && f.opts.newlineText != "\n" {
		return strings.ReplaceAll(s, "\n", f.opts.newlineText)
	}
	return s
}

// fill reads one more raw line into pending (text mode); false at EOF.
func (f *File) fill() (bool, error) {
	if f.eof {
		return false, nil
	}
	chunk, err := f.r.ReadString('\n')
	if err == io.EOF {
		f.eof = true
	} else if err != nil {
		return false, f.ioError(err)
	}
	if chunk == "" {
		return false, nil
	}
	text, derr := Decode(chunk, f.opts.encoding, f.opts.errors)
	if derr != nil {
		return false, derr
	}
	if f.opts.newline == -1 && strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	f.pending += text
	return true, nil
}

// lineEnd returns the end of the first line in s (after its terminator),
// or -1.
func (f *File) lineEnd(s string) int {
	switch f.opts.newline {
	case 0: // newline='': any of \r\n, \r, \n ends a line, untranslated
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			return -1
		}
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			return i + 2
		}
		return i + 1
	case 1:
		if f.opts.newlineText == "\r" {
			if i := strings.IndexByte(s, '\r'); i >= 0 {
				return i + 1
			}
			return -1
		}
	case 2:
		if i := strings.Index(s, "\r\n"); i >= 0 {
			return i + 2
		}
		return -1
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return i + 1
	}
	return -1
}

// readLine returns the next line with its terminator ("" at EOF), at most
// limit characters (bytes in binary mode) when limit >= 0.
func (f *File) readLine(limit int) (string, error) {
	if err := f.check("read"); err != nil {
		return "", err
	}
	if err := f.startRead(); err != nil {
		return "", err
	}
	if f.m.binary && limit >= 0 {
		// Byte by byte, so that what follows the limit stays unread (in
		// a stream such as sys.stdin.buffer too, which cannot seek back).
		var line []byte
		for len(line) < limit {
			c, err := f.r.ReadByte()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "", f.ioError(err)
			}
			line = append(line, c)
			if c == '\n' {
				break
			}
		}
		return string(line), nil
	}
	if f.m.binary {
		line, err := f.r.ReadString('\n')
		if err != nil && err != io.EOF {
			return "", f.ioError(err)
		}
		return line, nil
	}
	for {
		end := f.lineEnd(f.pending)
		if end < 0 && !f.eof {
			if _, err := f.fill(); err != nil {
				return "", err
			}
			continue
		}
		if end < 0 {
			end = len(f.pending)
		}
		if limit >= 0 && utf8.RuneCountInString(f.pending[:end]) > limit {
			end = runeOffset(f.pending, limit)
		}
		line := f.pending[:end]
		f.pending = f.pending[end:]
		return line, nil
	}
}

// runeOffset is the byte offset of the n-th character of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// read returns up to size characters (bytes in binary mode), all that is
// left when size < 0.
func (f *File) read(size int) (string, error) {
	if err := f.check("read"); err != nil {
		return "", err
	}
	if err := f.startRead(); err != nil {
		return "", err
	}
	if f.m.binary {
		if size < 0 {
			b, err := io.ReadAll(f.r)
			if err != nil {
				return "", f.ioError(err)
			}
			return string(b), nil
		}
		buf := make([]byte, size)
		n, err := io.ReadFull(f.r, buf)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return "", f.ioError(err)
		}
		return string(buf[:n]), nil
	}
	for !f.eof && (size < 0 || utf8.RuneCountInString(f.pending) < size) {
		if _, err := f.fill(); err != nil {
			return "", err
		}
	}
	end := len(f.pending)
	if size >= 0 {
		end = runeOffset(f.pending, size)
	}
	s := f.pending[:end]
	f.pending = f.pending[end:]
	return s, nil
}

// write writes v (str in text mode, bytes in binary) and returns how many
// characters or bytes it wrote.
func (f *File) write(v starlark.Value) (int, error) {
	if err := f.check("write"); err != nil {
		return 0, err
	}
	var data string
	n := 0
	if f.m.binary {
		b, ok := BytesLike(v)
		if !ok {
			return 0, Errorf(TypeError, "a bytes-like object is required, not '%s'", TypeName(v))
		}
		data, n = b, len(b)
	} else {
		s, ok := v.(starlark.String)
		if !ok {
			return 0, Errorf(TypeError, "write() argument must be str, not %s", TypeName(v))
		}
		enc, err := Encode(f.untranslate(string(s)), f.opts.encoding, f.opts.errors)
		if err != nil {
			return 0, err
		}
		data, n = enc, utf8.RuneCountInString(string(s))
	}
	if err := f.startWrite(); err != nil {
		return 0, err
	}
	if _, err := f.w.WriteString(data); err != nil {
		return 0, f.ioError(err)
	}
	return n, nil
}

// WriteText is print(..., file=f).
func (f *File) WriteText(thread *starlark.Thread, s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, err := f.write(starlark.String(s))
	return err
}

func (f *File) flush() error {
	if f.closed {
		return Errorf(ValueError, "I/O operation on closed file.")
	}
	if f.w != nil {
		if err := f.w.Flush(); err != nil {
			return f.ioError(err)
		}
	}
	return nil
}

func (f *File) close() error {
	if f.closed {
		return nil
	}
	var first error
	if f.w != nil {
		if err := f.w.Flush(); err != nil {
			first = f.ioError(err)
		}
	}
	f.closed = true
	if f.env != nil {
		f.env.untrackFile(f)
	}
	if f.f != nil {
		if err := f.f.Close(); err != nil && first == nil {
			first = f.ioError(err)
		}
	}
	return first
}

// tell returns the position in the file, in bytes.
func (f *File) tell() (int64, error) {
	if f.closed {
		return 0, Errorf(ValueError, "I/O operation on closed file.")
	}
	if f.f == nil {
		return 0, Errorf(UnsupportedOperation, "underlying stream is not seekable")
	}
	if err := f.startRead(); err != nil {
		return 0, err
	}
	pos, err := f.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, f.ioError(err)
	}
	if f.r != nil {
		pos -= int64(f.r.Buffered() + len(f.encodedLen(f.pending)))
	}
	return pos, nil
}

func (f *File) seek(offset int64, whence int) (int64, error) {
	if f.closed {
		return 0, Errorf(ValueError, "I/O operation on closed file.")
	}
	if f.f == nil {
		return 0, Errorf(UnsupportedOperation, "underlying stream is not seekable")
	}
	if whence < 0 || whence > 2 {
		if f.m.binary {
			return 0, Errorf(ValueError, "whence value %d unsupported", whence)
		}
		return 0, Errorf(ValueError, "invalid whence (%d, should be 0, 1 or 2)", whence)
	}
	if !f.m.binary && whence == 1 && offset != 0 {
		return 0, NewException(UnsupportedOperation, "can't do nonzero cur-relative seeks")
	}
	if !f.m.binary && whence == 2 && offset != 0 {
		return 0, NewException(UnsupportedOperation, "can't do nonzero end-relative seeks")
	}
	if whence == 0 && offset < 0 {
		if f.m.binary {
			return 0, Errorf(OSError, "[Errno 22] Invalid argument")
		}
		return 0, Errorf(ValueError, "negative seek position %d", offset)
	}
	if whence == 1 {
		cur, err := f.tell()
		if err != nil {
			return 0, err
		}
		offset, whence = cur+offset, 0
	}
	if err := f.startRead(); err != nil {
		return 0, err
	}
	pos, err := f.f.Seek(offset, whence)
	if err != nil {
		return 0, f.ioError(err)
	}
	if f.r != nil {
		f.r.Reset(f.f)
	}
	f.pending, f.eof = "", false
	return pos, nil
}

// Next reads the next line, as next(f) does. A Python file is its own
// iterator: iter(f) is f, and what takes lines from it (csv.reader,
// itertools.islice, next) reads them only as it needs them.
func (f *File) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	f.mu.Lock()
	line, err := f.readLine(-1)
	f.mu.Unlock()
	if err != nil || line == "" {
		return nil, false, err
	}
	return f.value(line), true, nil
}

// Iterate yields the lines.
func (f *File) Iterate() starlark.Iterator { return &fileLines{f: f} }

type fileLines struct{ f *File }

func (it *fileLines) Next(p *starlark.Value) bool {
	it.f.mu.Lock()
	line, err := it.f.readLine(-1)
	it.f.mu.Unlock()
	if err != nil || line == "" {
		return false
	}
	*p = it.f.value(line)
	return true
}
func (it *fileLines) Done() {}

// value is s as the file's kind of value: str, or bytes in binary mode.
func (f *File) value(s string) starlark.Value {
	if f.m.binary {
		return Bytes(s)
	}
	return starlark.String(s)
}

// fileMethods are the methods of file objects.
var fileMethods = map[string]func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error){
	"read": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		size, err := sizeArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		s, err := f.read(size)
		if err != nil {
			return nil, err
		}
		return f.value(s), nil
	},
	"readline": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		size, err := sizeArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		s, err := f.readLine(size)
		if err != nil {
			return nil, err
		}
		return f.value(s), nil
	},
	"readlines": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		hint, err := sizeArg(b, args, kwargs)
		if err != nil {
			return nil, err
		}
		var lines []starlark.Value
		total := 0
		for hint <= 0 || total < hint {
			s, err := f.readLine(-1)
			if err != nil {
				return nil, err
			}
			if s == "" {
				break
			}
			total += len(s)
			lines = append(lines, f.value(s))
		}
		return starlark.NewList(lines), nil
	},
	"write": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var v starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
			return nil, err
		}
		n, err := f.write(v)
		if err != nil {
			return nil, err
		}
		return starlark.MakeInt(n), nil
	},
	"writelines": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var lines starlark.Iterable
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &lines); err != nil {
			return nil, err
		}
		// The lines are gathered before the file is locked: they may come
		// from iterating the file itself.
		var all []starlark.Value
		it := lines.Iterate()
		var v starlark.Value
		for it.Next(&v) {
			all = append(all, v)
		}
		it.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, v := range all {
			if _, err := f.write(v); err != nil {
				return nil, err
			}
		}
		return starlark.None, nil
	},
	"flush": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.None, f.flush()
	},
	"close": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return starlark.None, f.close()
	},
	"tell": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		pos, err := f.tell()
		if err != nil {
			return nil, err
		}
		return starlark.MakeInt64(pos), nil
	},
	"seek": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var offset int64
		whence := 0
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &offset, &whence); err != nil {
			return nil, err
		}
		pos, err := f.seek(offset, whence)
		if err != nil {
			return nil, err
		}
		return starlark.MakeInt64(pos), nil
	},
	"readable": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(f.m.readable), f.check("")
	},
	"writable": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(f.m.writes), f.check("")
	},
	"seekable": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Bool(f.f != nil), f.check("")
	},
	"__enter__": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return f, f.check("")
	},
	"__exit__": func(f *File, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, f.close()
	},
}

// sizeArg is the optional size argument of read, readline and readlines
// (None or an int; -1 means all).
func sizeArg(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (int, error) {
	var size starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &size); err != nil {
		return 0, err
	}
	if size == starlark.None {
		return -1, nil
	}
	n, ok := size.(starlark.Int)
	if !ok {
		return 0, Errorf(TypeError, "argument should be integer or None, not '%s'", TypeName(size))
	}
	i, ok := n.Int64()
	if !ok || i < 0 {
		return -1, nil
	}
	return int(i), nil
}

// Attr offers the methods and closed, name, mode (and encoding for text).
func (f *File) Attr(name string) (starlark.Value, error) {
	switch name {
	case "closed":
		return starlark.Bool(f.closed), nil
	case "name":
		return starlark.String(f.name), nil
	case "mode":
		if f.m.binary && f.m.text != "" {
			return starlark.String(binaryModeName(f.m)), nil
		}
		return starlark.String(f.m.text), nil
	case "encoding":
		if !f.m.binary {
			return starlark.String(f.opts.encoding), nil
		}
		return nil, nil
	case "buffer":
		if f.f != nil || f.m.binary { // only sys.stdin's
			return nil, nil
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.buffer == nil {
			f.buffer = &File{mu: f.mu, r: f.r, name: f.name, m: openMode{text: "rb", binary: true, readable: true}}
		}
		return f.buffer, nil
	}
	method, ok := fileMethods[name]
	if !ok {
		return nil, nil
	}
	return Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if name != "writelines" { // it locks once it has its lines
			f.mu.Lock()
			defer f.mu.Unlock()
		}
		return method(f, b, args, kwargs)
	}).BindReceiver(f), nil
}

// binaryModeName is the mode attribute of a binary file, as CPython
// normalises it: 'rb', 'wb', 'ab', 'xb', then '+'.
func binaryModeName(m openMode) string {
	for _, c := range "rwax" {
		if strings.ContainsRune(m.text, c) {
			s := string(c) + "b"
			if strings.ContainsRune(m.text, '+') {
				s += "+"
			}
			return s
		}
	}
	return m.text
}

// AttrNames lists the attributes.
func (f *File) AttrNames() []string {
	names := []string{"closed", "mode", "name"}
	if !f.m.binary {
		names = append(names, "encoding")
	}
	if !f.m.binary && f.f == nil {
		names = append(names, "buffer")
	}
	for n := range fileMethods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
