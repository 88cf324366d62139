# Interop transactional writer, run by kstar (kafka-python 2.0.2 has no
# transactions; 2.2+ has this API): three transactions on partition 0,
# the second aborted. Offsets: a0 0, a1 1, (commit marker 2), b0 3, b1 4,
# (abort marker 5), c0 6, (commit marker 7).
# usage: txn_write.py BOOTSTRAP TOPIC TRANSACTIONAL_ID
import sys
from kafka import KafkaProducer

BOOT, TOPIC, TXN = sys.argv[1], sys.argv[2], sys.argv[3]

producer = KafkaProducer(bootstrap_servers=BOOT, transactional_id=TXN)
producer.init_transactions()
for values, commit in [([b'a0', b'a1'], True), ([b'b0', b'b1'], False), ([b'c0'], True)]:
    producer.begin_transaction()
    for i, v in enumerate(values):
        producer.send(TOPIC, v, key=b'k' + v, partition=0, headers=[('txn', TXN.encode())], timestamp_ms=2000 + i)
    if commit:
        producer.commit_transaction()
    else:
        producer.flush()
        producer.abort_transaction()
producer.close()
print('done')
