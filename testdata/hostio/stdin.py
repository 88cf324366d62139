import sys
print(sys.stdin)
name = input('name? ')
print('hello', name)
print(repr(sys.stdin.readline()))
for line in sys.stdin:
    print('line', repr(line))
    if line.startswith('stop'):
        break
print(sys.stdin.readlines())
print(repr(sys.stdin.read()))
print(sys.stdout.write('w\n'))
sys.stdout.flush()
sys.stderr.write('to stderr\n')
try:
    input()
except EOFError as e:
    print('EOFError', e)
