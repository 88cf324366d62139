# signal.signal handlers run when the signal comes (here: raised by the
# script itself with signal.raise_signal) with the signal's number; what
# they return is ignored and what they raise is raised where the script
# was; signal.signal returns the previous handler, getsignal the current
# one; bad arguments fail as in CPython. The last handler calls
# sys.exit(3), which ends the script with status 3.
# exit: 3
import signal, sys

print(signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIG_DFL, signal.SIG_IGN)
print(signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
print(signal.strsignal(signal.SIGTERM), signal.strsignal(signal.SIGINT), signal.strsignal(signal.SIGHUP))

received = []
def note(signum, frame):
    received.append(signum)
    print('handler got', signum, signum == signal.SIGTERM)

print(signal.signal(signal.SIGTERM, note))
print(signal.getsignal(signal.SIGTERM) is note)
signal.raise_signal(signal.SIGTERM)
print('after the handler', received)

def refuse(signum, frame):
    raise ValueError('refused signal %d' % signum)

print(signal.signal(signal.SIGHUP, refuse))
try:
    signal.raise_signal(signal.SIGHUP)
except ValueError as e:
    print('caught', e)

print(signal.signal(signal.SIGTERM, signal.SIG_IGN) is note)
signal.raise_signal(signal.SIGTERM)
print('SIGTERM ignored')

for args in [(99, signal.SIG_DFL), (0, signal.SIG_DFL), (signal.SIGTERM, 5),
             (signal.SIGTERM, 'handler'), (9, signal.SIG_IGN)]:
    try:
        signal.signal(*args)
    except Exception as e:
        print(type(e).__name__ + ':', e)
try:
    signal.getsignal('2')
except TypeError as e:
    print('TypeError:', e)

def leave(signum, frame):
    print('leaving on', signum)
    sys.exit(3)

signal.signal(signal.SIGTERM, leave)
signal.raise_signal(signal.SIGTERM)
print('not reached')
