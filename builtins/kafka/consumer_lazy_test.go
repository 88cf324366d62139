package kafka

import (
	"context"
	"testing"
	"time"
)

// enumerate, zip, map, filter, any, all, next and iter take records from a
// consumer only as they are needed: they work over an endless consumer (no
// consumer_timeout_ms), and a loop that breaks leaves the position right
// after the last record it saw, so what a group commits skips nothing.
func TestConsumerLazyBuiltins(t *testing.T) {
	t.Parallel()
	boot := consBroker(t)
	produceValues(t, boot, "lz", 0, 10, "v")
	// Without the fix the first loop never ends: the deadline turns that
	// into a failure instead of a hung test.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := newConsScript(boot)
	err := r.exec(ctx, `
tp = TopicPartition('lz', 0)
c = KafkaConsumer(group_id='lz-g', auto_offset_reset='earliest', enable_auto_commit=False)
c.assign([tp])
for i, m in enumerate(c):
    print(i, m.value)
    if i == 1:
        break
print('enumerate', c.position(tp))
c.commit()
again = KafkaConsumer(group_id='lz-g', enable_auto_commit=False)
again.assign([tp])
print('after commit', next(again).value)
again.close()

for n, m in enumerate(c, start=10):
    if n == 11:
        break
print('enumerate start=10', n, m.value, c.position(tp))
print('next(enumerate)', next(enumerate(c, 5))[0], c.position(tp))
print('zip', [(i, m.offset) for i, m in zip(range(2), c)], c.position(tp))
c.seek(tp, 0)
print('any', any(map(lambda m: m.offset == 1, c)), c.position(tp))
print('all', all(map(lambda m: m.offset < 3, c)), c.position(tp))
print('any filter', any(filter(lambda m: m.value == b'v5', c)), c.position(tp))
print('next iter', next(iter(c)).offset, c.position(tp))
# As in Python, zip takes a third record before it finds 'ab' exhausted.
first, second = zip(c, 'ab')
print('unpack', first[0].offset, second[0].offset, c.position(tp))
`, nil)
	if err != nil {
		t.Fatalf("%v\noutput:\n%s", err, r.out.String())
	}
	want := `0 b'v0'
1 b'v1'
enumerate 2
after commit b'v2'
enumerate start=10 11 b'v3' 4
next(enumerate) 5 5
zip [(0, 5), (1, 6)] 7
any True 2
all False 4
any filter True 6
next iter 6 7
unpack 7 8 10
`
	if got := consNormalise(r.out.String()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
