package pipeline_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/testbroker"
	"github.com/kstar-dev/kstar/pipeline"
)

// stateScript deduplicates records by key in a global dict. The first
// try of the record whose value is 3 fails after the dict has changed,
// and the pipeline retries it: naive remembers just the key, so the
// retry takes the record for a duplicate; by_offset remembers where the
// key was first seen, so the retry of that record passes again.
const stateScript = `
seen = {}
failed = False

def fail_once(record):
    global failed
    if record.value == b"3" and not failed:
        failed = True
        raise ValueError("a transient failure")

def naive(record):
    if record.key in seen:
        return None
    seen[record.key] = True
    fail_once(record)
    return record._replace(value=record.key)

def by_offset(record):
    at = (record.partition, record.offset)
    if seen.setdefault(record.key, at) != at:
        return None
    fail_once(record)
    return record._replace(value=record.key)
`

// TestScriptStateAcrossRetries runs a process function that keeps a
// dedupe dict in its globals through a pipeline that retries a failed
// call: the state the failed try changed is not rolled back.
func TestScriptStateAcrossRetries(t *testing.T) {
	for _, tc := range []struct {
		function string
		want     string // the output's values, sorted
	}{
		{"naive", "k0 k1 k2 k4"}, // k3 lost: its retry found it seen
		{"by_offset", "k0 k1 k2 k3 k4"},
	} {
		t.Run(tc.function, func(t *testing.T) {
			brokers := strings.Split(testbroker.Bootstrap(t), ",")
			src, dst, group := testbroker.UniqueName(t, "in"), testbroker.UniqueName(t, "out"), testbroker.UniqueName(t, "g")
			cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.AllowAutoTopicCreation(), kgo.MetadataMinAge(100*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var recs []*kgo.Record
			for i := range 20 {
				recs = append(recs, &kgo.Record{Topic: src, Key: []byte("k" + strconv.Itoa(i%5)), Value: []byte(strconv.Itoa(i))})
			}
			if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				t.Fatal(err)
			}
			p, err := pipeline.New(pipeline.Config{Brokers: brokers, From: []string{src}, To: dst, Group: group,
				Transform: pipeline.Script(newScript(t, stateScript), tc.function), Retries: 1, RetryBackoff: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := runUntil(t, p, time.Minute, func(s pipeline.Stats) bool { return s.Committed >= 20 }); err != nil {
				t.Fatal(err)
			}
			st := p.Stats()
			var got []string
			for _, r := range values(drain(t, brokers, dst, int(st.Produced), 10*time.Second)) {
				got = append(got, strings.TrimPrefix(r, dst+":"))
			}
			if strings.Join(got, " ") != tc.want || st.Retried != 1 {
				t.Errorf("output %v after %d retries; want %s after 1", got, st.Retried, tc.want)
			}
		})
	}
}
