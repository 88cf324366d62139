package kafka

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// consumerRecordFields are kafka-python 2.0.2's ConsumerRecord fields, in
// order (2.1+ inserted leader_epoch; kstar keeps 2.0.2's shape).
var consumerRecordFields = []string{
	"topic", "partition", "offset", "timestamp", "timestamp_type",
	"key", "value", "headers", "checksum",
	"serialized_key_size", "serialized_value_size", "serialized_header_size",
}

// The indexes of the fields whose value is computed from the record.
const (
	crTopic = iota
	crPartition
	crOffset
	crTimestamp
	crTimestampType
	crKey
	crValue
	crHeaders
	crChecksum
	crKeySize
	crValueSize
	crHeaderSize
)

// ConsumerRecord is kafka-python's ConsumerRecord namedtuple, what a
// consumer's iteration and poll() yield: an instance of
// ConsumerRecordClass that behaves as every namedtuple does (see
// NamedTupleValue: attributes, _fields, _asdict, _replace, indexing, slicing,
// unpacking, comparison as a tuple of its 12 fields), with kafka-python
// 2.0.2's repr:
//
//	ConsumerRecord(topic='t', partition=0, offset=10, timestamp=1563437749438, timestamp_type=0, key=None, value=b'message0', headers=[], checksum=None, serialized_key_size=-1, serialized_value_size=8, serialized_header_size=-1)
//
// It is lazy: field values are made from the franz-go record when they are
// read, so iterating over records that are only partly inspected costs one
// small allocation per record. key and value hold the deserialized values
// when the consumer has deserializers.
type ConsumerRecord struct {
	rec *kgo.Record
	// more is nil for a plain fetched record (16 bytes per record).
	more *recordValues
}

// recordValues are the values of a record that differ from its raw bytes.
type recordValues struct {
	// key and value are the deserialized key and value; nil means the raw
	// bytes (None when the record has none).
	key, value starlark.Value
	// fixed, when set, holds the field values the script gave: all 12 for
	// a record made by calling ConsumerRecord(...), those replaced for a
	// _replace copy of a fetched record (nil entries are then rec's).
	fixed starlark.Tuple
}

var (
	_ py.NamedTupleValue  = (*ConsumerRecord)(nil)
	_ starlark.HasAttrs   = (*ConsumerRecord)(nil)
	_ starlark.Indexable  = (*ConsumerRecord)(nil)
	_ starlark.Sliceable  = (*ConsumerRecord)(nil)
	_ starlark.Iterable   = (*ConsumerRecord)(nil)
	_ starlark.Comparable = (*ConsumerRecord)(nil)
	_ starlark.Container  = (*ConsumerRecord)(nil)
	_ starlark.HasBinary  = (*ConsumerRecord)(nil)
	_ py.Reprer           = (*ConsumerRecord)(nil)
)

// newConsumerRecord wraps a fetched record; key and value are the
// deserialized values, or nil for the raw bytes.
func newConsumerRecord(r *kgo.Record, key, value starlark.Value) *ConsumerRecord {
	if key == nil && value == nil {
		return &ConsumerRecord{rec: r}
	}
	return &ConsumerRecord{rec: r, more: &recordValues{key: key, value: value}}
}

// Record returns the franz-go record behind the value: the fetched one,
// also for a _replace copy of it (whose fields may differ: see
// Inherited); nil for a record made by calling ConsumerRecord(...).
func (cr *ConsumerRecord) Record() *kgo.Record { return cr.rec }

// recordBytes returns b as Python bytes (py.Bytes) without copying, or None for nil.
// franz-go allocates a fresh buffer for every fetch response and every
// decompressed batch (kstar never gives it buffer pools), so the record's
// slices are never written again and may back immutable bytes.
func recordBytes(b []byte) starlark.Value {
	if b == nil {
		return starlark.None
	}
	if len(b) == 0 {
		return py.Bytes("")
	}
	return py.Bytes(unsafe.String(&b[0], len(b)))
}

// serializedSize is kafka-python's serialized size: -1 for None.
func serializedSize(b []byte) starlark.Value {
	if b == nil {
		return starlark.MakeInt(-1)
	}
	return starlark.MakeInt(len(b))
}

// field returns the i'th field's value.
func (cr *ConsumerRecord) field(i int) starlark.Value {
	if cr.more != nil && cr.more.fixed != nil {
		if v := cr.more.fixed[i]; v != nil || cr.rec == nil {
			return v
		}
	}
	r := cr.rec
	switch i {
	case crTopic:
		return starlark.String(r.Topic)
	case crPartition:
		return starlark.MakeInt(int(r.Partition))
	case crOffset:
		return starlark.MakeInt64(r.Offset)
	case crTimestamp:
		if r.Attrs.TimestampType() < 0 {
			return starlark.MakeInt(-1) // message format v0 has no timestamp
		}
		return starlark.MakeInt64(r.Timestamp.UnixMilli())
	case crTimestampType:
		if t := r.Attrs.TimestampType(); t >= 0 {
			return starlark.MakeInt(int(t))
		}
		return starlark.None
	case crKey:
		if cr.more != nil && cr.more.key != nil {
			return cr.more.key
		}
		return recordBytes(r.Key)
	case crValue:
		if cr.more != nil && cr.more.value != nil {
			return cr.more.value
		}
		return recordBytes(r.Value)
	case crHeaders:
		headers := make([]starlark.Value, len(r.Headers))
		for j, h := range r.Headers {
			headers[j] = starlark.Tuple{starlark.String(h.Key), recordBytes(h.Value)}
		}
		return starlark.NewList(headers)
	case crChecksum:
		// Record batches (message format v2, Kafka >= 0.11) carry one CRC
		// per batch, and kafka-python reports None for them.
		return starlark.None
	case crKeySize:
		return serializedSize(r.Key)
	case crValueSize:
		return serializedSize(r.Value)
	case crHeaderSize:
		return serializedHeaderSize(r.Headers)
	}
	panic("ConsumerRecord: no field " + string(rune('0'+i)))
}

// serializedHeaderSize is kafka-python's serialized_header_size: the UTF-8 length of
// every key plus the length of every value, -1 when there are no headers.
func serializedHeaderSize(headers []kgo.RecordHeader) starlark.Value {
	if len(headers) == 0 {
		return starlark.MakeInt(-1)
	}
	n := 0
	for _, h := range headers {
		n += len(h.Key) + len(h.Value)
		if !utf8.ValidString(h.Key) {
			// Python decodes header keys as UTF-8 with replacement,
			// then re-encodes them.
			n += len(strings.ToValidUTF8(h.Key, "\uFFFD")) - len(h.Key)
		}
	}
	return starlark.MakeInt(n)
}

// Values returns the 12 field values as a tuple.
func (cr *ConsumerRecord) Values() starlark.Tuple { return py.NamedTupleValues(cr) }

// TypeOf returns ConsumerRecordClass.
func (cr *ConsumerRecord) TypeOf() *py.NamedTupleType { return ConsumerRecordClass }

// String is the record's repr (as str() of a namedtuple).
func (cr *ConsumerRecord) String() string { return py.NamedTupleRepr(cr) }

// PyRepr renders kafka-python 2.0.2's repr.
func (cr *ConsumerRecord) PyRepr() string { return py.NamedTupleRepr(cr) }

func (cr *ConsumerRecord) Type() string         { return "ConsumerRecord" }
func (cr *ConsumerRecord) Freeze()              {}
func (cr *ConsumerRecord) Truth() starlark.Bool { return true }

// Hash hashes the fields as a tuple; like Python's, it fails while the
// headers field is a list.
func (cr *ConsumerRecord) Hash() (uint32, error)              { return py.NamedTupleHash(cr) }
func (cr *ConsumerRecord) Len() int                           { return len(consumerRecordFields) }
func (cr *ConsumerRecord) Index(i int) starlark.Value         { return cr.field(i) }
func (cr *ConsumerRecord) Iterate() starlark.Iterator         { return cr.Values().Iterate() }
func (cr *ConsumerRecord) Has(x starlark.Value) (bool, error) { return py.NamedTupleHas(cr, x) }
func (cr *ConsumerRecord) Slice(start, end, step int) starlark.Value {
	return py.NamedTupleSlice(cr, start, end, step)
}
func (cr *ConsumerRecord) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	return py.NamedTupleBinary(op, cr, y, side)
}

// Attr returns a field, or one of the namedtuple methods.
func (cr *ConsumerRecord) Attr(name string) (starlark.Value, error) {
	switch name { // the hot fields first, without a map lookup
	case "value":
		return cr.field(crValue), nil
	case "key":
		return cr.field(crKey), nil
	case "offset":
		return cr.field(crOffset), nil
	case "partition":
		return cr.field(crPartition), nil
	case "topic":
		return cr.field(crTopic), nil
	}
	if i, ok := ConsumerRecordClass.FieldIndex(name); ok {
		return cr.field(i), nil
	}
	return py.NamedTupleMethod(cr, name), nil
}

// AttrNames lists the fields and the namedtuple methods.
func (cr *ConsumerRecord) AttrNames() []string { return py.NamedTupleAttrNames(ConsumerRecordClass) }

// replace makes a _replace copy. Only the fields kept are made from the
// fetched record, when read (a pipeline's record._replace(headers=...)
// need not build the old headers).
func (cr *ConsumerRecord) Replace(values starlark.Tuple) starlark.Value {
	if cr.more != nil && cr.more.fixed != nil {
		for i, v := range values {
			if v == nil {
				values[i] = cr.more.fixed[i]
			}
		}
	}
	more := &recordValues{fixed: values}
	if cr.more != nil {
		more.key, more.value = cr.more.key, cr.more.value
	}
	return &ConsumerRecord{rec: cr.rec, more: more}
}

// ConsumerRecordClass is kafka.consumer.fetcher.ConsumerRecord: calling it
// with the 12 fields (positionally or by name) makes a record, equal to a
// fetched one with the same values.
var ConsumerRecordClass = func() *py.NamedTupleType {
	t := py.NewNamedTupleType("ConsumerRecord", consumerRecordFields)
	t.Module = "kafka.consumer.fetcher"
	t.MakeInstance = func(values starlark.Tuple) starlark.Value {
		return &ConsumerRecord{more: &recordValues{fixed: values}}
	}
	return t
}()

// CompareSameType compares two records field by field, as tuples.
func (cr *ConsumerRecord) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return py.NamedTupleCompare(op, cr, y.(*ConsumerRecord), depth)
}
