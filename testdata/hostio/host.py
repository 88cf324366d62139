import socket, platform
print(socket.gethostname() == platform.node(), len(socket.gethostname()) > 0)
# kstar says 3.11.0; CPython its own micro version.
print(platform.python_version()[:5], platform.python_version_tuple()[:2])
print(platform.system(), platform.machine(), platform.python_implementation())
