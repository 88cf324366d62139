package runtime_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kstar-dev/kstar/runtime"
)

// TestHostIOSandbox checks that without a grant every way to the host's
// files, standard input and name is refused with a PermissionError that
// names the call and the option granting it.
func TestHostIOSandbox(t *testing.T) {
	cases := []struct{ src, want string }{
		{"open('x.txt')", "PermissionError: open('x.txt'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"open('/etc/passwd', 'rb')", "PermissionError: open('/etc/passwd'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.path.exists('/')", "PermissionError: os.path.exists('/'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.path.getsize('/')", "PermissionError: os.path.getsize('/'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.path.abspath('x')", "PermissionError: os.path.abspath('x'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.getcwd()", "PermissionError: os.getcwd(): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.listdir('/')", "PermissionError: os.listdir('/'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.makedirs('d')", "PermissionError: os.makedirs('d'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.remove('x.txt')", "PermissionError: os.remove('x.txt'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.unlink('x.txt')", "PermissionError: os.unlink('x.txt'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import os\nos.rename('a', 'b')", "PermissionError: os.rename('a', 'b'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import logging\nlogging.FileHandler('app.log')", "PermissionError: open('app.log'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import logging\nlogging.basicConfig(filename='app.log')", "PermissionError: open('app.log'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import logging\nlogging.FileHandler('/etc/passwd', delay=True).emit(logging.LogRecord('n', 20, 'p', 1, 'm', (), None))", "PermissionError: open('/etc/passwd'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import codecs\ncodecs.open('x.txt', 'r', 'utf-8')", "PermissionError: open('x.txt'): the host grants no file access (runtime.WithFiles or runtime.WithHostAccess)"},
		{"import sys\nsys.stdin.read()", "PermissionError: sys.stdin: the host grants no standard input (runtime.WithStdin)"},
		{"import sys\nfor l in sys.stdin.readlines(): pass", "PermissionError: sys.stdin: the host grants no standard input (runtime.WithStdin)"},
		{"input()", "PermissionError: sys.stdin: the host grants no standard input (runtime.WithStdin)"},
		{"import socket\nsocket.gethostname()", "PermissionError: socket.gethostname(): the host does not share its name (runtime.WithHostAccess)"},
		{"import platform\nplatform.node()", "PermissionError: platform.node(): the host does not share its name (runtime.WithHostAccess)"},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			got := execOut(t, c.src)
			if want := "ERROR " + c.want + "\n"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	// String operations of os.path need no grant.
	if got := execOut(t, "import os\nprint(os.path.join('a', 'b.txt'), os.path.splitext('b.txt'))"); got != "a/b.txt ('b', '.txt')\n" {
		t.Errorf("os.path.join in the sandbox: %q", got)
	}
}

// TestHostIOWithFiles checks WithFiles(dir) and WithStdin: scripts read,
// write and list files under dir (their working directory), reach nothing
// outside it, not even through a symbolic link, and read the host's input.
func TestHostIOWithFiles(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "work")
	writeFiles(t, root, map[string]string{"secret.txt": "hunter2\n", "work/in.txt": "a\nb\n"})
	if err := os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	src := `
import os, sys
f = open('in.txt')
print(f.readlines())
f.close()
os.makedirs('sub')
out = open('sub/out.txt', 'w')
print('from the script', file=out)
out.close()
print(sorted(os.listdir('.')), os.path.getsize('sub/out.txt'))
print(os.getcwd() == os.path.abspath('.'), open(os.path.join(os.getcwd(), 'in.txt')).read() == 'a\nb\n')
print(input('? '), repr(sys.stdin.read()))
for name in ['../secret.txt', 'link.txt', '` + filepath.Join(root, "secret.txt") + `']:
    try:
        open(name)
    except PermissionError as e:
        print('PermissionError', e.args[0], e.args[1])
print(os.path.exists('../secret.txt'))
try:
    open('in.txt', encoding='UTF-16')
except ValueError as e:
    print(e)
`
	got := execOut(t, src, runtime.WithFiles(dir), runtime.WithStdin(strings.NewReader("line 1\nline 2\n")))
	want := `['a\n', 'b\n']
['in.txt', 'link.txt', 'sub'] 16
True True
? line 1 'line 2\n'
PermissionError 13 Permission denied
PermissionError 13 Permission denied
PermissionError 13 Permission denied
False
open(): kstar's text files do not take encoding='UTF-16' (a BOM or multi-byte units): read the file in binary mode and decode its bytes
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sub", "out.txt")); err != nil || string(b) != "from the script\n" {
		t.Errorf("sub/out.txt: %q, %v", b, err)
	}
}

// TestHostIOLoggingAndFiles checks logging.FileHandler and basicConfig's
// filename, os.remove and os.rename under WithFiles(dir): they reach
// files under dir only.
func TestHostIOLoggingAndFiles(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "work")
	writeFiles(t, root, map[string]string{"secret.txt": "hunter2\n", "work/old.txt": "x"})
	src := `
import logging, os
h = logging.FileHandler('app.log', mode='w')
h.setFormatter(logging.Formatter('%(levelname)s %(name)s %(message)s'))
log = logging.getLogger('files')
log.addHandler(h)
log.warning('one %d', 1)
log.error('two')
print(h.baseFilename == os.path.join(os.getcwd(), 'app.log'), h.mode, h.stream.closed)
h.close()
print(h.stream, open('app.log').read(), end='')
logging.basicConfig(filename='root.log', format='%(message)s', level=logging.INFO)
logging.info('to root.log')
logging.shutdown()
print(open('root.log').read(), end='')
os.rename('old.txt', 'new.txt')
os.remove('root.log')
os.unlink('app.log')
print(sorted(os.listdir('.')))
for f in [lambda: logging.FileHandler('../secret.log'), lambda: os.remove('../secret.txt'), lambda: os.rename('new.txt', '../moved.txt')]:
    try:
        f()
    except PermissionError as e:
        print('PermissionError', e.args[0])
`
	got := execOut(t, src, runtime.WithFiles(dir))
	want := `True w False
None WARNING files one 1
ERROR files two
to root.log
['new.txt']
PermissionError 13
PermissionError 13
PermissionError 13
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := os.Stat(filepath.Join(root, "secret.txt")); err != nil {
		t.Errorf("secret.txt: %v", err)
	}
}
