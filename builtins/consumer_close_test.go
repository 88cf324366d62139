package builtins

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
)

// A script that ends with three consumers of one group still open closes
// them together at its end: each commits what it consumed, and all three
// leave the group at once. One by one, closing waited for a rebalance
// that a consumer not yet closed held up (a member that stopped polling
// when the others joined, whose revocation waits for the script's
// thread): about 30 s each, then CommitFailedError.
func TestConsumersCloseTogether(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	for p := range int32(3) {
		produceValues(t, boot, "together", p, 2, fmt.Sprintf("p%d-", p))
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(boot, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	admin := kadm.NewClient(cl)

	// Each script prints how many records its consumers read. A session
	// of 30 s: a close that waits out the rebalance takes that long.
	const member = `
def member():
    return KafkaConsumer('together', group_id=GROUP, auto_offset_reset='earliest',
                         session_timeout_ms=30000, max_poll_interval_ms=60000)

def read(consumer, timeout_ms):
    return sum([len(batch) for batch in consumer.poll(timeout_ms=timeout_ms).values()])
`
	for i, tc := range []struct{ name, src string }{
		{"the others join after the first read everything", member + `
first = member()
got = 0
for _ in range(100):
    got += read(first, 100)
    if got == 6:
        break
others = [member(), member()]
for c in others:
    got += read(c, 500)
print(got)
`},
		{"all join at once", member + `
consumers = [member(), member(), member()]
print(sum([read(c, 1000) for c in consumers]))
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			group := "together-" + strconv.Itoa(i)
			r := newConsScript(boot)
			r.extra = starlark.StringDict{"GROUP": starlark.String(group)}
			_, err := starlark.ExecFileOptions(scriptFileOptions, r.thread, "test.star", tc.src, r.predeclared())
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = r.kafka.Shutdown(r.thread, 30*time.Second)
			elapsed := time.Since(start)
			if err != nil {
				t.Errorf("closing at the end: %v", err)
			}
			if elapsed > 10*time.Second {
				t.Errorf("closing at the end took %v: it waited for the rebalance", elapsed)
			}
			read, err := strconv.Atoi(strings.TrimSpace(r.out.String()))
			if err != nil {
				t.Fatalf("the script printed %q", r.out.String())
			}

			// Every member left: nobody waits for their session to expire.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			groups, err := admin.DescribeGroups(ctx, group)
			if err != nil {
				t.Fatal(err)
			}
			if g := groups[group]; g.State != "Empty" || len(g.Members) != 0 {
				t.Errorf("after the script the group is %s with %d members, want Empty with none", g.State, len(g.Members))
			}

			// The next consumer of the group reads only what the script's
			// did not: what they read was committed.
			out := runConsumerWith(t, boot, starlark.StringDict{"GROUP": starlark.String(group)}, `
c = KafkaConsumer('together', group_id=GROUP, auto_offset_reset='earliest', enable_auto_commit=False)
again = 0
for _ in range(100):
    again += sum([len(b) for b in c.poll(timeout_ms=100).values()])
    if c.assignment() and sum([c.position(tp) for tp in c.assignment()]) == 6:
        break
print(again, sorted([(tp.partition, c.position(tp)) for tp in c.assignment()]))
`)
			want := fmt.Sprintf("%d [(0, 2), (1, 2), (2, 2)]\n", 6-read)
			if out != want {
				t.Errorf("the script's consumers read %d records; then the next consumer printed\n%swant\n%s", read, out, want)
			}
		})
	}
}
