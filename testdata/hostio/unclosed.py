# A file left open is flushed and closed when the script ends.
f = open('left-open.txt', 'w')
f.write('written without close()\n')
print('done')
