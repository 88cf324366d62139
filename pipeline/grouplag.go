package pipeline

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// GroupLag returns the number of records in all partitions of the From
// topics after the group's committed offset, whichever member holds them
// (or none does, as after a crash): the group's lag as the broker sees
// it, where Stats.Lag is this member's as of its latest fetch. A
// partition the group never committed counts from its start (from its
// end, that is not at all, with FromEnd).
func (p *Pipeline) GroupLag(ctx context.Context) (int64, error) {
	adm := kadm.NewClient(p.cl)
	ends, err := adm.ListEndOffsets(ctx, p.cfg.From...)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return 0, err
	}
	committed, err := adm.FetchOffsets(ctx, p.cfg.Group)
	if errors.Is(err, kerr.GroupIDNotFound) {
		committed, err = kadm.OffsetResponses{}, nil // no commits yet (OffsetFetch v8+)
	}
	if err == nil {
		err = committed.Error()
	}
	if err != nil {
		return 0, err
	}
	var starts kadm.ListedOffsets
	if !p.cfg.FromEnd {
		if starts, err = adm.ListStartOffsets(ctx, p.cfg.From...); err == nil {
			err = starts.Error()
		}
		if err != nil {
			return 0, err
		}
	}
	var lag int64
	ends.Each(func(end kadm.ListedOffset) {
		from := end.Offset
		if c, ok := committed.Lookup(end.Topic, end.Partition); ok && c.At >= 0 {
			from = c.At
		} else if start, ok := starts.Lookup(end.Topic, end.Partition); ok {
			from = start.Offset
		}
		lag += max(0, end.Offset-from)
	})
	return lag, nil
}
