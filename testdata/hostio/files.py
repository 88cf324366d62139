import sys
f = open('a.txt', 'w')
print(f)
print(f.write('hello\nwörld\r\nthird\rfour'))
f.writelines(['x\n', 'y\n'])
print('printed', 42, file=f)
print(f.closed, f.name, f.mode, f.encoding)
f.close()
print(f.closed)
f = open('a.txt')
print(repr(f.read()))
print(f.tell())
print(f.seek(0))
print(repr(f.readline()), repr(f.readline()), repr(f.readline(3)))
print(f.readlines())
f.close()
f = open('a.txt', newline='')
print([l for l in f])
f.close()
f = open('a.txt', 'rb')
print(f, f.mode)
print(f.read(7))
print(list(f))
f.close()
f = open('b.bin', 'wb+')
print(f, f.write(b'\x00\x01abc\n'), f.tell())
f.seek(0)
print(f.read(), f.tell())
f.close()
f = open('a.txt', 'a', encoding='latin-1')
print(f)
f.write('é\n')
f.close()
print(open('a.txt', 'rb').read())
for m in ['rw', 'rbt', 'b', 'rr', 'q']:
    try:
        open('a.txt', m)
    except ValueError as e:
        print('ValueError', e)
for name in ['missing.txt', '.', 'nodir/x']:
    try:
        open(name)
    except OSError as e:
        print(type(e).__name__, e, e.args)
try:
    open('a.txt', 'x')
except FileExistsError as e:
    print('FileExistsError', e)
f = open('a.txt', 'r')
try:
    f.write('x')
except Exception as e:
    print(type(e).__name__, e)
f.close()
try:
    f.read()
except ValueError as e:
    print('ValueError', e)
f = open('c.txt', 'w')
try:
    f.write(b'x')
except TypeError as e:
    print('TypeError', e)
try:
    f.read()
except Exception as e:
    print(type(e).__name__, e)
f.close()
try:
    open('c.txt', 'wb').write('x')
except TypeError as e:
    print('TypeError', e)
try:
    open('c.txt', encoding='nope')
except LookupError as e:
    print('LookupError', e)
try:
    open('c.txt', 'rb', encoding='utf-8')
except ValueError as e:
    print('ValueError', e)
try:
    open('c.txt', newline='x')
except ValueError as e:
    print('ValueError', e)
try:
    open(3.5)
except TypeError as e:
    print('TypeError', e)
f = open('ba.bin', 'wb')
f.write(bytearray(b'from bytearray\n'))
f.close()
f = open('ba.bin', 'rb')
print(f.read())
f.close()
f = open('ba.bin', 'rb')
data, line, rest = f.read(4), f.readline(), list(f)
f.close()
print(type(data).__name__, data[0], list(data[:2]), data == b'from', hash(data) == hash(b'from'), {b'from': 1}[data])
print(type(line).__name__, line[0], line == b' bytearray\n', rest)
