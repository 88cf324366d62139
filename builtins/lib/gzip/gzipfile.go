package gzip

import (
	"fmt"
	"strings"
	"sync"
	"syscall"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/lib/internal/pyargs"
	"github.com/kstar-dev/kstar/builtins/lib/internal/pyclass"
	pyio "github.com/kstar-dev/kstar/builtins/lib/io"
	"github.com/kstar-dev/kstar/builtins/py"
)

// GzipFileClass is gzip.GzipFile(filename=None, mode=None,
// compresslevel=9, fileobj=None, mtime=None): a gzip stream over a file
// object (an io.BytesIO, a file open() opened in binary mode) or a file
// it opens with open() (through the host's grant). Writing, it keeps
// what is written and writes one gzip member to the file object when
// closed; reading, it decompresses all the file object's data at the
// first read and reads from that (read, read1, readline, readlines,
// iteration).
var GzipFileClass = &pyclass.Class{Module: "gzip", ClassName: "GzipFile", Make: newGzipFile,
	Instance: func(v starlark.Value) bool { _, ok := v.(*GzipFile); return ok }}

var gzipFileSpec = &pyargs.Func{Name: "GzipFile", Params: []string{"filename", "mode", "compresslevel", "fileobj", "mtime"}}

// GzipFile is a gzip.GzipFile.
type GzipFile struct {
	mu      sync.Mutex // a file in frozen globals is shared by concurrent calls
	interp  *py.Interp // whose lock's holder iterates the file in a for loop
	fileobj starlark.Value
	opened  bool // GzipFile opened fileobj, and closes it
	writing bool
	level   int64
	seconds uint32
	written []byte        // writing: the data of the member close writes
	reader  *pyio.BytesIO // reading: the data decompressed at the first read
	closed  bool
}

var (
	_ starlark.HasAttrs = (*GzipFile)(nil)
	_ starlark.Iterable = (*GzipFile)(nil)
	_ py.Nexter         = (*GzipFile)(nil)
	_ py.PyClasser      = (*GzipFile)(nil)
)

// newGzipFile is GzipFile(...).
func newGzipFile(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var filename, mode, level, fileobj, mtime starlark.Value
	if err := gzipFileSpec.Bind(args, kwargs, &filename, &mode, &level, &fileobj, &mtime); err != nil {
		return nil, err
	}
	g := &GzipFile{level: 9, interp: py.InterpOf(thread)}
	m := ""
	switch v := mode.(type) {
	case nil, starlark.NoneType:
	case starlark.String:
		m = string(v)
		if strings.ContainsAny(m, "tU") {
			return nil, py.Errorf(py.ValueError, "Invalid mode: %s", py.Repr(v))
		}
		if !strings.Contains(m, "b") {
			m += "b"
		}
	default:
		return nil, py.Errorf(py.TypeError, "GzipFile() argument 'mode' must be str or None, not %s", py.TypeName(mode))
	}
	if fileobj == nil || fileobj == starlark.None {
		openMode := m
		if openMode == "" {
			openMode = "rb"
		}
		if filename == nil {
			filename = starlark.None
		}
		f, err := starlark.Call(thread, py.Globals()["open"], starlark.Tuple{filename, starlark.String(openMode)}, nil)
		if err != nil {
			return nil, err
		}
		fileobj, g.opened = f, true
	}
	g.fileobj = fileobj
	if m == "" {
		m = "rb"
		if ha, ok := fileobj.(starlark.HasAttrs); ok {
			if v, _ := ha.Attr("mode"); v != nil {
				if s, ok := v.(starlark.String); ok {
					m = string(s)
				}
			}
		}
	}
	switch m[0] {
	case 'r':
	case 'w', 'a', 'x':
		g.writing = true
	default:
		return nil, py.Errorf(py.ValueError, "Invalid mode: %s", py.Repr(starlark.String(m)))
	}
	if level != nil {
		l, err := pyargs.Int64(level)
		if err != nil {
			return nil, err
		}
		g.level = l
	}
	if g.writing && (g.level < -1 || g.level > 9) { // CPython's zlib.compressobj refuses it
		return nil, py.Errorf(py.ValueError, "Invalid initialization option")
	}
	if mtime == nil {
		mtime = starlark.None
	}
	seconds, err := mtimeSeconds(mtime)
	if err != nil {
		return nil, err
	}
	g.seconds = seconds
	return g, nil
}

func (g *GzipFile) String() string          { return fmt.Sprintf("<gzip %s %p>", g.fileobj, g) }
func (g *GzipFile) Type() string            { return "GzipFile" }
func (g *GzipFile) Freeze()                 {}
func (g *GzipFile) Truth() starlark.Bool    { return true }
func (g *GzipFile) Hash() (uint32, error)   { return starlark.String(fmt.Sprintf("%p", g)).Hash() }
func (g *GzipFile) PyClass() starlark.Value { return GzipFileClass }

// badMode is CPython's OSError for a read of a file open for writing, or
// the other way round.
func badMode(what string) error {
	return &py.Exception{Class: py.OSError, Msg: "[Errno 9] " + what + " GzipFile object",
		Args: starlark.Tuple{starlark.MakeInt(int(syscall.EBADF)), starlark.String(what + " GzipFile object")}}
}

// startRead checks a read and, at the first, decompresses what the file
// object holds.
func (g *GzipFile) startRead(thread *starlark.Thread) error {
	if g.closed {
		return py.NewException(py.ValueError, "I/O operation on closed file")
	}
	if g.writing {
		return badMode("read() on write-only")
	}
	if g.reader != nil {
		return nil
	}
	read, err := py.GetAttr(g.fileobj, "read")
	if err != nil {
		return err
	}
	v, err := starlark.Call(thread, read, nil, nil)
	if err != nil {
		return err
	}
	data, err := pyargs.Bytes(v)
	if err != nil {
		return err
	}
	out, err := decompressMembers(thread, data)
	if err != nil {
		return err
	}
	g.reader = pyio.NewBytesIO(out)
	return nil
}

// write is write(data): the number of bytes taken.
func (g *GzipFile) write(thread *starlark.Thread, v starlark.Value) (int, error) {
	if g.closed {
		return 0, py.NewException(py.ValueError, "I/O operation on closed file")
	}
	if !g.writing {
		return 0, badMode("write() on read-only")
	}
	data, ok := py.BytesLike(v)
	if !ok {
		return 0, py.Errorf(py.TypeError, "memoryview: a bytes-like object is required, not '%s'", py.TypeName(v))
	}
	if err := py.Reserve(thread, int64(len(data))); err != nil {
		return 0, err
	}
	g.written = append(g.written, data...)
	return len(data), nil
}

// close writes the member (writing), and closes the file object
// GzipFile opened.
func (g *GzipFile) close(thread *starlark.Thread) error {
	if g.closed {
		return nil
	}
	g.closed = true
	if g.writing {
		out, err := gzipMember(string(g.written), g.level, g.seconds)
		if err != nil {
			return err
		}
		g.written = nil
		write, err := py.GetAttr(g.fileobj, "write")
		if err != nil {
			return err
		}
		if _, err := starlark.Call(thread, write, starlark.Tuple{py.Bytes(out)}, nil); err != nil {
			return err
		}
	}
	if g.opened {
		closeFile, err := py.GetAttr(g.fileobj, "close")
		if err != nil {
			return err
		}
		if _, err := starlark.Call(thread, closeFile, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// Next reads the next line, as next(g) does: a GzipFile is its own
// iterator.
func (g *GzipFile) Next(thread *starlark.Thread) (starlark.Value, bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.startRead(thread); err != nil {
		return nil, false, err
	}
	return g.reader.Next(thread)
}

// Iterate yields the lines. A for loop calls it without a thread: the
// file object is read on the thread that holds the interpreter's lock,
// the loop's, and an error stops the script (a Starlark iterator cannot
// return one).
func (g *GzipFile) Iterate() starlark.Iterator { return &gzipLines{g} }

type gzipLines struct{ g *GzipFile }

func (it *gzipLines) Next(p *starlark.Value) bool {
	thread := it.g.interp.Current()
	v, ok, err := it.g.Next(thread)
	if err != nil {
		py.Fail(thread, py.IterationError(thread, err))
		return false
	}
	if ok {
		*p = v
	}
	return ok
}
func (it *gzipLines) Done() {}

// readMethods are delegated to the decompressed data.
var readMethods = map[string]bool{"read": true, "read1": true, "readline": true, "readlines": true}

// Attr offers write, read, read1, readline, readlines, close, closed,
// flush, readable, writable, seekable and with blocks.
func (g *GzipFile) Attr(name string) (starlark.Value, error) {
	method := func(fn func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) (starlark.Value, error) {
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			g.mu.Lock()
			defer g.mu.Unlock()
			return fn(thread, args, kwargs)
		}).BindReceiver(g), nil
	}
	noArgs := func(fn func(thread *starlark.Thread) (starlark.Value, error)) (starlark.Value, error) {
		return method(func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
				return nil, err
			}
			return fn(thread)
		})
	}
	switch {
	case name == "closed":
		g.mu.Lock()
		defer g.mu.Unlock()
		return starlark.Bool(g.closed), nil
	case readMethods[name]:
		return method(func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := g.startRead(thread); err != nil {
				return nil, err
			}
			m, err := g.reader.Attr(name)
			if err != nil || m == nil {
				return m, err
			}
			return starlark.Call(thread, m, args, kwargs)
		})
	case name == "write":
		return method(func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var v starlark.Value
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &v); err != nil {
				return nil, err
			}
			n, err := g.write(thread, v)
			if err != nil {
				return nil, err
			}
			return starlark.MakeInt(n), nil
		})
	case name == "close" || name == "__exit__":
		return method(func(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, g.close(thread)
		})
	case name == "__enter__":
		return noArgs(func(*starlark.Thread) (starlark.Value, error) {
			if g.closed {
				return nil, py.NewException(py.ValueError, "I/O operation on closed file.")
			}
			return g, nil
		})
	case name == "flush":
		return noArgs(func(*starlark.Thread) (starlark.Value, error) {
			if g.closed {
				return nil, py.NewException(py.ValueError, "I/O operation on closed file")
			}
			return starlark.None, nil
		})
	case name == "readable" || name == "writable" || name == "seekable":
		return noArgs(func(*starlark.Thread) (starlark.Value, error) {
			if g.closed {
				return nil, py.NewException(py.ValueError, "I/O operation on closed file")
			}
			switch name {
			case "readable":
				return starlark.Bool(!g.writing), nil
			case "writable":
				return starlark.Bool(g.writing), nil
			}
			return starlark.False, nil
		})
	}
	return nil, nil
}

// AttrNames lists the attributes.
func (g *GzipFile) AttrNames() []string {
	return []string{"__enter__", "__exit__", "close", "closed", "flush", "read", "read1", "readable", "readline", "readlines", "seekable", "writable", "write"}
}
