package pipeline

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/runtime"
)

// maxRetryBackoff caps the wait between two tries of a failing transform.
const maxRetryBackoff = 10 * time.Second

// The headers DeadLetterRecord adds to a record whose transform failed.
const (
	// HeaderError is the error in one line: "transform.star:3:
	// ValueError: bad input".
	HeaderError = "kstar.error"
	// HeaderErrorType is a script error's exception name: "ValueError".
	HeaderErrorType = "kstar.error.type"
	// HeaderErrorTraceback is a script error's traceback, as CPython
	// prints it.
	HeaderErrorTraceback = "kstar.error.traceback"
	// HeaderSourceTopic, HeaderSourcePartition and HeaderSourceOffset
	// say where the record was consumed (partition and offset in
	// decimal).
	HeaderSourceTopic     = "kstar.source.topic"
	HeaderSourcePartition = "kstar.source.partition"
	HeaderSourceOffset    = "kstar.source.offset"
)

// DeadLetterRecord is what Config.DeadLetter receives for a consumed
// record rec whose transform failed with err: rec's key, value, timestamp
// and headers, plus HeaderError, HeaderErrorType and HeaderErrorTraceback
// (the last two for a script's error only) and the HeaderSource* headers.
// Its partition is chosen by its key.
func DeadLetterRecord(topic string, rec *kgo.Record, err error) *kgo.Record {
	headers := append(slices.Clip(rec.Headers), kgo.RecordHeader{Key: HeaderError, Value: []byte(err.Error())})
	var se *runtime.ScriptError
	if errors.As(err, &se) {
		headers = append(headers,
			kgo.RecordHeader{Key: HeaderErrorType, Value: []byte(se.Name())},
			kgo.RecordHeader{Key: HeaderErrorTraceback, Value: []byte(se.Traceback())})
	}
	headers = append(headers,
		kgo.RecordHeader{Key: HeaderSourceTopic, Value: []byte(rec.Topic)},
		kgo.RecordHeader{Key: HeaderSourcePartition, Value: strconv.AppendInt(nil, int64(rec.Partition), 10)},
		kgo.RecordHeader{Key: HeaderSourceOffset, Value: strconv.AppendInt(nil, rec.Offset, 10)})
	return &kgo.Record{Topic: topic, Key: rec.Key, Value: rec.Value, Headers: headers, Timestamp: rec.Timestamp, Partition: runtime.AnyPartition}
}

// transformUnit transforms one unit of work (a record, or a Batch call's
// records) and applies the error policy when that fails: Retries, then
// DeadLetter or OnError, or else it returns the error.
func (p *Pipeline) transformUnit(ctx context.Context, part []*kgo.Record) ([]*kgo.Record, error) {
	backoff := p.cfg.RetryBackoff
	for try := 0; ; try++ {
		var out []*kgo.Record
		var err error
		if p.cfg.Batch != nil {
			out, err = p.cfg.Batch(ctx, part)
		} else {
			out, err = p.cfg.Transform(ctx, part[0])
		}
		if err == nil {
			if len(out) == 0 && p.cfg.Batch == nil {
				p.stats.dropped.Add(1)
			}
			return out, nil
		}
		if ctx.Err() != nil {
			// The run is ending (or another unit failed): the error may
			// be the cancellation's, and the policy is moot.
			return nil, err
		}
		if p.cfg.Retries == -1 || try < p.cfg.Retries {
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return nil, err
			}
			backoff = min(2*backoff, maxRetryBackoff)
			p.stats.retried.Add(1)
			continue
		}
		switch {
		case p.cfg.DeadLetter != "":
			out = make([]*kgo.Record, len(part))
			for i, r := range part {
				out[i] = DeadLetterRecord(p.cfg.DeadLetter, r, err)
			}
		case p.cfg.OnError != nil:
			if err := p.cfg.OnError(ctx, part, err); err != nil {
				return nil, err
			}
			out = nil
		default:
			return nil, err
		}
		p.stats.skipped.Add(int64(len(part)))
		return out, nil
	}
}
