package builtins

import (
	"context"
	"errors"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// kafka-python's client-side error classes (kafka.errors, 2.0.2 names).
var (
	KafkaError                = class("KafkaError", "kafka.errors", RuntimeError)
	KafkaTimeoutError         = class("KafkaTimeoutError", "kafka.errors", KafkaError)
	NoBrokersAvailable        = invalidMetadata(class("NoBrokersAvailable", "kafka.errors", KafkaError))
	NodeNotReadyError         = retriable(class("NodeNotReadyError", "kafka.errors", KafkaError))
	KafkaConnectionError      = invalidMetadata(class("KafkaConnectionError", "kafka.errors", KafkaError))
	CommitFailedError         = class("CommitFailedError", "kafka.errors", KafkaError)
	IllegalStateError         = class("IllegalStateError", "kafka.errors", KafkaError)
	IllegalArgumentError      = class("IllegalArgumentError", "kafka.errors", KafkaError)
	KafkaConfigurationError   = class("KafkaConfigurationError", "kafka.errors", KafkaError)
	IncompatibleBrokerVersion = class("IncompatibleBrokerVersion", "kafka.errors", KafkaError)
	UnsupportedCodecError     = class("UnsupportedCodecError", "kafka.errors", KafkaError)
	NoOffsetForPartitionError = class("NoOffsetForPartitionError", "kafka.errors", KafkaError)
	RecordTooLargeError       = class("RecordTooLargeError", "kafka.errors", KafkaError)
	AuthenticationFailedError = class("AuthenticationFailedError", "kafka.errors", KafkaError)
	BrokerResponseError       = class("BrokerResponseError", "kafka.errors", KafkaError)
)

// kafkaPython202Errors is kafka-python 2.0.2's table of broker errors
// (kafka.errors.kafka_errors): class name, message, retriable,
// invalid_metadata. Codes it lacks take franz-go's names.
var kafkaPython202Errors = map[int16]struct {
	name, message              string
	retriable, invalidMetadata bool
}{
	-1: {"UnknownError", "UNKNOWN", false, false},
	0:  {"NoError", "NO_ERROR", false, false},
	1:  {"OffsetOutOfRangeError", "OFFSET_OUT_OF_RANGE", false, false},
	2:  {"CorruptRecordException", "CORRUPT_MESSAGE", false, false},
	3:  {"UnknownTopicOrPartitionError", "UNKNOWN_TOPIC_OR_PARTITION", true, true},
	4:  {"InvalidFetchRequestError", "INVALID_FETCH_SIZE", false, false},
	5:  {"LeaderNotAvailableError", "LEADER_NOT_AVAILABLE", true, true},
	6:  {"NotLeaderForPartitionError", "NOT_LEADER_FOR_PARTITION", true, true},
	7:  {"RequestTimedOutError", "REQUEST_TIMED_OUT", true, false},
	8:  {"BrokerNotAvailableError", "BROKER_NOT_AVAILABLE", false, false},
	9:  {"ReplicaNotAvailableError", "REPLICA_NOT_AVAILABLE", false, false},
	10: {"MessageSizeTooLargeError", "MESSAGE_SIZE_TOO_LARGE", false, false},
	11: {"StaleControllerEpochError", "STALE_CONTROLLER_EPOCH", false, false},
	12: {"OffsetMetadataTooLargeError", "OFFSET_METADATA_TOO_LARGE", false, false},
	13: {"StaleLeaderEpochCodeError", "STALE_LEADER_EPOCH_CODE", false, false},
	14: {"GroupLoadInProgressError", "OFFSETS_LOAD_IN_PROGRESS", true, false},
	15: {"GroupCoordinatorNotAvailableError", "CONSUMER_COORDINATOR_NOT_AVAILABLE", true, false},
	16: {"NotCoordinatorForGroupError", "NOT_COORDINATOR_FOR_CONSUMER", true, false},
	17: {"InvalidTopicError", "INVALID_TOPIC", false, false},
	18: {"RecordListTooLargeError", "RECORD_LIST_TOO_LARGE", false, false},
	19: {"NotEnoughReplicasError", "NOT_ENOUGH_REPLICAS", true, false},
	20: {"NotEnoughReplicasAfterAppendError", "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true, false},
	21: {"InvalidRequiredAcksError", "INVALID_REQUIRED_ACKS", false, false},
	22: {"IllegalGenerationError", "ILLEGAL_GENERATION", false, false},
	23: {"InconsistentGroupProtocolError", "INCONSISTENT_GROUP_PROTOCOL", false, false},
	24: {"InvalidGroupIdError", "INVALID_GROUP_ID", false, false},
	25: {"UnknownMemberIdError", "UNKNOWN_MEMBER_ID", false, false},
	26: {"InvalidSessionTimeoutError", "INVALID_SESSION_TIMEOUT", false, false},
	27: {"RebalanceInProgressError", "REBALANCE_IN_PROGRESS", false, false},
	28: {"InvalidCommitOffsetSizeError", "INVALID_COMMIT_OFFSET_SIZE", false, false},
	29: {"TopicAuthorizationFailedError", "TOPIC_AUTHORIZATION_FAILED", false, false},
	30: {"GroupAuthorizationFailedError", "GROUP_AUTHORIZATION_FAILED", false, false},
	31: {"ClusterAuthorizationFailedError", "CLUSTER_AUTHORIZATION_FAILED", false, false},
	32: {"InvalidTimestampError", "INVALID_TIMESTAMP", false, false},
	33: {"UnsupportedSaslMechanismError", "UNSUPPORTED_SASL_MECHANISM", false, false},
	34: {"IllegalSaslStateError", "ILLEGAL_SASL_STATE", false, false},
	35: {"UnsupportedVersionError", "UNSUPPORTED_VERSION", false, false},
	36: {"TopicAlreadyExistsError", "TOPIC_ALREADY_EXISTS", false, false},
	37: {"InvalidPartitionsError", "INVALID_PARTITIONS", false, false},
	38: {"InvalidReplicationFactorError", "INVALID_REPLICATION_FACTOR", false, false},
	39: {"InvalidReplicationAssignmentError", "INVALID_REPLICATION_ASSIGNMENT", false, false},
	40: {"InvalidConfigurationError", "INVALID_CONFIG", false, false},
	41: {"NotControllerError", "NOT_CONTROLLER", true, false},
	42: {"InvalidRequestError", "INVALID_REQUEST", false, false},
	43: {"UnsupportedForMessageFormatError", "UNSUPPORTED_FOR_MESSAGE_FORMAT", false, false},
	44: {"PolicyViolationError", "POLICY_VIOLATION", false, false},
	54: {"SecurityDisabledError", "SECURITY_DISABLED", false, false},
	68: {"NonEmptyGroupError", "NON_EMPTY_GROUP", false, false},
	69: {"GroupIdNotFoundError", "GROUP_ID_NOT_FOUND", false, false},
}

// brokerErrors maps a Kafka error code to its kafka.errors class.
var brokerErrors = map[int16]*ExceptionClass{}

func init() {
	for code := int16(-1); code < 200; code++ {
		var c *ExceptionClass
		if kp, ok := kafkaPython202Errors[code]; ok {
			c = class(kp.name, "kafka.errors", BrokerResponseError)
			c.Message, c.Retriable, c.InvalidMetadata = kp.message, kp.retriable, kp.invalidMetadata
		} else {
			kerrErr, ok := kerr.ErrorForCode(code).(*kerr.Error)
			if !ok || kerrErr == kerr.UnknownServerError {
				continue
			}
			c = class(camelCase(kerrErr.Message)+"Error", "kafka.errors", BrokerResponseError)
			c.Message, c.Retriable = kerrErr.Message, kerrErr.Retriable
		}
		c.Broker, c.Errno = true, int(code)
		brokerErrors[code] = c
	}
	// kafka-python's aliases for renamed classes.
	exceptionClasses["InvalidMessageError"] = brokerErrors[2]
	exceptionClasses["CorruptRecordError"] = brokerErrors[2]
	exceptionClasses["NotLeaderOrFollowerError"] = brokerErrors[6]
	// kafka.go's init, which fills kafka.errors, ran before this one.
	for name, c := range exceptionClasses {
		if c.Module == "kafka.errors" {
			registerKafka("kafka.errors", name, c)
		}
	}
}

func camelCase(protocolName string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.ToLower(protocolName), "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// BrokerError returns the kafka.errors class for a Kafka error code.
func BrokerError(code int16) *ExceptionClass {
	if c, ok := brokerErrors[code]; ok {
		return c
	}
	return brokerErrors[-1]
}

// KafkaException converts an error from franz-go into the exception a
// kafka-python script would see. Errors that already are exceptions pass
// through; broker error codes become their kafka.errors class without
// args, as kafka-python mostly raises them (error_type()), so str(e) is
// "[Error 10] MessageSizeTooLargeError"; timeouts become
// KafkaTimeoutError; an unreachable cluster is NoBrokersAvailable.
func KafkaException(err error) *Exception {
	if err == nil {
		return nil
	}
	if e := AsException(err); e != nil {
		return e
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		e := NewException(BrokerError(ke.Code), "")
		e.Cause = err
		return e
	}
	var class *ExceptionClass
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, kgo.ErrRecordTimeout):
		class = KafkaTimeoutError
	case errors.Is(err, kgo.ErrClientClosed):
		class = IllegalStateError
	case isDialError(err):
		return noBrokersAvailable(err.Error(), err)
	default:
		class = KafkaError
	}
	e := NewException(class, err.Error())
	e.Cause = err
	return e
}

// noBrokersAvailable is NoBrokersAvailable() without args, as
// kafka-python raises it. Why no broker answered (reason, in Go's words)
// is its Reason, a KafkaConnectionError that tracebacks show as the direct
// cause; err is the Go error behind it.
func noBrokersAvailable(reason string, err error) *Exception {
	e := NewException(NoBrokersAvailable, "")
	e.Reason = NewException(KafkaConnectionError, reason)
	e.Cause = err
	return e
}

func isDialError(err error) bool {
	var de *kgo.ErrFirstReadEOF
	if errors.As(err, &de) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "unable to dial") || strings.Contains(msg, "no such host")
}
