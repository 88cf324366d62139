# atexit: sys.exit('message') prints the message, then the handlers run;
# the status is sys.exit's.
import atexit
import sys

atexit.register(print, 'handler after sys.exit')
sys.exit('stopping with a message')
