// Package platform is the part of Python's platform module scripts use:
//
//	node()              the host's name, as socket.gethostname(); raises
//	                    PermissionError unless the host shares it
//	system()            'Linux', 'Darwin', 'Windows', ... (Go's GOOS)
//	machine()           'x86_64', 'aarch64' (arm64 on Darwin), or GOARCH
//	python_version()    '3.11.0', the language level of sys.version
//	python_version_tuple()  ('3', '11', '0')
//	python_implementation() 'CPython', as scripts that check it expect
//	                    (kstar follows CPython's behaviour)
package platform

import (
	"runtime"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the platform module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "platform", Members: starlark.StringDict{
		"node": py.Func("node", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			name, err := py.HostnameOf(thread, "platform.node()")
			if err != nil {
				return nil, err
			}
			return starlark.String(name), nil
		}),
		"system":                constant("system", system()),
		"machine":               constant("machine", machine()),
		"python_version":        constant("python_version", starlark.String("3.11.0")),
		"python_version_tuple":  constant("python_version_tuple", starlark.Tuple{starlark.String("3"), starlark.String("11"), starlark.String("0")}),
		"python_implementation": constant("python_implementation", starlark.String("CPython")),
	}}
}

// constant is a no-argument function returning v.
func constant(name string, v starlark.Value) *starlark.Builtin {
	return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
		return v, nil
	})
}

// system is uname's system name as Python's platform.system() gives it.
func system() starlark.Value {
	if runtime.GOOS == "darwin" {
		return starlark.String("Darwin")
	}
	return starlark.String(strings.ToUpper(runtime.GOOS[:1]) + runtime.GOOS[1:])
}

// machine is uname's machine name.
func machine() starlark.Value {
	switch {
	case runtime.GOARCH == "amd64":
		if runtime.GOOS == "windows" {
			return starlark.String("AMD64")
		}
		return starlark.String("x86_64")
	case runtime.GOARCH == "arm64" && runtime.GOOS == "linux":
		return starlark.String("aarch64")
	case runtime.GOARCH == "386":
		return starlark.String("i686")
	}
	return starlark.String(runtime.GOARCH)
}
