# sys.stdin.buffer: standard input as bytes (readline with and without a
# limit, read(n), iteration, read()), and CPython's TypeError for a str
# written to sys.stdout.buffer.
import sys

buf = sys.stdin.buffer
print(buf.readline(), buf.readline(3), buf.readline(), buf.read(4))
print(buf.mode, buf.name, buf.closed, buf.readable(), buf is sys.stdin.buffer)
for line in buf:
    print(line)
    if line.startswith(b'after'):
        break
print(buf.read(), buf.read(), buf.readline())
sys.stdout.flush()
sys.stdout.buffer.write(b'written as bytes\n')
sys.stdout.buffer.flush()
try:
    sys.stdout.buffer.write('text')
except TypeError as e:
    print(e)
