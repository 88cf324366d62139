# A cluster nobody answers at: every client constructor raises
# NoBrokersAvailable() without args (the reason stays out of str() and
# repr()), and the last one, left uncaught, ends both tracebacks with
# the same line.
# exit: 1
from kafka import KafkaProducer, KafkaConsumer, KafkaAdminClient
from kafka.errors import NoBrokersAvailable, KafkaError

nobody = '127.0.0.1:1'  # a privileged port no broker listens on: refused
for client in [KafkaProducer, KafkaConsumer, KafkaAdminClient]:
    try:
        client(bootstrap_servers=nobody)
    except NoBrokersAvailable as e:
        print(client.__name__, repr(e), str(e), e.args)
        print(isinstance(e, KafkaError), e.retriable, e.invalid_metadata, type(e).__module__)
KafkaConsumer('t', bootstrap_servers=nobody)
