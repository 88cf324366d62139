# Source: https://github.com/j25ng/kcaht/blob/e9f48bbe80dfb4b4af04c8ab5e4a60d93b33e7d2/src/kchat/kafka/multiChat.py
# License: not checked.
# Edits: bootstrap from sys.argv[1] (the original's is an EC2 host); topic
# prefixed with sys.argv[2]; the receiver prints only other users' lines,
# so two lines from another user (with fixed times, for time.ctime) are
# produced first, and the receiver reads from 'earliest', not 'latest',
# with consumer_timeout_ms=3000 (the original reads until Ctrl-C). The
# name and the lines typed come from the "# stdin:" lines.
# stdin: lee
# stdin: hello from lee
# stdin: exit
import sys
from kafka import KafkaProducer, KafkaConsumer
import json
import threading
import time

# topic: chat 1
BOOT, T = sys.argv[1], sys.argv[2]

# --- corpus edit: another user's lines ---
p = KafkaProducer(bootstrap_servers=[BOOT], value_serializer=lambda x: json.dumps(x).encode('utf-8'))
p.send(T + '-chat', value={'name': 'kim', 'message': '안녕하세요', 'time': 1700000000.25})
p.send(T + '-chat', value={'name': 'kim', 'message': 'bye', 'time': 1700000061})
p.close()
# --- end of edit ---

def reciever(username):

    consumer = KafkaConsumer(
    T + '-chat',
    bootstrap_servers=[BOOT],
    auto_offset_reset='earliest',
    enable_auto_commit=True,
    consumer_timeout_ms=3000,
    # group_id=f'chat-group',
    value_deserializer=lambda x: json.loads(x.decode('utf-8'))
    )
    
    try:
        for m in consumer:
            data = m.value
            
            if data['name'] != username:
                print(f"{data['name']}: {data['message']} (받은 시간 : {time.ctime(data['time'])})")
    
    except KeyboardInterrupt:
        print("채팅 종료")
    finally:
        consumer.close()

def sender(username):
    producer = KafkaProducer(
    bootstrap_servers=[BOOT],
    value_serializer=lambda x: json.dumps(x).encode('utf-8')
    )
    while True:
        message = input()

        data = {'name':username, 'message': message, 'time': time.time()}

        if message == 'exit':
            producer.close()
            break

        producer.send(T + '-chat', value=data)
        producer.flush()

if __name__ == "__main__":
    print("채팅 프로그램 - 메시지 발신 및 수신")
    username = input("사용할 이름을 입력하세요 : ")
    print("메시지를 입력하세요.")

    consumer_thread = threading.Thread(target=reciever, args=(username,))
    producer_thread = threading.Thread(target=sender, args=(username,))

    consumer_thread.start()
    producer_thread.start()

    # consumer_thread.join()
    # producer_thread.join()
