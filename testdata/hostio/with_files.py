# with blocks over files: closed (and flushed) when the block ends, by
# its end or by an exception.
with open('a.txt', 'w') as f:
    print(f.write('one\n'), f.closed)
print(f.closed)
with open('a.txt') as f:
    print(repr(f.read()))
try:
    with open('a.txt', 'a') as f:
        f.write('two\n')
        raise ValueError('stopped')
except ValueError as e:
    print(e, f.closed)
with open('a.txt') as src, open('b.txt', 'w') as dst:
    for line in src:
        dst.write(line.upper())
print(src.closed, dst.closed)
with (
    open('b.txt') as b,
    open('a.txt') as a,
):
    print(repr(b.read()), repr(a.readline()))
with open('a.txt', 'rb') as f, open('c.bin', 'wb') as g:
    g.write(f.read()[::-1])
print(f.closed, g.closed)
try:
    with open('missing.txt') as f:
        print('not reached')
except FileNotFoundError as e:
    print(type(e).__name__, e)
with open('a.txt') as f:
    pass
try:
    f.read()
except ValueError as e:
    print(e)
with open('d.txt', 'w') as f:
    f.write('left by an exception\n')
    1 // 0
