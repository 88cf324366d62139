# atexit: sys.exit(3) runs the handlers and keeps its status.
import atexit
import sys

atexit.register(print, 'handler after sys.exit(3)')
sys.exit(3)
