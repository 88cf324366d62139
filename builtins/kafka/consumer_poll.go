package kafka

import (
	"math"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

func (c *KafkaConsumer) pyPoll(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeoutMs, maxRecords starlark.Value = starlark.MakeInt(0), starlark.None
	updateOffsets := true
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout_ms?", &timeoutMs, "max_records?", &maxRecords, "update_offsets?", &updateOffsets); err != nil {
		return nil, err
	}
	var timeout time.Duration
	switch t := timeoutMs.(type) {
	case starlark.Int:
		ms, _ := t.Int64()
		timeout = time.Duration(ms) * time.Millisecond
	case starlark.Float:
		timeout = time.Duration(float64(t) * float64(time.Millisecond))
	default:
		return nil, py.Errorf(py.TypeError, "timeout_ms must be an int, not %s", py.TypeName(timeoutMs))
	}
	if timeout < 0 {
		return nil, py.NewException(py.ValueError, "Timeout must not be negative")
	}
	max := c.set.maxPollRecords
	if maxRecords != starlark.None {
		n, ok := maxRecords.(starlark.Int)
		if !ok {
			return nil, py.NewException(py.TypeError, "max_records must be an integer")
		}
		m, fits := n.Int64()
		if !fits && n.Sign() > 0 {
			return nil, py.Errorf(py.ValueError, "max_records must be at most %d", int64(math.MaxInt64))
		}
		if m <= 0 {
			return nil, py.NewException(py.ValueError, "max_records must be positive")
		}
		max = int(min(m, 1<<30))
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
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
