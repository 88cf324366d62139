# atexit: after an uncaught exception, the handlers run once its
# traceback is printed; the exit status stays 1.
import atexit


def report(what):
    print('handler sees the end:', what)


atexit.register(report, 'error')
print('about to fail')
raise KeyError('missing')
