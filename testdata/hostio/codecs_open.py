# codecs.open: a file coded with encoding (newlines untranslated), or a
# plain open() file without one.
import codecs

with codecs.open('cp.txt', 'w', 'cp1252') as f:
    f.write('caf\xe9 \u20ac\r\nline two\n')
with open('cp.txt', 'rb') as f:
    print(f.read())
with codecs.open('cp.txt', 'r', encoding='cp1252') as f:
    print(repr(f.readline()), repr(f.read()))
with codecs.open('cp.txt', encoding='latin-1') as f:
    print([line for line in f])
with codecs.open('plain.txt', 'w') as f:
    f.write('no encoding\n')
with codecs.open('plain.txt') as f:
    print(repr(f.read()))
with codecs.open('u8.txt', 'wb', 'utf-8') as f:
    f.write('\xe9t\xe9\n')
print(open('u8.txt', 'rb').read())
try:
    codecs.open('cp.txt', encoding='nope')
except LookupError as e:
    print('LookupError', e)
try:
    codecs.open('missing.txt', 'r', 'utf-8')
except FileNotFoundError as e:
    print('FileNotFoundError', e)
