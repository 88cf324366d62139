# sys.exit raises SystemExit: except SystemExit and except BaseException
# catch it (with its code), except Exception does not, finally runs on its
# way out, and uncaught it ends the script with its code and no traceback.
# exit: 3
# stderr: whole
import sys
from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers=sys.argv[1])

def run(code):
    try:
        try:
            sys.exit(code)
        except Exception:
            print('Exception caught it')
    except SystemExit as e:
        print('SystemExit caught, code', e.code)
        return e.code

print(run(4), run(None))
try:
    raise SystemExit('bye')
except BaseException as e:
    print('BaseException caught', repr(e), e.code)
try:
    print('sent', producer.send(sys.argv[2] + '-t', b'x').get(timeout=30).offset)
    sys.exit(3)
finally:
    producer.close()
    print('closed in finally')
print('not reached')
