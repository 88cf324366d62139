package runtime

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kstar-dev/kstar/builtins/py"
)

// WithStdin lets scripts read r through sys.stdin and input() (the kstar
// command passes its standard input). Default: none, reading raises
// PermissionError.
func WithStdin(r io.Reader) Option { return func(r2 *Runtime) { r2.stdin = r } }

// osFiles is the whole file system, for WithHostAccess.
type osFiles struct{}

func (osFiles) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}
func (osFiles) Stat(name string) (fs.FileInfo, error)        { return os.Stat(name) }
func (osFiles) ReadDir(name string) ([]fs.DirEntry, error)   { return os.ReadDir(name) }
func (osFiles) MkdirAll(name string, perm fs.FileMode) error { return os.MkdirAll(name, perm) }
func (osFiles) Getwd() (string, error)                       { return os.Getwd() }
func (osFiles) Remove(name string) error                     { return os.Remove(name) }
func (osFiles) Rename(oldname, newname string) error         { return os.Rename(oldname, newname) }

// rootFiles is a directory scripts see as their working directory and
// cannot leave, not even through symbolic links (os.Root), for WithFiles.
type rootFiles string

var _ py.HostFiles = rootFiles("")

// rel returns name relative to the directory, refusing names outside it.
func (dir rootFiles) rel(name string) (string, error) {
	if !filepath.IsAbs(name) {
		return name, nil
	}
	abs, err := filepath.Abs(string(dir))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(abs, name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return rel, nil
}

// with opens the directory as an os.Root, calls f with name made relative
// to it, and turns a name that escapes it into fs.ErrPermission.
func (dir rootFiles) with(name string, f func(root *os.Root, rel string) error) error {
	rel, err := dir.rel(name)
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(string(dir))
	if err != nil {
		return err
	}
	defer root.Close()
	if err := f(root, rel); err != nil {
		return rootError(name, err)
	}
	return nil
}

func (dir rootFiles) OpenFile(name string, flag int, perm fs.FileMode) (f *os.File, err error) {
	err = dir.with(name, func(root *os.Root, rel string) error {
		f, err = root.OpenFile(rel, flag, perm)
		return err
	})
	return f, err
}

func (dir rootFiles) Stat(name string) (info fs.FileInfo, err error) {
	err = dir.with(name, func(root *os.Root, rel string) error {
		info, err = root.Stat(rel)
		return err
	})
	return info, err
}

func (dir rootFiles) ReadDir(name string) (entries []fs.DirEntry, err error) {
	err = dir.with(name, func(root *os.Root, rel string) error {
		f, err := root.Open(rel)
		if err != nil {
			return err
		}
		defer f.Close()
		entries, err = f.ReadDir(-1)
		return err
	})
	return entries, err
}

func (dir rootFiles) MkdirAll(name string, perm fs.FileMode) error {
	return dir.with(name, func(root *os.Root, rel string) error { return root.MkdirAll(rel, perm) })
}

func (dir rootFiles) Remove(name string) error {
	return dir.with(name, func(root *os.Root, rel string) error { return root.Remove(rel) })
}

func (dir rootFiles) Rename(oldname, newname string) error {
	newRel, err := dir.rel(newname)
	if err != nil {
		return err
	}
	return dir.with(oldname, func(root *os.Root, rel string) error { return root.Rename(rel, newRel) })
}

// Getwd is the directory itself: relative names are relative to it.
func (dir rootFiles) Getwd() (string, error) { return filepath.Abs(string(dir)) }
