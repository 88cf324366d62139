# Every broker error class of kafka-python 2.0.2 (kafka.errors.kafka_errors)
# and the common client-side ones: name, errno, protocol message,
# retriable, invalid_metadata, and how an instance prints.
from kafka.errors import UnknownError, NoError, OffsetOutOfRangeError, CorruptRecordException
from kafka.errors import UnknownTopicOrPartitionError, InvalidFetchRequestError, LeaderNotAvailableError, NotLeaderForPartitionError
from kafka.errors import RequestTimedOutError, BrokerNotAvailableError, ReplicaNotAvailableError, MessageSizeTooLargeError
from kafka.errors import StaleControllerEpochError, OffsetMetadataTooLargeError, StaleLeaderEpochCodeError, GroupLoadInProgressError
from kafka.errors import GroupCoordinatorNotAvailableError, NotCoordinatorForGroupError, InvalidTopicError, RecordListTooLargeError
from kafka.errors import NotEnoughReplicasError, NotEnoughReplicasAfterAppendError, InvalidRequiredAcksError, IllegalGenerationError
from kafka.errors import InconsistentGroupProtocolError, InvalidGroupIdError, UnknownMemberIdError, InvalidSessionTimeoutError
from kafka.errors import RebalanceInProgressError, InvalidCommitOffsetSizeError, TopicAuthorizationFailedError, GroupAuthorizationFailedError
from kafka.errors import ClusterAuthorizationFailedError, InvalidTimestampError, UnsupportedSaslMechanismError, IllegalSaslStateError
from kafka.errors import UnsupportedVersionError, TopicAlreadyExistsError, InvalidPartitionsError, InvalidReplicationFactorError
from kafka.errors import InvalidReplicationAssignmentError, InvalidConfigurationError, NotControllerError, InvalidRequestError
from kafka.errors import UnsupportedForMessageFormatError, PolicyViolationError, SecurityDisabledError, NonEmptyGroupError
from kafka.errors import GroupIdNotFoundError, KafkaError, KafkaTimeoutError, NoBrokersAvailable
from kafka.errors import NodeNotReadyError, KafkaConnectionError, IllegalStateError
from kafka.errors import IllegalArgumentError, KafkaConfigurationError, IncompatibleBrokerVersion, UnsupportedCodecError
from kafka.errors import BrokerResponseError

broker_errors = [
    UnknownError, NoError, OffsetOutOfRangeError, CorruptRecordException,
    UnknownTopicOrPartitionError, InvalidFetchRequestError, LeaderNotAvailableError, NotLeaderForPartitionError,
    RequestTimedOutError, BrokerNotAvailableError, ReplicaNotAvailableError, MessageSizeTooLargeError,
    StaleControllerEpochError, OffsetMetadataTooLargeError, StaleLeaderEpochCodeError, GroupLoadInProgressError,
    GroupCoordinatorNotAvailableError, NotCoordinatorForGroupError, InvalidTopicError, RecordListTooLargeError,
    NotEnoughReplicasError, NotEnoughReplicasAfterAppendError, InvalidRequiredAcksError, IllegalGenerationError,
    InconsistentGroupProtocolError, InvalidGroupIdError, UnknownMemberIdError, InvalidSessionTimeoutError,
    RebalanceInProgressError, InvalidCommitOffsetSizeError, TopicAuthorizationFailedError, GroupAuthorizationFailedError,
    ClusterAuthorizationFailedError, InvalidTimestampError, UnsupportedSaslMechanismError, IllegalSaslStateError,
    UnsupportedVersionError, TopicAlreadyExistsError, InvalidPartitionsError, InvalidReplicationFactorError,
    InvalidReplicationAssignmentError, InvalidConfigurationError, NotControllerError, InvalidRequestError,
    UnsupportedForMessageFormatError, PolicyViolationError, SecurityDisabledError, NonEmptyGroupError,
    GroupIdNotFoundError,
]
for cls in broker_errors:
    print(cls.__name__, cls.errno, cls.message, cls.retriable, cls.invalid_metadata, str(cls('detail')), repr(cls()))

client_errors = [
    KafkaError, KafkaTimeoutError, NoBrokersAvailable, NodeNotReadyError,
    KafkaConnectionError, IllegalStateError, IllegalArgumentError,
    KafkaConfigurationError, IncompatibleBrokerVersion, UnsupportedCodecError, BrokerResponseError,
]
for cls in client_errors:
    print(cls.__name__, cls.retriable, cls.invalid_metadata, str(cls('detail')), repr(cls('detail')), str(cls()))
