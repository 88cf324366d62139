package kafka

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// kafka-python's client-side error classes (kafka.errors, 2.0.2 names).
var (
	KafkaError                = newErrorClass("KafkaError", py.RuntimeError)
	KafkaTimeoutError         = newErrorClass("KafkaTimeoutError", KafkaError)
	NoBrokersAvailable        = invalidMetadata(newErrorClass("NoBrokersAvailable", KafkaError))
	NodeNotReadyError         = retriable(newErrorClass("NodeNotReadyError", KafkaError))
	KafkaConnectionError      = invalidMetadata(newErrorClass("KafkaConnectionError", KafkaError))
	CommitFailedError         = newErrorClass("CommitFailedError", KafkaError)
	IllegalStateError         = newErrorClass("IllegalStateError", KafkaError)
	IllegalArgumentError      = newErrorClass("IllegalArgumentError", KafkaError)
	KafkaConfigurationError   = newErrorClass("KafkaConfigurationError", KafkaError)
	IncompatibleBrokerVersion = newErrorClass("IncompatibleBrokerVersion", KafkaError)
	UnsupportedCodecError     = newErrorClass("UnsupportedCodecError", KafkaError)
	NoOffsetForPartitionError = newErrorClass("NoOffsetForPartitionError", KafkaError)
	RecordTooLargeError       = newErrorClass("RecordTooLargeError", KafkaError)
	AuthenticationFailedError = newErrorClass("AuthenticationFailedError", KafkaError)
	BrokerResponseError       = newErrorClass("BrokerResponseError", KafkaError)
)

// clientErrors are the client-side classes above, for errorClasses.
var clientErrors = []*py.ExceptionClass{
	KafkaError, KafkaTimeoutError, NoBrokersAvailable, NodeNotReadyError,
	KafkaConnectionError, CommitFailedError, IllegalStateError, IllegalArgumentError,
	KafkaConfigurationError, IncompatibleBrokerVersion, UnsupportedCodecError,
	NoOffsetForPartitionError, RecordTooLargeError, AuthenticationFailedError,
	BrokerResponseError,
}

// errorInfo is what kafka.errors adds to its exception classes: the
// attributes kafka-python's classes have and their str() rules.
type errorInfo struct {
	Errno     int  // broker error code; meaningful when Broker is set
	Broker    bool // a kafka.errors.BrokerResponseError subclass with a code
	Retriable bool
	// InvalidMetadata marks errors after which kafka-python refreshes metadata.
	InvalidMetadata bool
	// Message is the protocol name of a broker error (e.g. MESSAGE_TOO_LARGE).
	Message string
}

// newErrorClass returns a kafka.errors class derived from base, retriable
// and invalid_metadata as base is.
func newErrorClass(name string, base *py.ExceptionClass) *py.ExceptionClass {
	c := py.NewExceptionClass(name, "kafka.errors", base)
	info := &errorInfo{}
	if b := errorInfoOf(base); b != nil {
		info.Retriable, info.InvalidMetadata = b.Retriable, b.InvalidMetadata
	}
	c.Ext = info
	return c
}

// errorInfoOf is c's kafka.errors information, nil for other classes.
func errorInfoOf(c *py.ExceptionClass) *errorInfo {
	if c == nil {
		return nil
	}
	info, _ := c.Ext.(*errorInfo)
	return info
}

func retriable(c *py.ExceptionClass) *py.ExceptionClass { errorInfoOf(c).Retriable = true; return c }
func invalidMetadata(c *py.ExceptionClass) *py.ExceptionClass {
	info := errorInfoOf(c)
	info.Retriable, info.InvalidMetadata = true, true
	return c
}

// isRetriable reports whether kafka-python retries after an error of
// class c (only kafka.errors classes can be).
func isRetriable(c *py.ExceptionClass) bool {
	info := errorInfoOf(c)
	return info != nil && info.Retriable
}

// errnoOf is the broker error code of class c, 0 for other classes.
func errnoOf(c *py.ExceptionClass) int {
	if info := errorInfoOf(c); info != nil {
		return info.Errno
	}
	return 0
}

// Attr answers errno and message (broker errors), retriable and
// invalid_metadata.
func (info *errorInfo) Attr(c *py.ExceptionClass, name string) (starlark.Value, bool) {
	switch name {
	case "retriable":
		return starlark.Bool(info.Retriable), true
	case "invalid_metadata":
		return starlark.Bool(info.InvalidMetadata), true
	case "errno":
		if info.Broker {
			return starlark.MakeInt(info.Errno), true
		}
	case "message":
		if info.Broker {
			return starlark.String(info.Message), true
		}
	}
	return nil, false
}

// AttrNames lists the names Attr answers.
func (info *errorInfo) AttrNames(c *py.ExceptionClass) []string {
	if info.Broker {
		return []string{"errno", "invalid_metadata", "message", "retriable"}
	}
	return []string{"invalid_metadata", "retriable"}
}

// Str is kafka.errors' str(e): "[Error N] Name: msg" for broker errors
// (N is None for BrokerResponseError itself), else "Name: msg".
func (info *errorInfo) Str(e *py.Exception) (string, bool) {
	if e.Class.IsSubclass(BrokerResponseError) {
		errno := "None" // BrokerResponseError itself has no code
		if info.Broker {
			errno = fmt.Sprint(info.Errno)
		}
		return fmt.Sprintf("[Error %s] %s", errno, kafkaErrorString(e)), true
	}
	return kafkaErrorString(e), true
}

// kafkaErrorString is kafka.errors.KafkaError.__str__: the class name
// alone without args, else "Name: " and the builtin str() (which is empty
// for KafkaError("")).
func kafkaErrorString(e *py.Exception) string {
	if len(e.Args) == 0 {
		return e.Class.ClassName
	}
	return e.Class.ClassName + ": " + e.Msg
}

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
var brokerErrors = makeBrokerErrors()

func makeBrokerErrors() map[int16]*py.ExceptionClass {
	classes := map[int16]*py.ExceptionClass{}
	for code := int16(-1); code < 200; code++ {
		c := newErrorClass("", BrokerResponseError)
		info := errorInfoOf(c)
		if kp, ok := kafkaPython202Errors[code]; ok {
			c.ClassName = kp.name
			info.Message, info.Retriable, info.InvalidMetadata = kp.message, kp.retriable, kp.invalidMetadata
		} else {
			kerrErr, ok := kerr.ErrorForCode(code).(*kerr.Error)
			if !ok || kerrErr == kerr.UnknownServerError {
				continue
			}
			c.ClassName = camelCase(kerrErr.Message) + "Error"
			info.Message, info.Retriable, info.InvalidMetadata = kerrErr.Message, kerrErr.Retriable, false
		}
		info.Broker, info.Errno = true, int(code)
		classes[code] = c
	}
	return classes
}

// errorClasses are kafka.errors' classes by name: the client-side ones,
// one per broker error code, and kafka-python's aliases for renamed
// classes.
var errorClasses = makeErrorClasses()

func makeErrorClasses() map[string]*py.ExceptionClass {
	classes := map[string]*py.ExceptionClass{}
	for _, c := range clientErrors {
		classes[c.ClassName] = c
	}
	for _, c := range brokerErrors {
		classes[c.ClassName] = c
	}
	classes["InvalidMessageError"] = brokerErrors[2]
	classes["CorruptRecordError"] = brokerErrors[2]
	classes["NotLeaderOrFollowerError"] = brokerErrors[6]
	return classes
}

// LookupErrorClass returns the kafka.errors class with the given name
// (aliases included), or nil.
func LookupErrorClass(name string) *py.ExceptionClass {
	return errorClasses[name]
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
func BrokerError(code int16) *py.ExceptionClass {
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
func KafkaException(err error) *py.Exception {
	if err == nil {
		return nil
	}
	if e := py.AsException(err); e != nil {
		return e
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		e := py.NewException(BrokerError(ke.Code), "")
		e.Cause = err
		return e
	}
	var class *py.ExceptionClass
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
	e := py.NewException(class, err.Error())
	e.Cause = err
	return e
}

// noBrokersAvailable is NoBrokersAvailable() without args, as
// kafka-python raises it. Why no broker answered (reason, in Go's words)
// is its Reason, a KafkaConnectionError that tracebacks show as the direct
// cause; err is the Go error behind it.
func noBrokersAvailable(reason string, err error) *py.Exception {
	e := py.NewException(NoBrokersAvailable, "")
	e.Reason = py.NewException(KafkaConnectionError, reason)
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
