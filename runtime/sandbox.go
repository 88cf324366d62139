package runtime

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// What a script may reach outside itself: Kafka brokers, files named by
// config keys (ssl_cafile, ...), the environment, and modules it loads.
//
// By default nothing is reachable unless the host grants it:
//
//	brokers      WithBootstrapServers (the host's default brokers),
//	             WithAllowedBrokers, WithClient (the host's client)
//	topics       WithAllowedTopics restricts them (all by default)
//	files        WithFiles(dir): config keys, open(), os.path and
//	             os.listdir reach files under dir only
//	stdin        WithStdin(r): sys.stdin and input()
//	environment  WithEnviron / WithOSEnviron
//	modules      WithLoadDir(dir) / WithLoadFS(fsys): import NAME and
//	             load("path") read NAME.star (or .py) under it, never outside
//
// WithHostAccess grants what the kstar command gives its scripts: any
// broker, any file, and the host's name (socket.gethostname).

// WithHostAccess lets scripts' clients connect to any broker, scripts
// open any file (config keys such as ssl_cafile, open(), os.path) and
// learn the host's name (socket.gethostname), as the kstar command does;
// the environment still needs WithEnviron and stdin WithStdin. Default: off, scripts
// reach only the brokers and files the host grants.
func WithHostAccess() Option { return func(r *Runtime) { r.hostAccess = true } }

// WithFiles lets scripts read and write files under dir only: the files
// config keys name (ssl_cafile, ...), open(), os.path's queries,
// os.listdir and os.makedirs. Relative names are relative to dir (which
// os.getcwd returns), and no name (not even through a symbolic link)
// reaches outside it; others raise PermissionError. Default: any file
// with WithHostAccess, none without it.
func WithFiles(dir string) Option {
	return func(r *Runtime) {
		r.readFile = func(name string) ([]byte, error) { return readInRoot(dir, name) }
		r.files = rootFiles(dir)
	}
}

// WithLoadDir lets scripts import modules from dir: `import helpers` and
// `from lib.util import f` read helpers.star and lib/util.star (or .py),
// and load("lib/util.star") returns the module. Nothing outside dir is
// reachable, not even through symbolic links. Each module runs once per
// execution (once per Script) and its globals are shared by the
// execution's threads and the Script's calls (frozen WithParallelCalls).
// Default: none; importing a module kstar does not have fails with
// ModuleNotFoundError and load is not defined.
func WithLoadDir(dir string) Option {
	return func(r *Runtime) { r.loadFS = rootFS(dir) }
}

// WithLoadFS is WithLoadDir for any file system (an embed.FS, an
// fstest.MapFS). Default: none.
func WithLoadFS(fsys fs.FS) Option { return func(r *Runtime) { r.loadFS = fsys } }

// refuseFiles is the sandbox's file reader: every file is refused.
func refuseFiles(name string) ([]byte, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

// readInRoot reads name under dir, refusing names that leave it.
func readInRoot(dir, name string) ([]byte, error) {
	if filepath.IsAbs(name) {
		absDir, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(absDir, name)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}
		name = rel
	}
	f, err := os.OpenInRoot(dir, name)
	if err != nil {
		return nil, rootError(name, err)
	}
	defer f.Close()
	return io.ReadAll(f)
}

// rootError turns os.Root's refusal to leave its directory into
// fs.ErrPermission.
func rootError(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return err
	}
	if strings.Contains(err.Error(), "escapes") {
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return err
}

// rootFS is a directory as an fs.FS whose names never leave it, not even
// through symbolic links (os.OpenInRoot); the directory is opened on each
// use, so it need not exist when the Runtime is built.
type rootFS string

// Open opens name under the directory.
func (dir rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	f, err := os.OpenInRoot(string(dir), name)
	if err != nil {
		return nil, rootError(name, err)
	}
	return f, nil
}

// moduleLoader runs the modules of a load directory for one execution (a
// script run, a Script and all its calls): each once.
type moduleLoader struct {
	rt     *Runtime
	fsys   fs.FS
	freeze bool // the modules' globals, for a Script's parallel calls
	// mu is held by the goroutine running a chain of loads (a module
	// importing another runs on the same goroutine), so that concurrent
	// calls importing the same module wait for the first one.
	mu      sync.Mutex
	modules map[string]*loadedModule // by file path
}

// newLoader returns the loader of one execution (nil without a load
// directory); freeze freezes the modules it loads.
func (r *Runtime) newLoader(freeze bool) *moduleLoader {
	if r.loadFS == nil {
		return nil
	}
	return &moduleLoader{rt: r, fsys: r.loadFS, freeze: freeze, modules: map[string]*loadedModule{}}
}

// loadedModule is a module that was loaded, or failed to.
type loadedModule struct {
	value starlark.Value
	err   error
}

// loadingKey is the thread-local key of the chain of files being loaded
// on the goroutine (to report circular imports).
const loadingKey = "kstar.loading"

// importModule finds the module a dotted import name stands for in the
// load directory: a.b is a/b.star or a/b.py. It returns nil when there is
// no such file.
func (l *moduleLoader) importModule(thread *starlark.Thread, name string) (starlark.Value, error) {
	base := strings.ReplaceAll(name, ".", "/")
	for _, ext := range []string{".star", ".py"} {
		p := base + ext
		if !fs.ValidPath(p) {
			return nil, nil
		}
		if _, err := fs.Stat(l.fsys, p); err == nil || errors.Is(err, fs.ErrPermission) {
			return l.load(thread, p, name)
		}
	}
	return nil, nil
}

// loadBuiltin implements load(path, *names): the module in the file at
// path (relative to the load directory) with no names, the value of the
// one name given, or a tuple of the values of several.
func (l *moduleLoader) loadBuiltin(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "load() takes no keyword arguments")
	}
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "load() missing 1 required positional argument: 'path'")
	}
	var names []string
	for i, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "load() argument %d must be str, not %s", i+1, py.TypeName(a))
		}
		names = append(names, string(s))
	}
	p := strings.TrimPrefix(names[0], "./")
	if !fs.ValidPath(p) || p == "." {
		return nil, py.Errorf(py.PermissionError, "load(): %s is outside the load directory", py.QuoteString(names[0]))
	}
	m, err := l.load(thread, p, strings.TrimSuffix(path.Base(p), path.Ext(p)))
	if err != nil {
		return nil, err
	}
	if len(names) == 1 {
		return m, nil
	}
	values := make(starlark.Tuple, 0, len(names)-1)
	for _, n := range names[1:] {
		v, _ := m.(*starlarkstruct.Module).Attr(n)
		if v == nil {
			return nil, py.Errorf(py.ImportError, "cannot import name '%s' from '%s'", n, p)
		}
		values = append(values, v)
	}
	if len(values) == 1 {
		return values[0], nil
	}
	return values, nil
}

// load runs the module in file p (once per execution) and returns it.
func (l *moduleLoader) load(thread *starlark.Thread, p, name string) (starlark.Value, error) {
	chain, _ := thread.Local(loadingKey).([]string)
	for _, c := range chain {
		if c == p {
			return nil, py.Errorf(py.ImportError, "cannot import %s: circular import (%s -> %s)", py.QuoteString(name), strings.Join(chain, " -> "), p)
		}
	}
	if len(chain) == 0 {
		// The first load of a chain takes the lock; nested loads run on
		// this goroutine and hold it already.
		l.mu.Lock()
		defer l.mu.Unlock()
	}
	if m, ok := l.modules[p]; ok {
		return m.value, m.err
	}
	v, err := l.run(thread, p, name, append(chain[:len(chain):len(chain)], p))
	l.modules[p] = &loadedModule{value: v, err: err}
	return v, err
}

// run executes a module's file on a thread of its own that shares the
// importing thread's Env (output, context, clients).
func (l *moduleLoader) run(parent *starlark.Thread, p, name string, chain []string) (v starlark.Value, err error) {
	src, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, py.Errorf(py.ModuleNotFoundError, "No module named %s", py.QuoteString(p))
		case errors.Is(err, fs.ErrPermission):
			return nil, py.Errorf(py.PermissionError, "load(): %s is outside the load directory", py.QuoteString(p))
		}
		return nil, py.Errorf(py.OSError, "%s: %v", py.QuoteString(p), err)
	}
	env := envOf(parent)
	thread := newThread(p, env)
	thread.SetLocal(loadingKey, chain)
	thread.SetLocal(stoppedKey, stoppedOf(parent)) // part of the importer's execution
	f, err := l.rt.parse(p, src)
	if err != nil {
		return nil, withSource(err, p, src)
	}
	setModuleName(f, name)
	predeclared := l.rt.predeclaredWith(env, l)
	prog, hints, err := compileScript(f, predeclared, func() (*syntax.File, error) {
		f, err := frontend.Parse(p, src)
		if err == nil {
			setModuleName(f, name)
		}
		return f, err
	})
	if err != nil {
		return nil, withSource(err, p, src)
	}
	ctx := env.Context()
	flag := stoppedOf(parent)
	stopThread := context.AfterFunc(ctx, func() { flag.stop(thread, cancelReason(ctx)) })
	defer stopThread()
	defer governorOf(parent).adopt(parent, thread)()
	defer func() {
		if r := recover(); r != nil {
			err = py.Errorf(py.RuntimeError, "internal error: %v", r)
		}
		if failure := py.TakeFailure(thread); failure != nil {
			err = failure
		}
	}()
	globals, err := prog.Init(thread, predeclared)
	if err != nil {
		return nil, hints.hint(err)
	}
	if l.freeze {
		globals.Freeze() // the cells too: the module's functions keep them
	}
	exportCells(globals)
	members := starlark.StringDict{}
	for k, v := range globals {
		if !strings.HasPrefix(k, "_") {
			members[k] = v
		}
	}
	return &starlarkstruct.Module{Name: name, Members: members}, nil
}

// guardValue makes a host's builtin panic-safe (py.Guard), and the
// builtins among a module's members; a Starlark bytes value becomes
// Python's (py.Bytes); other values are returned as they are.
func guardValue(v starlark.Value) starlark.Value {
	switch v := v.(type) {
	case starlark.Bytes:
		return py.Bytes(v)
	case *starlark.Builtin:
		return guardBuiltin(v)
	case *starlarkstruct.Module:
		members := make(starlark.StringDict, len(v.Members))
		for k, m := range v.Members {
			members[k] = guardValue(m)
		}
		return &starlarkstruct.Module{Name: v.Name, Members: members}
	}
	return v
}

// guardBuiltin returns a builtin with b's name and receiver that calls b
// and turns a panic into a RuntimeError, and a Starlark bytes result into
// Python's bytes.
func guardBuiltin(b *starlark.Builtin) *starlark.Builtin {
	g := py.Func(b.Name(), func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := b.CallInternal(thread, args, kwargs)
		if sb, ok := v.(starlark.Bytes); ok {
			v = py.Bytes(sb)
		}
		return v, err
	})
	if recv := b.Receiver(); recv != nil {
		return g.BindReceiver(recv)
	}
	return g
}
