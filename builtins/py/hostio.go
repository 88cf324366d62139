package py

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"

	"go.starlark.net/starlark"
)

// Host access from scripts: open(), sys.stdin, input(), os.path's queries
// of the file system, os.getcwd/listdir/makedirs, socket.gethostname.
// Each goes through what the host granted in the Env (Files, Stdin,
// Hostname); without a grant the script gets a PermissionError naming
// what was refused and the runtime option that grants it.

// HostFiles is the file system a host lets scripts reach through open(),
// os.path.exists/isfile/isdir/getsize/abspath, os.getcwd, os.listdir and
// os.makedirs, os.remove/unlink and os.rename. Names are the script's,
// relative ones relative to Getwd.
type HostFiles interface {
	OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error)
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	MkdirAll(name string, perm fs.FileMode) error
	Getwd() (string, error)
	// Remove removes a file (os.remove, os.unlink).
	Remove(name string) error
	// Rename renames a file or directory (os.rename).
	Rename(oldname, newname string) error
}

// OS errors as Python's OSError subclasses.
var (
	FileNotFoundError  = NewExceptionClass("FileNotFoundError", "builtins", OSError)
	FileExistsError    = NewExceptionClass("FileExistsError", "builtins", OSError)
	IsADirectoryError  = NewExceptionClass("IsADirectoryError", "builtins", OSError)
	NotADirectoryError = NewExceptionClass("NotADirectoryError", "builtins", OSError)
	// UnsupportedOperation is io.UnsupportedOperation (reading a file
	// opened for writing); CPython's also derives from ValueError.
	UnsupportedOperation = NewExceptionClass("UnsupportedOperation", "io", OSError)
)

// osErrorClasses maps errno values to the OSError subclass CPython raises.
var osErrorClasses = map[syscall.Errno]*ExceptionClass{
	syscall.ENOENT:  FileNotFoundError,
	syscall.EEXIST:  FileExistsError,
	syscall.EISDIR:  IsADirectoryError,
	syscall.ENOTDIR: NotADirectoryError,
	syscall.EACCES:  PermissionError,
	syscall.EPERM:   PermissionError,
}

// OSErrorOf converts a Go file error about name into CPython's exception:
// "[Errno 2] No such file or directory: 'x'" as FileNotFoundError, with
// args (errno, strerror).
func OSErrorOf(err error, name string) *Exception {
	var e *Exception
	if errors.As(err, &e) {
		return e
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			errno = syscall.ENOENT
		case errors.Is(err, fs.ErrExist):
			errno = syscall.EEXIST
		case errors.Is(err, fs.ErrPermission):
			errno = syscall.EACCES
		default:
			return Errorf(OSError, "%s: %s", err.Error(), QuoteString(name))
		}
	}
	c := osErrorClasses[errno]
	if c == nil {
		c = OSError
	}
	strerror := errnoText(errno)
	return &Exception{
		Class: c,
		Msg:   "[Errno " + itoa(int(errno)) + "] " + strerror + ": " + QuoteString(name),
		Args:  starlark.Tuple{starlark.MakeInt(int(errno)), starlark.String(strerror)},
		Cause: err,
	}
}

// errnoText is C's strerror for errno, as CPython prints it (capitalised).
func errnoText(errno syscall.Errno) string {
	s := errno.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func itoa(n int) string { return starlark.MakeInt(n).String() }

// FilesOf returns the host's file system for what, a description of the
// operation ("open('x')") used in the refusal when the host granted none.
func FilesOf(thread *starlark.Thread, what string) (HostFiles, error) {
	if files := EnvOf(thread).Files; files != nil {
		return files, nil
	}
	return nil, Errorf(PermissionError, "%s: the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)", what)
}

// StdinFile returns sys.stdin, made on first use over the Env's Stdin;
// without one, reading it raises a PermissionError.
func (env *Env) StdinFile() *File {
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.stdin == nil {
		var r io.Reader = refusedStdin{}
		if env.Stdin != nil {
			r = env.Stdin
		}
		env.stdin = newTextStream(r, "<stdin>", "r")
	}
	return env.stdin
}

// lineRead is the result of reading a line of standard input.
type lineRead struct {
	line string
	err  error
}

// takeInputRead returns the read of a line that an input() a signal
// interrupted started (nil if none), and whether this input() is that
// one made again after the signal's handler returned; and forgets them.
func (env *Env) takeInputRead() (read chan lineRead, resumed bool) {
	env.mu.Lock()
	defer env.mu.Unlock()
	read, resumed = env.inputRead, env.inputResumed
	env.inputRead, env.inputResumed = nil, false
	return read, resumed
}

// keepInputRead keeps the read of an interrupted input() for the next
// input(), which is the same one made again when resumed.
func (env *Env) keepInputRead(read chan lineRead, resumed bool) {
	env.mu.Lock()
	env.inputRead, env.inputResumed = read, resumed
	env.mu.Unlock()
}

// refusedStdin is the standard input of a host that grants none.
type refusedStdin struct{}

func (refusedStdin) Read([]byte) (int, error) {
	return 0, Errorf(PermissionError, "sys.stdin: the host grants no standard input (runtime.WithStdin)")
}

// pyInput is input(prompt=”): the prompt goes to stdout, the line (without
// its newline) comes from stdin; EOFError at the end of input.
func pyInput(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var prompt starlark.Value = starlark.String("")
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &prompt); err != nil {
		return nil, err
	}
	env := EnvOf(thread)
	in := env.StdinFile()
	read, resumed := env.takeInputRead()
	if !resumed { // not the same input() again after a signal's handler
		if p := Str(prompt); p != "" {
			if _, err := io.WriteString(env.Stdout, p); err != nil {
				return nil, Errorf(OSError, "%v", err)
			}
		}
		if f, ok := env.Stdout.(interface{ Flush() error }); ok {
			_ = f.Flush()
		}
	}
	if read == nil {
		read = make(chan lineRead, 1)
		go func() {
			in.mu.Lock()
			defer in.mu.Unlock()
			line, err := in.readLine(-1)
			read <- lineRead{line, err}
		}()
	}
	var line string
	ctx := ContextOf(thread)
	var r lineRead
	got := false
	Unlocked(thread, func() { // a terminal's line can take a while: other threads run
		select {
		case r = <-read:
			got = true
		case <-ctx.Done():
		}
	})
	if got {
		if r.err != nil {
			return nil, r.err
		}
		line = r.line
	} else {
		// The read goes on: its line is the next input()'s.
		err := Interrupted(ctx)
		env.keepInputRead(read, err == ErrSignalHandled)
		return nil, err
	}
	if line == "" {
		return nil, NewException(EOFError, "EOF when reading a line")
	}
	if line[len(line)-1] == '\n' {
		line = line[:len(line)-1]
	}
	return starlark.String(line), nil
}

// pyOpen is open(file, mode='r', buffering=-1, encoding=None, errors=None,
// newline=None, closefd=True, opener=None).
func pyOpen(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var (
		file                    starlark.Value
		mode                                   = "r"
		buffering                              = -1
		encoding, errs, newline starlark.Value = starlark.None, starlark.None, starlark.None
		closefd                                = true
		opener                  starlark.Value = starlark.None
	)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "file", &file, "mode?", &mode, "buffering?", &buffering,
		"encoding?", &encoding, "errors?", &errs, "newline?", &newline, "closefd?", &closefd, "opener?", &opener); err != nil {
		return nil, err
	}
	name, ok := file.(starlark.String)
	if !ok {
		return nil, Errorf(TypeError, "expected str, bytes or os.PathLike object, not %s", TypeName(file))
	}
	m, err := parseMode(mode)
	if err != nil {
		return nil, err
	}
	opts := textOptions{encoding: "UTF-8", errors: "strict", newline: -1}
	if enc, ok := encoding.(starlark.String); ok {
		if m.binary {
			return nil, Errorf(ValueError, "binary mode doesn't take an encoding argument")
		}
		c, err := LookupCodec(string(enc))
		if err != nil {
			return nil, err
		}
		if !c.byLine {
			return nil, Errorf(ValueError, "open(): kstar's text files do not take encoding=%s (a BOM or multi-byte units): read the file in binary mode and decode its bytes", QuoteString(string(enc)))
		}
		opts.encoding = string(enc)
	} else if encoding != starlark.None {
		return nil, Errorf(TypeError, "open() argument 'encoding' must be str or None, not %s", TypeName(encoding))
	}
	if e, ok := errs.(starlark.String); ok {
		if m.binary {
			return nil, Errorf(ValueError, "binary mode doesn't take an errors argument")
		}
		opts.errors = string(e)
	} else if errs != starlark.None {
		return nil, Errorf(TypeError, "open() argument 'errors' must be str or None, not %s", TypeName(errs))
	}
	if nl, ok := newline.(starlark.String); ok {
		if m.binary {
			return nil, Errorf(ValueError, "binary mode doesn't take a newline argument")
		}
		switch nl {
		case "", "\n", "\r", "\r\n":
			opts.newline = len(nl)
			opts.newlineText = string(nl)
		default:
			return nil, Errorf(ValueError, "illegal newline value: %s", string(nl))
		}
	} else if newline != starlark.None {
		return nil, Errorf(TypeError, "open() argument 'newline' must be str or None, not %s", TypeName(newline))
	}
	files, err := FilesOf(thread, "open("+QuoteString(string(name))+")")
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, OSErrorOf(syscall.ENOENT, "")
	}
	f, err := files.OpenFile(string(name), m.flag, 0o666)
	if err != nil {
		return nil, OSErrorOf(err, string(name))
	}
	if info, err := f.Stat(); err == nil && info.IsDir() {
		f.Close()
		return nil, OSErrorOf(syscall.EISDIR, string(name))
	}
	fl := newFile(f, string(name), m, opts)
	env := EnvOf(thread)
	env.trackFile(fl)
	fl.env = env
	return fl, nil
}

// openMode is a parsed open() mode.
type openMode struct {
	text             string // the mode as given, for .mode
	binary           bool
	readable, writes bool
	flag             int
}

// parseMode checks mode as CPython's open does.
func parseMode(mode string) (openMode, error) {
	m := openMode{text: mode}
	seen := map[rune]bool{}
	var kinds, plus, text int
	for _, c := range mode {
		if seen[c] || !contains("rwaxbt+", c) {
			return m, Errorf(ValueError, "invalid mode: %s", QuoteString(mode))
		}
		seen[c] = true
		switch c {
		case 'r', 'w', 'a', 'x':
			kinds++
		case '+':
			plus++
		case 't':
			text++
		case 'b':
			m.binary = true
		}
	}
	if text > 0 && m.binary {
		return m, Errorf(ValueError, "can't have text and binary mode at once")
	}
	if kinds > 1 {
		return m, Errorf(ValueError, "must have exactly one of create/read/write/append mode")
	}
	if kinds == 0 {
		return m, Errorf(ValueError, "Must have exactly one of create/read/write/append mode and at most one plus")
	}
	switch {
	case seen['r']:
		m.readable, m.flag = true, os.O_RDONLY
	case seen['w']:
		m.writes, m.flag = true, os.O_WRONLY|os.O_CREATE|os.O_TRUNC
	case seen['a']:
		m.writes, m.flag = true, os.O_WRONLY|os.O_CREATE|os.O_APPEND
	case seen['x']:
		m.writes, m.flag = true, os.O_WRONLY|os.O_CREATE|os.O_EXCL
	}
	if plus > 0 {
		m.readable, m.writes = true, true
		m.flag = m.flag&^(os.O_WRONLY|os.O_RDONLY) | os.O_RDWR
	}
	return m, nil
}

func contains(s string, c rune) bool {
	for _, x := range s {
		if x == c {
			return true
		}
	}
	return false
}

// BytesLike returns the bytes of v when v is bytes-like: a bytes, a
// Starlark bytes value or a bytearray (copied), as the functions that
// read bytes (hashes, codecs, compression, struct) accept them.
func BytesLike(v starlark.Value) (string, bool) {
	if b, ok := v.(*Bytearray); ok {
		return string(b.data), true
	}
	b, ok := AsBytes(v)
	return string(b), ok
}

// HostnameOf returns the host's name for what (a description of the call,
// "socket.gethostname()"), or a PermissionError when the host grants none.
func HostnameOf(thread *starlark.Thread, what string) (string, error) {
	get := EnvOf(thread).Hostname
	if get == nil {
		return "", Errorf(PermissionError, "%s: the host does not share its name (runtime.WithHostAccess)", what)
	}
	name, err := get()
	if err != nil {
		return "", Errorf(OSError, "%v", err)
	}
	return name, nil
}

// trackFile registers a file open() opened, to be closed when the script
// ends if the script does not close it.
func (env *Env) trackFile(f *File) {
	env.mu.Lock()
	env.open = append(env.open, f)
	env.mu.Unlock()
}

// untrackFile forgets a file the script closed itself.
func (env *Env) untrackFile(f *File) {
	env.mu.Lock()
	defer env.mu.Unlock()
	for i, x := range env.open {
		if x == f {
			env.open = append(env.open[:i], env.open[i+1:]...)
			return
		}
	}
}

// HasOpenFiles reports whether files open() opened are still open.
func (env *Env) HasOpenFiles() bool {
	env.mu.Lock()
	defer env.mu.Unlock()
	return len(env.open) > 0
}

// CloseFiles closes the files the script left open, last opened first,
// and returns the first error (a buffered write that fails).
func (env *Env) CloseFiles() error {
	env.mu.Lock()
	files := env.open
	env.open = nil
	env.mu.Unlock()
	var first error
	for i := len(files) - 1; i >= 0; i-- {
		if err := files[i].closeLocked(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
