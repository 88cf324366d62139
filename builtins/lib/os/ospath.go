package os

import (
	"io/fs"
	"strings"
	"syscall"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// os.path (CPython's posixpath) and the os functions that reach the file
// system:
//
//	os.path.join, split, basename, dirname, splitext, isabs, normpath:
//	    string operations, as posixpath's
//	os.path.expanduser: ~ is HOME of the environment the host grants
//	    (os.environ); ~user is left as is
//	os.path.exists, isfile, isdir, getsize, abspath; os.getcwd,
//	    os.listdir (sorted), os.makedirs, os.remove/unlink, os.rename: through py.Env.Files, refused
//	    with a PermissionError when the host grants no files

// osHostMembers are the members of the os module that reach the host.
func osHostMembers(env *py.Env) starlark.StringDict {
	return starlark.StringDict{
		"path":     NewPath(env),
		"getcwd":   py.Func("getcwd", osGetcwd),
		"listdir":  py.Func("listdir", osListdir),
		"makedirs": py.Func("makedirs", osMakedirs),
		"remove":   py.Func("remove", osRemove),
		"unlink":   py.Func("unlink", osRemove),
		"rename":   py.Func("rename", osRename),
	}
}

// NewPath returns the os.path module for an execution.
func NewPath(env *py.Env) starlark.Value {
	return py.NewModule("posixpath", starlark.StringDict{
		"join": py.Func("join", pathJoin),
		"split": pathFunc("split", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			head, tail := pathSplit(p)
			return starlark.Tuple{starlark.String(head), starlark.String(tail)}, nil
		}),
		"basename": pathFunc("basename", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			_, tail := pathSplit(p)
			return starlark.String(tail), nil
		}),
		"dirname": pathFunc("dirname", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			head, _ := pathSplit(p)
			return starlark.String(head), nil
		}),
		"splitext": pathFunc("splitext", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			root, ext := pathSplitext(p)
			return starlark.Tuple{starlark.String(root), starlark.String(ext)}, nil
		}),
		"isabs": pathFunc("isabs", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			return starlark.Bool(strings.HasPrefix(p, "/")), nil
		}),
		"normpath": pathFunc("normpath", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			return starlark.String(normpath(p)), nil
		}),
		"expanduser": pathFunc("expanduser", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			return starlark.String(expanduser(py.EnvOf(thread), p)), nil
		}),
		"abspath": pathFunc("abspath", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			if !strings.HasPrefix(p, "/") {
				files, err := py.FilesOf(thread, "os.path.abspath("+py.QuoteString(p)+")")
				if err != nil {
					return nil, err
				}
				cwd, err := files.Getwd()
				if err != nil {
					return nil, py.OSErrorOf(err, p)
				}
				p = joinPaths(cwd, p)
			}
			return starlark.String(normpath(p)), nil
		}),
		"exists": statFunc("exists", func(isDir bool, size int64) starlark.Value { return starlark.True }),
		"isfile": statFunc("isfile", func(isDir bool, size int64) starlark.Value { return starlark.Bool(!isDir) }),
		"isdir":  statFunc("isdir", func(isDir bool, size int64) starlark.Value { return starlark.Bool(isDir) }),
		"getsize": pathFunc("getsize", func(thread *starlark.Thread, p string) (starlark.Value, error) {
			files, err := py.FilesOf(thread, "os.path.getsize("+py.QuoteString(p)+")")
			if err != nil {
				return nil, err
			}
			info, err := files.Stat(p)
			if err != nil {
				return nil, py.OSErrorOf(err, p)
			}
			return starlark.MakeInt64(info.Size()), nil
		}),
		"sep":    starlark.String("/"),
		"curdir": starlark.String("."),
		"pardir": starlark.String(".."),
	})
}

// pathArg checks that a path argument is a str, as os.fspath does.
func pathArg(fn string, v starlark.Value) (string, error) { return namedPathArg(fn, "path", v) }

// namedPathArg is pathArg for the parameter param (rename's src, dst).
func namedPathArg(fn, param string, v starlark.Value) (string, error) {
	s, ok := v.(starlark.String)
	if !ok {
		return "", py.Errorf(py.TypeError, "%s: %s should be string, bytes or os.PathLike, not %s", fn, param, py.TypeName(v))
	}
	return string(s), nil
}

// pathFunc is a one-path-argument function of os.path.
func pathFunc(name string, f func(thread *starlark.Thread, p string) (starlark.Value, error)) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var v starlark.Value
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &v); err != nil {
			return nil, err
		}
		s, ok := v.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "expected str, bytes or os.PathLike object, not %s", py.TypeName(v))
		}
		return f(thread, string(s))
	})
}

// statFunc is exists, isfile or isdir: False when the file cannot be
// stat'ed, as CPython's.
func statFunc(name string, f func(isDir bool, size int64) starlark.Value) *starlark.Builtin {
	return pathFunc(name, func(thread *starlark.Thread, p string) (starlark.Value, error) {
		files, err := py.FilesOf(thread, "os.path."+name+"("+py.QuoteString(p)+")")
		if err != nil {
			return nil, err
		}
		info, err := files.Stat(p)
		if err != nil {
			return starlark.False, nil
		}
		return f(info.IsDir(), info.Size()), nil
	})
}

// pathJoin is os.path.join(a, *p).
func pathJoin(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, py.Errorf(py.TypeError, "join() takes no keyword arguments")
	}
	if len(args) == 0 {
		return nil, py.Errorf(py.TypeError, "join() missing 1 required positional argument: 'a'")
	}
	parts := make([]string, len(args))
	for i, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "join() argument must be str, bytes, or os.PathLike object, not '%s'", py.TypeName(a))
		}
		parts[i] = string(s)
	}
	return starlark.String(joinPaths(parts...)), nil
}

func joinPaths(parts ...string) string {
	p := parts[0]
	for _, b := range parts[1:] {
		switch {
		case strings.HasPrefix(b, "/"):
			p = b
		case p == "" || strings.HasSuffix(p, "/"):
			p += b
		default:
			p += "/" + b
		}
	}
	return p
}

// pathSplit is posixpath.split.
func pathSplit(p string) (head, tail string) {
	i := strings.LastIndexByte(p, '/') + 1
	head, tail = p[:i], p[i:]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head, tail
}

// pathSplitext is posixpath.splitext: leading dots of the name do not
// start an extension.
func pathSplitext(p string) (root, ext string) {
	sep := strings.LastIndexByte(p, '/')
	dot := strings.LastIndexByte(p, '.')
	if dot > sep {
		for i := sep + 1; i < dot; i++ {
			if p[i] != '.' {
				return p[:dot], p[dot:]
			}
		}
	}
	return p, ""
}

// normpath is posixpath.normpath.
func normpath(p string) string {
	if p == "" {
		return "."
	}
	initial := 0
	if strings.HasPrefix(p, "/") {
		initial = 1
		if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
			initial = 2
		}
	}
	var out []string
	for _, c := range strings.Split(p, "/") {
		switch {
		case c == "" || c == ".":
		case c != ".." || (initial == 0 && len(out) == 0) || (len(out) > 0 && out[len(out)-1] == ".."):
			out = append(out, c)
		case len(out) > 0:
			out = out[:len(out)-1]
		}
	}
	s := strings.Repeat("/", initial) + strings.Join(out, "/")
	if s == "" {
		return "."
	}
	return s
}

// expanduser replaces a leading ~ by HOME from the granted environment.
func expanduser(env *py.Env, p string) string {
	if !strings.HasPrefix(p, "~") {
		return p
	}
	i := strings.IndexByte(p, '/')
	if i < 0 {
		i = len(p)
	}
	if i != 1 || env.Getenv == nil {
		return p
	}
	home, ok := env.Getenv()["HOME"]
	if !ok {
		return p
	}
	home = strings.TrimRight(home, "/")
	if home+p[i:] == "" {
		return "/"
	}
	return home + p[i:]
}

func osGetcwd(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	files, err := py.FilesOf(thread, "os.getcwd()")
	if err != nil {
		return nil, err
	}
	cwd, err := files.Getwd()
	if err != nil {
		return nil, py.OSErrorOf(err, ".")
	}
	return starlark.String(cwd), nil
}

// osListdir is os.listdir(path='.'), sorted by name.
func osListdir(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value = starlark.String(".")
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "path?", &v); err != nil {
		return nil, err
	}
	p, err := pathArg("listdir", v)
	if err != nil {
		return nil, err
	}
	files, err := py.FilesOf(thread, "os.listdir("+py.QuoteString(p)+")")
	if err != nil {
		return nil, err
	}
	entries, err := files.ReadDir(p)
	if err != nil {
		return nil, py.OSErrorOf(err, p)
	}
	names := make([]starlark.Value, len(entries))
	for i, e := range entries {
		names[i] = starlark.String(e.Name())
	}
	return starlark.NewList(names), nil
}

// osMakedirs is os.makedirs(name, mode=0o777, exist_ok=False).
func osMakedirs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	mode, existOK := 0o777, false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &v, "mode?", &mode, "exist_ok?", &existOK); err != nil {
		return nil, err
	}
	p, err := pathArg("makedirs", v)
	if err != nil {
		return nil, err
	}
	files, err := py.FilesOf(thread, "os.makedirs("+py.QuoteString(p)+")")
	if err != nil {
		return nil, err
	}
	if info, err := files.Stat(p); err == nil && (!existOK || !info.IsDir()) {
		return nil, py.OSErrorOf(errExist, p)
	}
	if err := files.MkdirAll(p, fsMode(mode)); err != nil {
		return nil, py.OSErrorOf(err, p)
	}
	return starlark.None, nil
}

// osRemove is os.remove(path) and os.unlink(path): a file, not a
// directory.
func osRemove(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "path", &v); err != nil {
		return nil, err
	}
	p, err := pathArg(b.Name(), v)
	if err != nil {
		return nil, err
	}
	files, err := py.FilesOf(thread, "os."+b.Name()+"("+py.QuoteString(p)+")")
	if err != nil {
		return nil, err
	}
	if info, err := files.Stat(p); err == nil && info.IsDir() {
		return nil, py.OSErrorOf(syscall.EISDIR, p)
	}
	if err := files.Remove(p); err != nil {
		return nil, py.OSErrorOf(err, p)
	}
	return starlark.None, nil
}

// osRename is os.rename(src, dst).
func osRename(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src, dst starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "src", &src, "dst", &dst); err != nil {
		return nil, err
	}
	from, err := namedPathArg(b.Name(), "src", src)
	if err != nil {
		return nil, err
	}
	to, err := namedPathArg(b.Name(), "dst", dst)
	if err != nil {
		return nil, err
	}
	files, err := py.FilesOf(thread, "os.rename("+py.QuoteString(from)+", "+py.QuoteString(to)+")")
	if err != nil {
		return nil, err
	}
	if err := files.Rename(from, to); err != nil {
		e := py.OSErrorOf(err, from)
		e.Msg += " -> " + py.QuoteString(to) // CPython names both files
		return nil, e
	}
	return starlark.None, nil
}

// errExist is the error of makedirs on an existing name.
var errExist = syscall.EEXIST

func fsMode(mode int) fs.FileMode { return fs.FileMode(mode) & fs.ModePerm }
