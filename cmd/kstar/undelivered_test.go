package main

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// A script whose records were not delivered, without it learning so (no
// get(), errback or look at the future), exits 1 with a line saying how
// many and why; one that checked its futures decides itself. The brokers
// are kfake ones that refuse every record (INVALID_RECORD) or never answer
// a Produce request (so delivery_timeout_ms expires).
func TestUndeliveredRecordsExit1(t *testing.T) {
	refusing, silent := produceFailingBroker(t, true), produceFailingBroker(t, false)
	const (
		lost    = `^kstar: KafkaProducer kafka-python-producer-1: 1 record\(s\) could not be delivered, and the script did not check their futures \(the last error: `
		refused = lost + `InvalidRecordError: .*record has failed the validation on.* broker.*\)\n$`
		expired = lost + `KafkaTimeoutError: Expiring record for t-0: 1000 ms has passed since it was sent \(delivery_timeout_ms\)\)\n$`
	)
	for _, tc := range []struct {
		name, broker, script string
		wantOut              string
		wantErr              string // regexp
		wantCode             int
	}{
		{"pending at the end, refused", refusing, `p.send('t', b'lost')`, "", refused, 1},
		{"pending at the end, never acknowledged", silent, `p.send('t', b'lost')`, "", expired, 1},
		{"flushed, never checked", refusing, "p.send('t', b'lost')\np.flush()\nprint('flushed')", "flushed\n", refused, 1},
		{"closed, never checked", refusing, "p.send('t', b'lost')\np.close()", "", refused, 1},
		{"sys.exit(0)", refusing, "p.send('t', b'lost')\nimport sys\nsys.exit(0)", "", refused, 1},
		{"only a success callback", refusing, "p.send('t', b'lost').add_callback(print)", "", refused, 1},
		{"get() in try", refusing, "try:\n    p.send('t', b'lost').get()\nexcept Exception as e:\n    print('failed:', type(e).__name__)",
			"failed: InvalidRecordError\n", "^$", 0},
		{"errback", refusing, "p.send('t', b'lost').add_errback(lambda e: print('errback:', type(e).__name__))",
			"errback: InvalidRecordError\n", "^$", 0},
		{"failed()", silent, "f = p.send('t', b'lost')\np.flush()\nprint(f.failed())", "True\n", "^$", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "send.star")
			writeFile(t, script, "from kafka import KafkaProducer\n"+
				"p = KafkaProducer(bootstrap_servers='"+tc.broker+"', delivery_timeout_ms=1000, request_timeout_ms=500)\n"+tc.script+"\n")
			stdout, stderr, code := runKstar(t, "", script)
			if code != tc.wantCode || stdout != tc.wantOut || !regexp.MustCompile(tc.wantErr).MatchString(stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", code, stdout, stderr, tc.wantCode, tc.wantOut, tc.wantErr)
			}
		})
	}
}

// produceFailingBroker starts a kfake broker (one partition per topic)
// that answers every Produce request with INVALID_RECORD when refuse is
// set, and otherwise never answers one.
func produceFailingBroker(t *testing.T, refuse bool) string {
	b := testbroker.Embedded(t, broker.Config{Partitions: 1})
	c := b.Cluster()
	c.ControlKey(int16(kmsg.Produce), func(r kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if !refuse {
			return nil, nil, true
		}
		req := r.(*kmsg.ProduceRequest)
		resp := req.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range req.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic, st.TopicID = rt.Topic, rt.TopicID
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = kerr.InvalidRecord.Code
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
	return b.Bootstrap()
}
