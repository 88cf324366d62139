# atexit: Ctrl-C (here raised by signal.raise_signal) ends the script
# with KeyboardInterrupt; its traceback, then the handlers.
import atexit
import signal


def handler():
    print('handler after KeyboardInterrupt')
    raise KeyError('from the handler')


atexit.register(handler)
atexit.register(print, 'registered last, runs first')
signal.raise_signal(signal.SIGINT)
print('not reached')
