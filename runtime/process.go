package runtime

import (
	"context"
	"slices"
	"time"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/builtins/py"
)

// AnyPartition is the Partition of a record Process returns when the
// script did not choose one: the producer's partitioner picks it (by key).
const AnyPartition int32 = -1

// The ConsumerRecord fields Process reads, by index (kafka-python 2.0.2's
// order: topic, partition, offset, timestamp, timestamp_type, key, value,
// headers, ...).
const (
	fieldTopic     = 0
	fieldPartition = 1
	fieldTimestamp = 3
	fieldKey       = 5
	fieldValue     = 6
	fieldHeaders   = 7
)

// dictFields are the keys a dict returned by a process function may have.
var dictFields = map[string]bool{"topic": true, "partition": true, "key": true, "value": true, "headers": true, "timestamp": true}

// Process calls the script's function name (usually "process") with rec
// as a kafka-python ConsumerRecord, and returns the records to produce.
// The function returns:
//
//	None                      nothing: the record is dropped
//	a ConsumerRecord          one record: the one received, a changed copy
//	                          (record._replace(value=..., headers=...)) or
//	                          a new one (ConsumerRecord(...))
//	a dict                    one record with the keys given among topic,
//	                          key, value, headers, partition, timestamp
//	a list or tuple of these  each of them, in order (fan-out); None
//	                          elements are skipped
//
// The records returned have:
//
//   - Topic: the record's topic field, so a record the script did not
//     route still names the topic it came from, and the host sends it
//     where it wants (the pipeline package: to its output topic); "" for a
//     dict without "topic".
//   - Key and Value: bytes as they are, str encoded in UTF-8, None as nil.
//     They may share memory with the received record or with the
//     script's values: the host must not modify them (franz-go does not).
//   - Headers: kafka-python's list of (str, bytes) pairs, or a dict; a
//     header value may also be str (UTF-8) or None.
//   - Partition: a dict's "partition", or a ConsumerRecord's partition when
//     the script changed it; AnyPartition otherwise.
//   - Timestamp: the record's timestamp field (kept from the received
//     record by _replace), a dict's "timestamp" in milliseconds, or the
//     received record's when the dict has none; zero (the producer's
//     clock) for -1 or None.
//
// A record for a topic that WithAllowedTopics does not allow, other than
// the received record's, is an error, as a value of another type is: a
// *ScriptError whose traceback points at the function.
func (s *Script) Process(ctx context.Context, name string, rec *kgo.Record) ([]*kgo.Record, error) {
	var out []*kgo.Record
	err := s.call(ctx, name, starlark.Tuple{kafka.NewConsumerRecord(rec)}, nil, func(fn starlark.Callable, v starlark.Value) (err error) {
		c := converter{env: s.env, fn: fn, source: rec}
		out, err = c.records(v, nil)
		return err
	})
	return out, err
}

// ProcessBatch calls the script's function name once for a batch: with a
// list of ConsumerRecords, in order. The function returns what Process
// describes, usually a list; a ConsumerRecord's partition is never kept
// (return a dict with "partition" to choose one) and a dict without
// timestamp gets the producer's clock. Records for any of the batch's
// topics are exempt from WithAllowedTopics.
func (s *Script) ProcessBatch(ctx context.Context, name string, recs []*kgo.Record) ([]*kgo.Record, error) {
	list := make([]starlark.Value, len(recs))
	topics := map[string]bool{}
	for i, r := range recs {
		list[i] = kafka.NewConsumerRecord(r)
		topics[r.Topic] = true
	}
	var out []*kgo.Record
	err := s.call(ctx, name, starlark.Tuple{starlark.NewList(list)}, nil, func(fn starlark.Callable, v starlark.Value) (err error) {
		c := converter{env: s.env, fn: fn, inputTopics: topics}
		out, err = c.records(v, nil)
		return err
	})
	return out, err
}

// converter turns what a process function returned into franz-go records.
type converter struct {
	env         execEnv
	fn          starlark.Callable
	source      *kgo.Record     // the record received (Process)
	inputTopics map[string]bool // the batch's topics (ProcessBatch)
}

// fail is a TypeError, ValueError... at the function's definition.
func (c *converter) fail(class *py.ExceptionClass, format string, args ...any) error {
	var pos syntax.Position
	if f, ok := c.fn.(*starlark.Function); ok {
		pos = f.Position()
	}
	return errorAt(pos, class, "%s() returned "+format, append([]any{c.fn.Name()}, args...)...)
}

// records appends the records of v to out.
func (c *converter) records(v starlark.Value, out []*kgo.Record) ([]*kgo.Record, error) {
	var elems []starlark.Value
	switch v := v.(type) {
	case *starlark.List:
		elems = make([]starlark.Value, v.Len())
		for i := range elems {
			elems[i] = v.Index(i)
		}
	case starlark.Tuple:
		elems = v
	default:
		r, err := c.one(v)
		if err != nil || r == nil {
			return out, err
		}
		if out == nil {
			return r.slice[:], nil
		}
		return append(out, &r.Record), nil
	}
	for i, e := range elems {
		switch e.(type) {
		case *starlark.List, starlark.Tuple:
			return nil, c.fail(py.TypeError, "a nested %s at index %d: want a flat list of records", py.TypeName(e), i)
		}
		r, err := c.one(e)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, &r.Record)
		}
	}
	return out, nil
}

// outRecord is a record Process returns, allocated with the one-element
// slice returned when it is the only one.
type outRecord struct {
	kgo.Record
	slice [1]*kgo.Record
}

// newOut returns a record for the partitioner to place.
func newOut() *outRecord {
	o := &outRecord{Record: kgo.Record{Partition: AnyPartition}}
	o.slice[0] = &o.Record
	return o
}

// one converts a single returned value (nil for None).
func (c *converter) one(v starlark.Value) (*outRecord, error) {
	var r *outRecord
	var err error
	switch v := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case *kafka.ConsumerRecord:
		r, err = c.fromConsumerRecord(v)
	case *starlark.Dict:
		r, err = c.fromDict(v)
	default:
		return nil, c.fail(py.TypeError, "%s: want None, a ConsumerRecord, a dict or a list of them", py.TypeName(v))
	}
	if err != nil {
		return nil, err
	}
	if r.Topic != "" && !c.isInput(r.Topic) && !c.env.kafka.TopicAllowed(r.Topic) {
		return nil, c.fail(kafka.BrokerError(kerr.TopicAuthorizationFailed.Code), "a record for topic %s, which is not allowed here (%s)", py.QuoteString(r.Topic), kafka.AllowedList(c.env.kafka.AllowedTopics))
	}
	return r, nil
}

// isInput reports whether topic is the received record's (or one of the
// batch's).
func (c *converter) isInput(topic string) bool {
	if c.source != nil {
		return topic == c.source.Topic
	}
	return c.inputTopics[topic]
}

// fromConsumerRecord converts a ConsumerRecord. The fields still the
// fetched record's are copied from it, without making Starlark values.
func (c *converter) fromConsumerRecord(cr *kafka.ConsumerRecord) (*outRecord, error) {
	src := cr.Record() // the fetched record, unless the script made this one
	ref := src
	if ref == nil {
		ref = c.source
	}
	r := newOut()
	if cr.Inherited(fieldTopic) {
		r.Topic = src.Topic
	} else {
		topic, ok := cr.Index(fieldTopic).(starlark.String)
		if !ok {
			return nil, c.fail(py.TypeError, "a record whose topic is %s: want str", py.TypeName(cr.Index(fieldTopic)))
		}
		r.Topic = string(topic)
	}
	if !cr.Inherited(fieldPartition) {
		if p, err := c.partition(cr.Index(fieldPartition)); err != nil {
			return nil, err
		} else if ref != nil && p != ref.Partition {
			r.Partition = p
		}
	}
	var err error
	if cr.Inherited(fieldTimestamp) {
		if src.Attrs.TimestampType() >= 0 {
			r.Timestamp = src.Timestamp
		}
	} else if r.Timestamp, err = c.timestamp(cr.Index(fieldTimestamp)); err != nil {
		return nil, err
	}
	var refKey, refValue []byte
	if ref != nil {
		refKey, refValue = ref.Key, ref.Value
	}
	if cr.Inherited(fieldKey) {
		r.Key = src.Key
	} else if r.Key, err = c.bytes("key", cr.Index(fieldKey), refKey); err != nil {
		return nil, err
	}
	if cr.Inherited(fieldValue) {
		r.Value = src.Value
	} else if r.Value, err = c.bytes("value", cr.Index(fieldValue), refValue); err != nil {
		return nil, err
	}
	if cr.Inherited(fieldHeaders) {
		r.Headers = slices.Clone(src.Headers)
	} else if r.Headers, err = c.headers(cr.Index(fieldHeaders)); err != nil {
		return nil, err
	}
	return r, nil
}

// fromDict converts a dict of record fields.
func (c *converter) fromDict(d *starlark.Dict) (*outRecord, error) {
	r := newOut()
	if c.source != nil {
		r.Timestamp = c.source.Timestamp
	}
	for _, item := range d.Items() {
		k, ok := item[0].(starlark.String)
		if !ok || !dictFields[string(k)] {
			return nil, c.fail(py.ValueError, "a dict with the key %s: want topic, key, value, headers, partition or timestamp", py.Repr(item[0]))
		}
		v := item[1]
		var err error
		switch k {
		case "topic":
			t, ok := v.(starlark.String)
			if !ok && v != starlark.None {
				return nil, c.fail(py.TypeError, "a record whose topic is %s: want str", py.TypeName(v))
			}
			r.Topic = string(t)
		case "partition":
			if v != starlark.None {
				r.Partition, err = c.partition(v)
			}
		case "key":
			r.Key, err = c.bytes("key", v, nil)
		case "value":
			r.Value, err = c.bytes("value", v, nil)
		case "headers":
			r.Headers, err = c.headers(v)
		case "timestamp":
			r.Timestamp, err = c.timestamp(v)
		}
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (c *converter) partition(v starlark.Value) (int32, error) {
	i, ok := v.(starlark.Int)
	if !ok {
		return 0, c.fail(py.TypeError, "a record whose partition is %s: want int", py.TypeName(v))
	}
	n, ok := i.Int64()
	if !ok || n < -1 || n > 1<<31-1 {
		return 0, c.fail(py.ValueError, "a record whose partition is %s", i)
	}
	return int32(n), nil
}

func (c *converter) timestamp(v starlark.Value) (time.Time, error) {
	switch v := v.(type) {
	case starlark.NoneType:
		return time.Time{}, nil
	case starlark.Int:
		ms, ok := v.Int64()
		if !ok {
			return time.Time{}, c.fail(py.ValueError, "a record whose timestamp %s is out of range", v)
		}
		if ms < 0 {
			return time.Time{}, nil
		}
		return time.UnixMilli(ms), nil
	}
	return time.Time{}, c.fail(py.TypeError, "a record whose timestamp is %s: want int (milliseconds) or None", py.TypeName(v))
}

// bytes converts a key, value or header value; ref is the fetched bytes,
// reused when v holds the same content. Other bytes share the memory of
// the script's (immutable) value.
func (c *converter) bytes(what string, v starlark.Value, ref []byte) ([]byte, error) {
	var s string
	switch v := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case starlark.String:
		s = string(v)
	default:
		b, ok := py.BytesLike(v) // a Go host's Starlark bytes and a bytearray (a copy) too
		if !ok {
			return nil, c.fail(py.TypeError, "a record whose %s is %s: want bytes, str or None", what, py.TypeName(v))
		}
		s = b
	}
	if len(s) == 0 {
		return []byte{}, nil
	}
	if ref != nil && s == string(ref) {
		return ref, nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s)), nil
}

// headers converts kafka-python's list of (key, value) pairs, or a dict.
func (c *converter) headers(v starlark.Value) ([]kgo.RecordHeader, error) {
	var seq starlark.Indexable
	switch v := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case *starlark.Dict:
		items := v.Items()
		headers := make([]kgo.RecordHeader, 0, len(items))
		for _, kv := range items {
			h, err := c.header(kv[0], kv[1])
			if err != nil {
				return nil, err
			}
			headers = append(headers, h)
		}
		return headers, nil
	case *starlark.List:
		seq = v
	case starlark.Tuple:
		seq = v
	default:
		return nil, c.fail(py.TypeError, "headers of type %s: want a list of (str, bytes) pairs", py.TypeName(v))
	}
	n := seq.Len()
	if n == 0 {
		return nil, nil
	}
	headers := make([]kgo.RecordHeader, n)
	for i := range n {
		x := seq.Index(i)
		var kv starlark.Indexable
		switch x := x.(type) {
		case starlark.Tuple:
			kv = x
		case *starlark.List:
			kv = x
		}
		if kv == nil || kv.Len() != 2 {
			return nil, c.fail(py.TypeError, "a header %s: want a (str, bytes) pair", py.Repr(x))
		}
		h, err := c.header(kv.Index(0), kv.Index(1))
		if err != nil {
			return nil, err
		}
		headers[i] = h
	}
	return headers, nil
}

// header converts one header's key and value.
func (c *converter) header(k, v starlark.Value) (kgo.RecordHeader, error) {
	key, ok := k.(starlark.String)
	if !ok {
		return kgo.RecordHeader{}, c.fail(py.TypeError, "a header key of type %s: want str", py.TypeName(k))
	}
	value, err := c.bytes("header", v, nil)
	if err != nil {
		return kgo.RecordHeader{}, c.fail(py.TypeError, "a header %s whose value is %s: want bytes, str or None", py.QuoteString(string(key)), py.TypeName(v))
	}
	return kgo.RecordHeader{Key: string(key), Value: value}, nil
}
