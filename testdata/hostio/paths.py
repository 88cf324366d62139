import os
import os.path
from os.path import join
for p in ['', '/', '//', '///', 'a', 'a/', '/a/b', 'a/b/', '//a//b//', '.bashrc', 'a/.b', 'a.tar.gz', 'a/b.c/d', '..', '...x', 'a/b/../c/./d', '../../x', '/../x']:
    print(repr(p), os.path.split(p), os.path.basename(p), os.path.dirname(p), os.path.splitext(p), os.path.isabs(p), os.path.normpath(p))
print(join('a', 'b', '/c', 'd'), join('a/', 'b'), join('', 'x'), join('a', ''), os.path.join('x'))
os.makedirs('d1/d2/d3')
os.makedirs('d1/d2', exist_ok=True)
try:
    os.makedirs('d1/d2')
except FileExistsError as e:
    print('FileExistsError', e)
f = open('d1/f.txt', 'w')
f.write('12345')
f.close()
print(os.path.exists('d1'), os.path.exists('nope'), os.path.isfile('d1/f.txt'), os.path.isdir('d1/f.txt'), os.path.isdir('d1'), os.path.getsize('d1/f.txt'))
print(sorted(os.listdir('d1')))
print(os.path.abspath('d1/../x') == os.path.join(os.getcwd(), 'x'))
print(os.path.abspath('/a/./b/'))
print(os.path.expanduser('~/x') == os.environ['HOME'] + '/x', os.path.expanduser('x~'))
try:
    os.path.getsize('nope')
except FileNotFoundError as e:
    print('FileNotFoundError', e)
try:
    os.listdir('nope')
except FileNotFoundError as e:
    print('FileNotFoundError', e)
try:
    os.path.join('a', 1)
except TypeError as e:
    print('TypeError', e)
try:
    os.path.basename(None)
except TypeError as e:
    print('TypeError', e)
