package kafka

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestProducerTransactionMisuse(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"init without transactional_id", `KafkaProducer(bootstrap_servers=BOOT).init_transactions()`,
			"ERROR IllegalStateError: Cannot call init_transactions without setting a transactional_id."},
		{"begin without transactional_id", `KafkaProducer(bootstrap_servers=BOOT).begin_transaction()`,
			"ERROR IllegalStateError: Cannot use transactional methods without enabling transactions"},
		{"commit without transactional_id", `KafkaProducer(bootstrap_servers=BOOT).commit_transaction()`,
			"ERROR IllegalStateError: Cannot commit transaction since transactions are not enabled"},
		{"abort without transactional_id", `KafkaProducer(bootstrap_servers=BOOT).abort_transaction()`,
			"ERROR IllegalStateError: Cannot abort transaction since transactions are not enabled."},
		{"offsets without transactional_id", `KafkaProducer(bootstrap_servers=BOOT).send_offsets_to_transaction({}, 'g')`,
			"ERROR IllegalStateError: Cannot use transactional methods without enabling transactions"},
		{"send before init", `KafkaProducer(bootstrap_servers=BOOT, transactional_id='m1').send('t', b'x')`,
			"ERROR IllegalStateError: Cannot perform a 'send' before completing a call to init_transactions when transactions are enabled."},
		{"begin before init", `KafkaProducer(bootstrap_servers=BOOT, transactional_id='m2').begin_transaction()`,
			"ERROR KafkaError: TransactionalId m2: Invalid transition attempted from state UNINITIALIZED to state IN_TRANSACTION"},
		{"send outside a transaction", `p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='m3')
p.init_transactions()
p.init_transactions()
p.send('t', b'x')`, "ERROR IllegalStateError: Cannot call send in state READY"},
		{"commit outside a transaction", `p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='m4')
p.init_transactions()
p.commit_transaction()`, "ERROR KafkaError: TransactionalId m4: Invalid transition attempted from state READY to state COMMITTING_TRANSACTION"},
		{"abort outside a transaction", `p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='m5')
p.init_transactions()
p.abort_transaction()`, "ERROR KafkaError: TransactionalId m5: Invalid transition attempted from state READY to state ABORTING_TRANSACTION"},
		{"offsets outside a transaction", `p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='m6')
p.init_transactions()
p.send_offsets_to_transaction({TopicPartition('t', 0): OffsetAndMetadata(1, '')}, 'g')`,
			"ERROR KafkaError: Cannot send offsets to transaction because the producer is not in an active transaction"},
		{"begin twice", `p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='m7')
p.init_transactions()
p.begin_transaction()
p.begin_transaction()`, "ERROR KafkaError: TransactionalId m7: Invalid transition attempted from state IN_TRANSACTION to state IN_TRANSACTION"},
		{"a failed record makes the transaction abortable only", `p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='m8', max_request_size=1000000)
p.init_transactions()
p.begin_transaction()
p.send('t', b'ok')
f = p.send('t', b'x' * 1100000)
p.flush()
print(f.exception.__class__)
p.abort_transaction()
p.begin_transaction()
p.send('t', b'again').get()
p.commit_transaction()
print('recovered')`, "<class 'kafka.errors.MessageSizeTooLargeError'>\nrecovered"},
	})
}

// TestProducerTransactions checks what a read_committed reader sees: the
// committed transactions, not the aborted one; and the offsets
// send_offsets_to_transaction committed for the group.
func TestProducerTransactions(t *testing.T) {
	boot := testBootstrap(t)
	out := prodRun(t, boot, `
p = KafkaProducer(bootstrap_servers=BOOT, transactional_id='tx')
p.init_transactions()
p.partitions_for('src')  # the consumed topic must exist

p.begin_transaction()
for v in [b'c1', b'c2']:
    p.send('txt', v, partition=0)
p.send_offsets_to_transaction({TopicPartition('src', 0): OffsetAndMetadata(5, 'meta')}, 'g1')
p.commit_transaction()

p.begin_transaction()
p.send('txt', b'aborted', partition=0).get()  # written, then aborted
p.send_offsets_to_transaction({TopicPartition('src', 0): OffsetAndMetadata(50, '')}, 'g1')
p.abort_transaction()

p.begin_transaction()
p.send('txt', b'c3', partition=0).get()
p.commit_transaction()

# A transaction with offsets only.
p.begin_transaction()
p.send_offsets_to_transaction({TopicPartition('src', 1): 7}, 'g2')
p.commit_transaction()

# kstar ended that one with its own EndTxn: the producer goes on.
p.begin_transaction()
p.send('txt', b'c4', partition=0).get()
p.commit_transaction()
print('done')
`)
	if out != "done\n" {
		t.Fatal(out)
	}
	var committed []string
	for _, r := range prodConsumeAll(t, boot, "txt", 4, kgo.FetchIsolationLevel(kgo.ReadCommitted())) {
		committed = append(committed, string(r.Value))
	}
	if strings.Join(committed, " ") != "c1 c2 c3 c4" {
		t.Errorf("read_committed read %v, want c1 c2 c3 c4", committed)
	}
	var all []string
	for _, r := range prodConsumeAll(t, boot, "txt", 5) {
		all = append(all, string(r.Value))
	}
	sort.Strings(all)
	if strings.Join(all, " ") != "aborted c1 c2 c3 c4" {
		t.Errorf("read_uncommitted read %v, want every record", all)
	}
	if got := prodGroupCommit(t, boot, "g1", "src", 0); got != "5|meta" {
		t.Errorf("group g1 committed %s, want 5|meta", got)
	}
	if got := prodGroupCommit(t, boot, "g2", "src", 1); got != "7|" {
		t.Errorf("group g2 committed %q, want 7|", got)
	}
}

// prodGroupCommit returns "offset|metadata" of a group's commit.
func prodGroupCommit(t *testing.T, boot, group, topic string, partition int32) string {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Group = group
	rt := kmsg.NewOffsetFetchRequestTopic()
	rt.Topic, rt.Partitions = topic, []int32{partition}
	req.Topics = append(req.Topics, rt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Request(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	topics := resp.(*kmsg.OffsetFetchResponse).Topics
	if len(topics) == 0 || len(topics[0].Partitions) == 0 {
		return "none"
	}
	p := topics[0].Partitions[0] // the one partition asked for
	md := ""
	if p.Metadata != nil {
		md = *p.Metadata
	}
	return fmt.Sprintf("%d|%s", p.Offset, md)
}

// TestRetryConcurrentTransactions checks the retry of requests Apache
// Kafka's coordinator answers with CONCURRENT_TRANSACTIONS right after a
// transaction ended (kfake never does, so the scripts above only hit it on
// a real broker): retried until another answer, given up when the context
// ends, other errors returned at once.
func TestRetryConcurrentTransactions(t *testing.T) {
	t.Parallel()
	calls := 0
	err := retryConcurrentTransactions(context.Background(), func() error {
		calls++
		if calls < 3 {
			return kerr.ConcurrentTransactions
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("after two CONCURRENT_TRANSACTIONS: err %v after %d calls, want nil after 3", err, calls)
	}

	calls = 0
	err = retryConcurrentTransactions(context.Background(), func() error {
		calls++
		return kerr.ProducerFenced
	})
	if !errors.Is(err, kerr.ProducerFenced) || calls != 1 {
		t.Errorf("other error: %v after %d calls, want PRODUCER_FENCED after 1", err, calls)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = retryConcurrentTransactions(ctx, func() error { return kerr.ConcurrentTransactions })
	if !errors.Is(err, kerr.ConcurrentTransactions) {
		t.Errorf("context ended: %v, want the last CONCURRENT_TRANSACTIONS", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("context ended after 100 ms, but the retry returned after %v", d)
	}
}
