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

// brokerErrorNames holds kafka-python's class names where they differ from
// the CamelCase of the protocol name plus "Error" (kerr's MESSAGE_TOO_LARGE
// is kafka-python's MessageSizeTooLargeError, and so on).
var brokerErrorNames = map[int16]string{
	-1: "UnknownError",
	2:  "CorruptRecordException",
	4:  "InvalidFetchRequestError",
	6:  "NotLeaderForPartitionError",
	10: "MessageSizeTooLargeError",
	13: "StaleLeaderEpochCodeError",
	14: "GroupLoadInProgressError",
	15: "GroupCoordinatorNotAvailableError",
	16: "NotCoordinatorForGroupError",
	18: "RecordListTooLargeError",
	22: "IllegalGenerationError",
	28: "InvalidCommitOffsetSizeError",
	40: "InvalidConfigurationError",
	43: "UnsupportedForMessageFormatError",
	45: "OutOfOrderSequenceNumberError",
	46: "DuplicateSequenceNumberError",
	47: "InvalidProducerEpochError",
	49: "InvalidProducerIdMappingError",
	51: "ConcurrentTransactionsError",
	87: "InvalidRecordError",
}

// brokerErrors maps a Kafka error code to its kafka.errors class.
var brokerErrors = map[int16]*ExceptionClass{}

func init() {
	noError := class("NoError", "kafka.errors", BrokerResponseError)
	noError.Broker, noError.Message = true, "NO_ERROR"
	brokerErrors[0] = noError
	for code := int16(-1); code < 200; code++ {
		kerrErr, ok := kerr.ErrorForCode(code).(*kerr.Error)
		if !ok || (kerrErr == kerr.UnknownServerError && code != -1) {
			continue
		}
		name, ok := brokerErrorNames[code]
		if !ok {
			name = camelCase(kerrErr.Message) + "Error"
		}
		c := class(name, "kafka.errors", BrokerResponseError)
		c.Broker, c.Errno, c.Message = true, int(code), kerrErr.Message
		c.Retriable = kerrErr.Retriable
		switch code {
		case 3, 5, 6: // kafka-python refreshes metadata after these
			c.InvalidMetadata = true
		}
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
// through; broker error codes become their kafka.errors class; timeouts
// become KafkaTimeoutError; an unreachable cluster is NoBrokersAvailable.
func KafkaException(err error) *Exception {
	if err == nil {
		return nil
	}
	if e := AsException(err); e != nil {
		return e
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		e := NewException(BrokerError(ke.Code), ke.Description)
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
		class = NoBrokersAvailable
	default:
		class = KafkaError
	}
	e := NewException(class, err.Error())
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
