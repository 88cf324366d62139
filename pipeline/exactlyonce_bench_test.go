package pipeline_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/pipeline"
)

// BenchmarkExactlyOnce moves b.N records through benchScript's process
// at least once, then b.N more exactly once, in rounds of 1,000 records,
// on the in-process broker (8 partitions), and reports the records/s of
// each and their ratio: one after the other, so that both see the same
// load on the machine.
//
//	go test ./pipeline -run '^$' -bench ExactlyOnce -benchtime 200000x -count 5
func BenchmarkExactlyOnce(b *testing.B) {
	b.StopTimer()
	br, err := broker.Start(broker.Config{Partitions: 8})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	script := benchLoad(b)
	rate := map[bool]float64{} // records/s, by exactly once
	for _, exactlyOnce := range []bool{false, true} {
		name := fmt.Sprintf("eos-bench-%v-%d", exactlyOnce, time.Now().UnixNano())
		fill(b, br.Addrs(), name+"-in", b.N)
		p, err := pipeline.New(pipeline.Config{Brokers: br.Addrs(), From: []string{name + "-in"}, To: name + "-out", Group: name,
			Transform: pipeline.Script(script, "process"), MaxPollRecords: 1000, ExactlyOnce: exactlyOnce, InstanceID: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.StartTimer()
		err = runUntil(b, p, 10*time.Minute, func(s pipeline.Stats) bool { return s.Committed >= int64(b.N) })
		b.StopTimer()
		rate[exactlyOnce] = float64(b.N) / time.Since(start).Seconds()
		if st := p.Stats(); err == nil && st.Produced != int64(b.N) {
			err = fmt.Errorf("produced %d of %d", st.Produced, b.N)
		}
		p.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(rate[false], "at-least-once-records/s")
	b.ReportMetric(rate[true], "exactly-once-records/s")
	b.ReportMetric(rate[true]/rate[false], "ratio")
	b.ReportMetric(0, "ns/op") // each op is two records, one per mode
}
