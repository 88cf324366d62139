# atexit: handlers run when the script ends, the last registered first,
# with their arguments; register returns the function (a decorator too),
# unregister forgets every registration. They run after the threads that
# are not daemon ended and before the generators left suspended close;
# an exception one raises, SystemExit too, is printed and the rest run.
import atexit
import sys
import threading
import time


def goodbye(name, punctuation='.'):
    print('goodbye', name + punctuation)


def forgotten():
    print('never printed')


def fails():
    raise ValueError('handler failed')


def exits():
    sys.exit(5)


def late_thread():
    time.sleep(0.05)
    print('thread ends before the handlers')


def gen():
    try:
        yield 1
    finally:
        print('generator closed after the handlers')


atexit.register(goodbye, 'first')
atexit.register(forgotten)
atexit.register(fails)
atexit.register(goodbye, 'second', punctuation='!')
atexit.register(forgotten)
atexit.unregister(forgotten)
atexit.register(exits)
print(atexit.register(print, 'print registered', 42) is print)


@atexit.register
def decorated():
    print('decorated runs first')


print(callable(decorated))
for bad in [lambda: atexit.register(5), lambda: atexit.register(), lambda: atexit.unregister()]:
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
g = gen()
next(g)
threading.Thread(target=late_thread).start()
print('script ends')
