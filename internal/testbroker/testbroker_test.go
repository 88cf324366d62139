package testbroker_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

func client(t *testing.T, bootstrap string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(strings.Split(bootstrap, ",")...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// state lists the cluster's non-internal topics and its groups.
func state(t *testing.T, bootstrap string) (topics, groups []string) {
	t.Helper()
	cl := client(t, bootstrap)
	ctx := ctxFor(t, 10*time.Second)
	meta, err := kmsg.NewPtrMetadataRequest().RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range meta.Topics {
		if !strings.HasPrefix(*tp.Topic, "__") {
			topics = append(topics, *tp.Topic)
		}
	}
	for _, shard := range cl.RequestSharded(ctx, kmsg.NewPtrListGroupsRequest()) {
		if shard.Err != nil {
			t.Fatal(shard.Err)
		}
		for _, g := range shard.Resp.(*kmsg.ListGroupsResponse).Groups {
			groups = append(groups, g.Group)
		}
	}
	slices.Sort(topics)
	slices.Sort(groups)
	return topics, groups
}

// fill creates topics "test" and "my_topic" and a group "my-group" with a
// committed offset, as a tutorial script would.
func fill(t *testing.T, bootstrap string) {
	t.Helper()
	ctx := ctxFor(t, 30*time.Second)
	p := client(t, bootstrap, kgo.AllowAutoTopicCreation())
	for _, topic := range []string{"test", "my_topic"} {
		if err := p.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte("v")}).FirstErr(); err != nil {
			t.Fatalf("producing to %s: %v", topic, err)
		}
	}
	c := client(t, bootstrap, kgo.ConsumerGroup("my-group"), kgo.ConsumeTopics("test"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	if f := c.PollFetches(ctx); f.NumRecords() != 1 {
		t.Fatalf("consumed %d records (errors %v), want 1", f.NumRecords(), f.Errors())
	}
	if err := c.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatal(err)
	}
	c.Close() // leave the group, so that it can be deleted
}

// TestWipe checks that Wipe empties a kfake cluster and, when
// KSTAR_TEST_BROKERS is set, the real one (through Isolated).
func TestWipe(t *testing.T) {
	targets := map[string]func(t *testing.T) string{
		"kfake": func(t *testing.T) string { return testbroker.Embedded(t, broker.Config{}).Bootstrap() },
	}
	if testbroker.Real() {
		targets["real"] = func(t *testing.T) string { return testbroker.Isolated(t) }
	}
	for name, target := range targets {
		t.Run(name, func(t *testing.T) {
			bootstrap := target(t)
			fill(t, bootstrap)
			topics, groups := state(t, bootstrap)
			if !slices.Equal(topics, []string{"my_topic", "test"}) || !slices.Equal(groups, []string{"my-group"}) {
				t.Fatalf("before Wipe: topics %v, groups %v; want [my_topic test], [my-group]", topics, groups)
			}
			if err := testbroker.Wipe(ctxFor(t, 30*time.Second), bootstrap); err != nil {
				t.Fatal(err)
			}
			if topics, groups := state(t, bootstrap); len(topics)+len(groups) > 0 {
				t.Fatalf("after Wipe: topics %v, groups %v; want none", topics, groups)
			}
			// The names are free again: a script may reuse them at once.
			fill(t, bootstrap)
		})
	}
}

// TestWipeGivesUp checks that Wipe reports a group whose member never
// leaves instead of waiting forever.
func TestWipeGivesUp(t *testing.T) {
	bootstrap := testbroker.Embedded(t, broker.Config{}).Bootstrap()
	ctx := ctxFor(t, 10*time.Second)
	p := client(t, bootstrap, kgo.AllowAutoTopicCreation())
	if err := p.ProduceSync(ctx, &kgo.Record{Topic: "t", Value: []byte("v")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	c := client(t, bootstrap, kgo.ConsumerGroup("stays"), kgo.ConsumeTopics("t"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	c.PollFetches(ctx)
	wctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err := testbroker.Wipe(wctx, bootstrap)
	if err == nil || !strings.Contains(err.Error(), "stays") {
		t.Fatalf("Wipe = %v, want an error naming group stays", err)
	}
}

// TestUniqueName checks that names are distinct and valid Kafka topic
// names even for test names with spaces and slashes.
func TestUniqueName(t *testing.T) {
	t.Run("a name with spaces/and_more", func(t *testing.T) {
		a, b := testbroker.UniqueName(t, "topic"), testbroker.UniqueName(t, "topic")
		if a == b {
			t.Fatalf("UniqueName gave %q twice", a)
		}
		if !strings.HasPrefix(a, "topic-TestUniqueName-a-name-with-spaces-and-more-") {
			t.Errorf("UniqueName = %q", a)
		}
		bootstrap := testbroker.Bootstrap(t)
		cl := client(t, bootstrap)
		req := kmsg.NewPtrCreateTopicsRequest()
		rt := kmsg.NewCreateTopicsRequestTopic()
		rt.Topic, rt.NumPartitions, rt.ReplicationFactor = a, 1, 1
		req.Topics = append(req.Topics, rt)
		req.TimeoutMillis = 10000
		resp, err := req.RequestWith(ctxFor(t, 10*time.Second), cl)
		if err != nil {
			t.Fatal(err)
		}
		if err := kerr.ErrorForCode(resp.Topics[0].ErrorCode); err != nil {
			t.Fatalf("creating topic %q: %v", a, err)
		}
	})
}

// TestProduceConsume runs what kstar relies on against whichever broker the
// suite uses: auto-created topics get 3 partitions, keyed records keep
// their partition, a group commits and a new member resumes after the
// commit.
func TestProduceConsume(t *testing.T) {
	t.Parallel()
	bootstrap := testbroker.Bootstrap(t)
	topic, group := testbroker.UniqueName(t, "t"), testbroker.UniqueName(t, "g")
	ctx := ctxFor(t, 30*time.Second)
	p := client(t, bootstrap, kgo.AllowAutoTopicCreation(), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	var parts = map[string]int32{}
	for i, key := range []string{"a", "b", "c", "a", "b", "c"} {
		r := &kgo.Record{Topic: topic, Key: []byte(key), Value: []byte{byte('0' + i)}}
		if err := p.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
		if old, ok := parts[key]; ok && old != r.Partition {
			t.Errorf("key %s went to partitions %d and %d", key, old, r.Partition)
		}
		parts[key] = r.Partition
	}
	meta := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr(topic)
	meta.Topics = append(meta.Topics, mt)
	mresp, err := meta.RequestWith(ctx, client(t, bootstrap))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(mresp.Topics[0].Partitions); n != 3 {
		t.Errorf("auto-created topic has %d partitions, want 3", n)
	}

	consume := func(want int) []string {
		c := client(t, bootstrap, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic),
			kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(),
			kgo.Balancers(kgo.RangeBalancer()),
			// kafka-python's fetch_max_wait_ms; kgo's 5 s default makes a
			// fetch that started before all offsets were loaded hold the
			// new member's first records for 5 s (on both brokers).
			kgo.FetchMaxWait(500*time.Millisecond))
		defer c.Close()
		var got []string
		for len(got) < want {
			f := c.PollFetches(ctx)
			if err := ctx.Err(); err != nil {
				t.Fatalf("got %v, want %d records: %v", got, want, err)
			}
			f.EachRecord(func(r *kgo.Record) { got = append(got, string(r.Key)+string(r.Value)) })
		}
		if err := c.CommitUncommittedOffsets(ctx); err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := consume(6)
	slices.Sort(got)
	if want := []string{"a0", "a3", "b1", "b4", "c2", "c5"}; !slices.Equal(got, want) {
		t.Fatalf("consumed %v, want %v", got, want)
	}
	if err := p.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: []byte("d"), Value: []byte("6")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if got := consume(1); !slices.Equal(got, []string{"d6"}) {
		t.Fatalf("after the commit a new member got %v, want [d6]", got)
	}
}

// TestSASL logs in with both users of the SASL listener and checks that a
// wrong password is refused: Apache Kafka answers SASL_AUTHENTICATION_FAILED,
// kfake just closes the connection.
func TestSASL(t *testing.T) {
	t.Parallel()
	sb := testbroker.SASL(t)
	ok := map[string]sasl.Mechanism{
		"PLAIN":         plain.Auth{User: sb.PlainUser, Pass: sb.PlainPassword}.AsMechanism(),
		"SCRAM-SHA-256": scram.Auth{User: sb.ScramUser, Pass: sb.ScramPassword}.AsSha256Mechanism(),
	}
	for name, m := range ok {
		if err := client(t, sb.Bootstrap, kgo.SASL(m)).Ping(ctxFor(t, 10*time.Second)); err != nil {
			t.Errorf("%s login: %v", name, err)
		}
	}
	bad := client(t, sb.Bootstrap, kgo.SASL(scram.Auth{User: sb.ScramUser, Pass: "wrong"}.AsSha256Mechanism()))
	err := bad.Ping(ctxFor(t, 10*time.Second))
	switch {
	case err == nil:
		t.Error("a wrong SCRAM password was accepted")
	case testbroker.Real() && !errors.Is(err, kerr.SaslAuthenticationFailed):
		t.Errorf("wrong password on Kafka: %v, want SASL_AUTHENTICATION_FAILED", err)
	}
	if err := client(t, sb.Bootstrap).Ping(ctxFor(t, 5*time.Second)); err == nil {
		t.Error("a client without SASL was accepted")
	}
}
