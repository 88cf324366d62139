# A class called with a missing argument, left uncaught: exit status 1 and
# CPython's wording, naming the class's __init__ and the argument.
# exit: 1
import sys


class Record:
    def __init__(self, key, value):
        self.key = key
        self.value = value

    def __repr__(self):
        return 'Record(%r, %r)' % (self.key, self.value)


print(Record(b'k', b'v'), type(Record(1, 2)).__name__)
try:
    Record(1, 2).missing
except AttributeError as e:
    print('AttributeError:', e)
sys.stdout.flush()
Record(b'only-key')
