package pipeline_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/pipeline"
)

// BenchmarkExactlyOnce moves b.N records through benchScript's process
// at least once and exactly once, in rounds of 1,000 records, on the
// in-process broker, and reports records/s of each:
//
//	go test ./pipeline -run '^$' -bench ExactlyOnce -benchtime 200000x
func BenchmarkExactlyOnce(b *testing.B) {
	br, err := broker.Start(broker.Config{Partitions: 8})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	script := benchLoad(b)
	round := 0
	for _, mode := range []string{"at-least-once", "exactly-once"} {
		b.Run(mode, func(b *testing.B) {
			round++
			src, dst := fmt.Sprintf("eos-in-%d", round), fmt.Sprintf("eos-out-%d", round)
			fill(b, br.Addrs(), src, b.N)
			p, err := pipeline.New(pipeline.Config{Brokers: br.Addrs(), From: []string{src}, To: dst, Group: fmt.Sprintf("eos-%d", round),
				Transform: pipeline.Script(script, "process"), MaxPollRecords: 1000, ExactlyOnce: mode == "exactly-once", InstanceID: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			b.ResetTimer()
			start := time.Now()
			if err := runUntil(b, p, 10*time.Minute, func(s pipeline.Stats) bool { return s.Committed >= int64(b.N) }); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "records/s")
			if st := p.Stats(); st.Produced != int64(b.N) {
				b.Fatalf("produced %d of %d", st.Produced, b.N)
			}
		})
	}
}
