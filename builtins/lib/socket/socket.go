// Package socket is the part of Python's socket module that Kafka scripts
// use: gethostname(), typically for a client_id. It returns the host's
// name only when the host shares it (the kstar command does; an embedding
// host with runtime.WithHostAccess); otherwise it raises PermissionError.
// Sockets themselves are not offered: the Kafka clients do the networking.
package socket

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// New returns the socket module.
func New(env *py.Env) starlark.Value {
	return &starlarkstruct.Module{Name: "socket", Members: starlark.StringDict{
		"gethostname": py.Func("gethostname", gethostname),
	}}
}

func gethostname(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	name, err := py.HostnameOf(thread, "socket.gethostname()")
	if err != nil {
		return nil, err
	}
	return starlark.String(name), nil
}
