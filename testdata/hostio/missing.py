print('before')
open('missing.txt')
print('after')
