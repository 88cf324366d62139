package kafka

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

func (c *KafkaConsumer) pyPoll(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout pollTimeout
	var maxRecs maxRecords
	updateOffsets := true
	if err := py.UnpackTypedArgs(b.Name(), args, kwargs, "timeout_ms?", &timeout, "max_records?", &maxRecs, "update_offsets?", &updateOffsets); err != nil {
		return nil, err
	}
	max := maxRecs.or(c.set.maxPollRecords)
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout.d)
	out := starlark.NewDict(4)
	for attempt := 0; ; attempt++ {
		n, err := c.drain(thread, out, max, updateOffsets)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return out, nil
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			if attempt > 0 {
				return out, nil
			}
			wait = 0
		}
		if err := c.fill(thread, wait); err != nil {
			return nil, err
		}
		if c.closed {
			return out, nil
		}
	}
}

// drain moves up to max buffered records into out, keyed by
// TopicPartition. If a deserializer fails, no position moves.
func (c *KafkaConsumer) drain(thread *starlark.Thread, out *starlark.Dict, max int, update bool) (int, error) {
	if err := c.safePoint(thread); err != nil {
		return 0, err
	}
	lists := map[*partState]*starlark.List{}
	first := map[*partState]int64{}
	n := 0
	for n < max {
		r, ps := c.take(update)
		if r == nil {
			break
		}
		if _, ok := first[ps]; !ok {
			first[ps] = r.Offset
		}
		rec, err := c.makeRecord(thread, r)
		if err != nil {
			for p, o := range first {
				p.position = o
			}
			c.discardBuffer()
			return 0, err
		}
		l := lists[ps]
		if l == nil {
			l = starlark.NewList(nil)
			lists[ps] = l
			if err := out.SetKey(ps.tp.value(), l); err != nil {
				return 0, err
			}
		}
		_ = l.Append(rec)
		n++
	}
	return n, nil
}
