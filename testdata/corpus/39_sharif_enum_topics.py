# Source: https://github.com/SharifAIChallenge/AIC21-Infra-Gateway/blob/01d2e9c4a2d0ae0f6831ed1b9c4832d1f6ff0175/services/kafka_cli.py
# License: not checked.
# Edits: 'from gateway.settings import KAFKA_END_POINT' (Django settings)
# becomes KAFKA_END_POINT = sys.argv[1]; the module only defines the
# client: the calls at the end send as the repository's views do
# (KafkaClient.send_message(Topics.PLAY_GAME.value, game_information)),
# to topics prefixed with sys.argv[2], one with a value json.dumps
# refuses, then flush and read back.
import sys
import enum
from json import dumps
from kafka import KafkaProducer

# topic: store-code 1
# topic: play-game 1
KAFKA_END_POINT = sys.argv[1]

kafka_producer = KafkaProducer(
    bootstrap_servers=KAFKA_END_POINT, value_serializer=lambda x: dumps(x).encode('utf-8')
)


class Topics(enum.Enum):
    STORE_CODE = "store-code"
    PLAY_GAME = "play-game"


class KafkaClient:
    @staticmethod
    def send_message(topic, message) -> bool:
        try:
            kafka_producer.send(topic=topic, value=message)
            return True
        except Exception as e:
            print(e)
            return False

# --- corpus edit: use it ---
T = sys.argv[2]
print(Topics.PLAY_GAME, Topics('store-code'), [t.name for t in Topics])
print(KafkaClient.send_message(T + '-' + Topics.PLAY_GAME.value, {'game_id': '1', 'players': [1, 2]}))
print(KafkaClient.send_message(T + '-' + Topics.STORE_CODE.value, {'code': 'print(1)'}))
print(KafkaClient.send_message(T + '-' + Topics.STORE_CODE.value, {'bad': {1, 2}}))
kafka_producer.flush()
from kafka import KafkaConsumer
for t in Topics:
    c = KafkaConsumer(T + '-' + t.value, bootstrap_servers=KAFKA_END_POINT,
                      auto_offset_reset='earliest', consumer_timeout_ms=2000)
    print(t.name, [m.value for m in c])
