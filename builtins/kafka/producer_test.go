package kafka

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// normaliseOutput replaces what changes between runs (timestamps,
// addresses, ports) as the golden tests do.
func normaliseOutput(s string) string {
	s = regexp.MustCompile(`\b1[5-9]\d{11}\b`).ReplaceAllString(s, "<TS>")
	s = regexp.MustCompile(`0x[0-9a-f]{6,}`).ReplaceAllString(s, "0x<ADDR>")
	return regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(s, "127.0.0.1:<PORT>")
}

// prodCase is a script and what it prints (normalised), the error line
// last when it fails.
type prodCase struct {
	name, src, want string
}

func prodRunCases(t *testing.T, boot string, cases []prodCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := normaliseOutput(prodRun(t, boot, c.src))
			match := strings.TrimSpace(got) == strings.TrimSpace(c.want)
			if prefix, _, ok := strings.Cut(strings.TrimSpace(c.want), "<any>"); ok {
				// <any> ends the expected text: the rest varies.
				match = strings.HasPrefix(strings.TrimSpace(got), prefix)
			}
			if !match {
				t.Errorf("script:\n%s\n--- got ---\n%s\n--- want ---\n%s", c.src, got, c.want)
			}
		})
	}
}

func TestProducerSendAndMetadata(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"keyed record and RecordMetadata repr", `
p = KafkaProducer(bootstrap_servers=BOOT)
md = p.send('t3', b'hello', key=b'k1', headers=[('h', b'v')]).get(timeout=10)
print(md)
print(md.topic, md.partition, md.offset, md.topic_partition == TopicPartition('t3', 2))
topic, partition, tp, offset, ts, lso, checksum, ks, vs, hs = md
print(ks, vs, hs, md[3], len(md))
print(md == md, {md: 1}[md])
`, `
RecordMetadata(topic='t3', partition=2, topic_partition=TopicPartition(topic='t3', partition=2), offset=0, timestamp=<TS>, log_start_offset=0, checksum=None, serialized_key_size=2, serialized_value_size=5, serialized_header_size=2)
t3 2 0 True
2 5 2 0 10
True 1
`},
		{"str values are UTF-8, tombstones and empty values", `
p = KafkaProducer(bootstrap_servers=BOOT)
print(p.send('t', 'héllo', partition=0).get())
print(p.send('t', key=b'k', partition=0).get())
print(p.send('t', b'', partition=0, timestamp_ms=1000).get())
`, `
RecordMetadata(topic='t', partition=0, topic_partition=TopicPartition(topic='t', partition=0), offset=0, timestamp=<TS>, log_start_offset=0, checksum=None, serialized_key_size=-1, serialized_value_size=6, serialized_header_size=-1)
RecordMetadata(topic='t', partition=0, topic_partition=TopicPartition(topic='t', partition=0), offset=1, timestamp=<TS>, log_start_offset=0, checksum=None, serialized_key_size=1, serialized_value_size=-1, serialized_header_size=-1)
RecordMetadata(topic='t', partition=0, topic_partition=TopicPartition(topic='t', partition=0), offset=2, timestamp=1000, log_start_offset=0, checksum=None, serialized_key_size=-1, serialized_value_size=0, serialized_header_size=-1)
`},
		{"future attributes and repr", `
p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('t', b'x')
print(f)
print(type(f), dir(f))
md = f.get()
print(f.is_done, f.value == md, f.exception, f.succeeded(), f.failed(), f.retriable(), f.error_on_callbacks)
`, `
<kafka.producer.future.FutureRecordMetadata object at 0x<ADDR>>
<class 'kafka.producer.future.FutureRecordMetadata'> ['add_both', 'add_callback', 'add_errback', 'chain', 'error_on_callbacks', 'exception', 'failed', 'failure', 'get', 'is_done', 'retriable', 'succeeded', 'success', 'value']
True True None True False False False
`},
		{"acks=0 has no offset", `
p = KafkaProducer(bootstrap_servers=BOOT, acks=0)
print(p.send('t', b'x', partition=1).get(timeout=10))
print(p.config['acks'], p.config['enable_idempotence'])
`, `
RecordMetadata(topic='t', partition=1, topic_partition=TopicPartition(topic='t', partition=1), offset=-1, timestamp=<TS>, log_start_offset=None, checksum=None, serialized_key_size=-1, serialized_value_size=1, serialized_header_size=-1)
0 False
`},
		{"partitions_for, bootstrap_connected, config", `
p = KafkaProducer(bootstrap_servers=BOOT)
print(p.partitions_for('fresh'), p.bootstrap_connected())
print(p.config['acks'], p.config['client_id'], p.config['retries'], p.config['linger_ms'])
q = KafkaProducer(bootstrap_servers=BOOT, client_id='mine', acks='all')
print(q.config['client_id'], q.config['acks'], KafkaProducer(bootstrap_servers=BOOT).config['client_id'])
print(p)
`, `
{0, 1, 2} True
-1 kafka-python-producer-1 inf 0
mine -1 kafka-python-producer-2
<kafka.producer.kafka.KafkaProducer object at 0x<ADDR>>
`},
	})
}

func TestProducerSendErrors(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"neither key nor value", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t')`, `ERROR AssertionError: Need at least one: key or value`},
		{"int value without serializer", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', 5)`, `ERROR TypeError: Unsupported type for serialized value: <class 'int'>`},
		{"dict key without serializer", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', b'v', key={'a': 1})`, `ERROR TypeError: Unsupported type for serialized key: <class 'dict'>`},
		{"topic None", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send(None, b'v')`, `ERROR TypeError: All topics must not be None`},
		{"topic not a str", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send(b't', b'v')`, `ERROR TypeError: All topics must be strings`},
		{"illegal topic name", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('bad topic!', b'v')`, `ERROR ValueError: Topic name "bad topic!" is illegal, it contains a character other than ASCII alphanumerics, ".", "_" and "-"`},
		{"empty topic name", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('', b'v')`, `ERROR ValueError: All topics must be non-empty strings`},
		{"unknown partition", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t3', b'v', partition=7)`, `ERROR ValueError: Unrecognized partition 7 for topic t3`},
		{"negative partition", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t3', b'v', partition=-1)`, `ERROR ValueError: partition must be >= 0`},
		{"partition not an int", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t3', b'v', partition='0')`, `ERROR TypeError: partition must be an int, not str`},
		{"headers as tuple", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', b'v', headers=(('k', b'v'),))`, `ERROR TypeError: headers must be list-type`},
		{"header key bytes", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', b'v', headers=[(b'k', b'v')])`, `ERROR TypeError: All headers items must be (str, bytes) tuples`},
		{"header value str", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', b'v', headers=[('k', 'v')])`, `ERROR TypeError: All headers items must be (str, bytes) tuples`},
		{"timestamp not an int", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', b'v', timestamp_ms='now')`, `ERROR TypeError: timestamp_ms must be an int, not str`},
		{"unknown keyword", `p = KafkaProducer(bootstrap_servers=BOOT)
p.send('t', b'v', partiton=1)`, `ERROR send: unexpected keyword argument "partiton"`},
		{"send after close", `p = KafkaProducer(bootstrap_servers=BOOT)
p.close()
p.close()
p.send('t', b'v')`, `ERROR IllegalStateError: KafkaProducer already closed!`},
		{"oversized record: a failed future", `p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('t', b'x' * 2000000)
print(f.is_done, f.failed(), f.retriable())
print(f.exception)
print(repr(f.exception))
f.get()`, `
True True False
[Error 10] MessageSizeTooLargeError: The message is 2000088 bytes when serialized which is larger than the maximum request size you have configured with the max_request_size configuration
MessageSizeTooLargeError('The message is 2000088 bytes when serialized which is larger than the maximum request size you have configured with the max_request_size configuration')
ERROR MessageSizeTooLargeError: The message is 2000088 bytes when serialized which is larger than the maximum request size you have configured with the max_request_size configuration`},
		{"record larger than buffer_memory", `p = KafkaProducer(bootstrap_servers=BOOT, buffer_memory=1000)
p.send('t', b'x' * 2000).get()`, `ERROR MessageSizeTooLargeError: The message is 2086 bytes when serialized which is larger than the total memory buffer you have configured with the buffer_memory configuration.`},
		{"topic that is not created", `p = KafkaProducer(bootstrap_servers=BOOT, allow_auto_create_topics=False, max_block_ms=300)
p.send('missing', b'v')`, `ERROR KafkaTimeoutError: Failed to update metadata after 0.3 secs.`},
		{"partitions_for a topic that is not created", `p = KafkaProducer(bootstrap_servers=BOOT, allow_auto_create_topics=False, max_block_ms=200)
p.partitions_for('missing')`, `ERROR KafkaTimeoutError: Failed to update metadata after 0.2 secs.`},
	})
}

func TestProducerConfigErrors(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"unknown key with a hint", `KafkaProducer(bootstrap_servers=BOOT, linger_msx=5)`,
			`ERROR KafkaConfigurationError: Unrecognized configs: {'linger_msx': 5} (did you mean 'linger_ms'?)`},
		{"two unknown keys", `KafkaProducer(bootstrap_servers=BOOT, acks_x=1, zzzzzzzzzzz=2)`,
			`ERROR KafkaConfigurationError: Unrecognized configs: {'acks_x': 1, 'zzzzzzzzzzz': 2} (did you mean 'acks' for 'acks_x'?)`},
		{"wrong type names the key", `KafkaProducer(bootstrap_servers=BOOT, linger_ms='5')`,
			`ERROR KafkaConfigurationError: linger_ms: want int or float, got str ('5')`},
		{"an int beyond 64 bits names the key", `KafkaProducer(bootstrap_servers=BOOT, batch_size=1180591620717411303424)`,
			`ERROR KafkaConfigurationError: batch_size: must be at most 9223372036854775807, not 1180591620717411303424`},
		{"a count beyond 64 bits is not 'not positive'", `KafkaProducer(bootstrap_servers=BOOT, buffer_memory=1180591620717411303424)`,
			`ERROR KafkaConfigurationError: buffer_memory: must be at most 9223372036854775807, not 1180591620717411303424`},
		{"bad acks", `KafkaProducer(bootstrap_servers=BOOT, acks=2)`,
			`ERROR KafkaConfigurationError: acks: must be one of 0, 1, -1, 'all', not 2`},
		{"positional argument", `KafkaProducer(BOOT)`,
			`ERROR TypeError: KafkaProducer() takes 0 positional arguments but 1 were given (pass configs as keywords)`},
		{"unsupported codec", `KafkaProducer(bootstrap_servers=BOOT, compression_type='brotli')`,
			`ERROR ValueError: Not supported codec: brotli`},
		{"'none' is not a codec", `KafkaProducer(bootstrap_servers=BOOT, compression_type='none')`,
			`ERROR ValueError: Not supported codec: none`},
		{"transactional_id without idempotence", `KafkaProducer(bootstrap_servers=BOOT, transactional_id='x', enable_idempotence=False)`,
			`ERROR KafkaConfigurationError: Cannot set transactional_id without enable_idempotence.`},
		{"explicit idempotence conflicts with acks", `KafkaProducer(bootstrap_servers=BOOT, enable_idempotence=True, acks=1)`,
			`ERROR KafkaConfigurationError: enable_idempotence=True is incompatible with user-provided acks=1`},
		{"transactions conflict with retries=0", `KafkaProducer(bootstrap_servers=BOOT, transactional_id='x', retries=0, max_in_flight_requests_per_connection=6)`,
			`ERROR KafkaConfigurationError: enable_idempotence=True is incompatible with user-provided retries=0, max_in_flight_requests_per_connection=6`},
		{"acks=1 alone turns idempotence off", `p = KafkaProducer(bootstrap_servers=BOOT, acks=1, retries=0)
print(p.config['enable_idempotence'], p.config['acks'], p.config['retries'])
print(p.send('t', b'x', partition=0).get().offset)`, "False 1 0\n0"},
		{"bad security_protocol", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='TLS')`,
			`ERROR AssertionError: security_protocol must be in PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`},
		{"bad sasl_mechanism", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='MD5')`,
			`ERROR AssertionError: sasl_mechanism must be in PLAIN, GSSAPI, OAUTHBEARER, SCRAM-SHA-256, SCRAM-SHA-512`},
		{"no sasl user", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN')`,
			`ERROR AssertionError: sasl_plain_username required for PLAIN or SCRAM sasl`},
		{"no sasl password", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='u')`,
			`ERROR AssertionError: sasl_plain_password required for PLAIN or SCRAM sasl`},
		{"no token provider", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_SSL', sasl_mechanism='OAUTHBEARER')`,
			`ERROR AssertionError: sasl_oauth_token_provider required for OAUTHBEARER sasl`},
		{"token provider without token()", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='OAUTHBEARER', sasl_oauth_token_provider=5)`,
			`ERROR AssertionError: sasl_oauth_token_provider must implement method #token()`},
		{"GSSAPI", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='GSSAPI')`,
			`ERROR AssertionError: GSSAPI lib not available`},
		{"missing CA file", `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SSL', ssl_cafile='/nonexistent/ca.pem')`,
			`ERROR OSError: [Errno 2] No such file or directory: '/nonexistent/ca.pem'`},
		{"ssl_context", `KafkaProducer(bootstrap_servers=BOOT, ssl_context=1)`,
			`ERROR KafkaConfigurationError: ssl_context: kstar has no ssl.SSLContext; use ssl_cafile, ssl_certfile and ssl_keyfile`},
		{"proxy", `KafkaProducer(bootstrap_servers=BOOT, socks5_proxy='socks5://h:1080')`,
			`ERROR KafkaConfigurationError: socks5_proxy: proxies are not supported by kstar`},
		{"bad port", `KafkaProducer(bootstrap_servers='localhost:x')`,
			`ERROR KafkaConfigurationError: bootstrap_servers: bad port in 'localhost:x'`},
		{"bad api_version", `KafkaProducer(bootstrap_servers=BOOT, api_version='two')`,
			`ERROR KafkaConfigurationError: api_version: want a version such as (2, 5, 0) or '2.5.0', got 'two'`},
		{"ignored and mapped keys are accepted", `p = KafkaProducer(bootstrap_servers=[BOOT], api_version=(2, 5, 0), batch_size=32768, selector=None,
    socket_options=[(6, 1, 1)], sock_chunk_bytes=8192, reconnect_backoff_ms=10, client_dns_lookup='default',
    metric_reporters=[], bootstrap_topics_filter=set(), receive_buffer_bytes=65536, send_buffer_bytes=65536,
    connections_max_idle_ms=60000, metadata_max_age_ms=1000, request_timeout_ms=5000, retry_backoff_ms=50,
    linger_ms=5, delivery_timeout_ms=5000, max_block_ms=5000, transaction_timeout_ms=10000,
    socket_connection_setup_timeout_ms=3000, default_api_timeout_ms=10000, api_version_auto_timeout_ms=3000,
    bootstrap_timeout_ms=3000, receive_message_max_bytes=10000000, metrics_num_samples=3, metrics_sample_window_ms=1000,
    sasl_kerberos_service_name='k', ssl_check_hostname=False, max_request_size=100000, kafka_client=None, net=None)
print(p.send('allkeys', b'x', partition=0).get().offset)`, "0"},
	})
}

func TestProducerCallbacks(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"callbacks run in delivery order per partition, with partial args", `
p = KafkaProducer(bootstrap_servers=BOOT)
log = {0: [], 1: []}
def ok(part, md, sep='-'):
    log[part].append('%d%s%d' % (part, sep, md.offset))
for i in range(40):
    f = p.send('cb', b'x', partition=i % 2)
    r = f.add_callback(ok, i % 2, sep=':')
    if r != f:
        print('add_callback did not return the future')
p.flush()
print(log[0][:3], len(log[0]), log[1][-1], len(log[1]))
print(log[0] == ['0:%d' % i for i in range(20)], log[1] == ['1:%d' % i for i in range(20)])
`, `
['0:0', '0:1', '0:2'] 20 1:19 20
True True
`},
		{"errback gets the exception, add_both both", `
p = KafkaProducer(bootstrap_servers=BOOT)
seen = []
f = p.send('cb', b'x' * 2000000)
f.add_callback(lambda md: seen.append('never')).add_errback(lambda e: seen.append(e.errno)).add_both(lambda tag, x: seen.append(tag), 'both')
g = p.send('cb', b'ok', partition=0)
g.add_both(lambda x: seen.append(x.topic))
g.get()
print(seen)
`, `[10, 'both', 'cb']`},
		{"a callback added after completion runs at once", `
p = KafkaProducer(bootstrap_servers=BOOT)
seen = []
f = p.send('cb', b'x')
f.get()
f.add_callback(lambda md: seen.append('late'))
print(seen)
`, `['late']`},
		{"a failing callback is reported and swallowed", `
p = KafkaProducer(bootstrap_servers=BOOT)
def boom(md):
    return {}['x']
p.send('cb', b'x').add_callback(boom).get()
print('after')
`, `
Error processing callback
Traceback (most recent call last):
  File "test.star", line 4, in boom
key "x" not in dict
after
`},
		{"a callback's kafka error ends its report as CPython's traceback ends", `
p = KafkaProducer(bootstrap_servers=BOOT)
def boom(md):
    return KafkaProducer(linger_msx=1)
p.send('cb', b'x').add_callback(boom).get()
print('after')
`, `
Error processing callback
Traceback (most recent call last):
  File "test.star", line 4, in boom
kafka.errors.KafkaConfigurationError: KafkaConfigurationError: Unrecognized configs: {'linger_msx': 1} (did you mean 'linger_ms'?)
after
`},
		{"callbacks of an unflushed producer run when the script ends", `
p = KafkaProducer(bootstrap_servers=BOOT, linger_ms=50)
def ok(md):
    print('delivered', md.topic, md.offset)
p.send('end', b'x', partition=0).add_callback(ok)
print('script done')
`, `
script done
delivered end 0
`},
		{"success and failure complete a future once", `
p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('cb', b'x' * 2000000)
f.success(1)
`, `
kstar: KafkaProducer kafka-python-producer-1: 1 record(s) could not be delivered, and the script did not check their futures (the last error: MessageSizeTooLargeError: The message is 2000088 bytes when serialized which is larger than the maximum request size you have configured with the max_request_size configuration)
ERROR AssertionError: Future is already complete`},
	})
}

// prodStalledBroker starts a broker whose Produce requests wait until the
// test ends.
func prodStalledBroker(t *testing.T) string {
	b := testbroker.Embedded(t, kbroker.Config{})
	c := b.Cluster()
	release := make(chan struct{})
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		c.SleepControl(func() { <-release })
		return nil, nil, false
	})
	t.Cleanup(func() { close(release) })
	return b.Bootstrap()
}

func TestProducerTimeouts(t *testing.T) {
	prodShutdownTimeout = 300 * time.Millisecond
	t.Cleanup(func() { prodShutdownTimeout = 10 * time.Second })
	prodRunCases(t, prodStalledBroker(t), []prodCase{
		{"get(timeout) and chain", `
p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('slow', b'x')
print(f.is_done, f.value, f.exception, f.succeeded(), f.failed())
big = p.send('slow', b'x' * 2000000)
print(big.chain(f) == big, f.is_done, f.failed(), f.exception.errno)
g = p.send('slow', b'y')
g.get(timeout=0.5)
`, `
False None None False False
True True True 10
kstar: KafkaProducer kafka-python-producer-1: 2 record(s) not delivered within 300ms when the script ended; they were dropped
ERROR KafkaTimeoutError: Timeout after waiting for 0.5 secs.`},
		{"flush(timeout)", `
p = KafkaProducer(bootstrap_servers=BOOT)
p.send('slow', b'x')
p.flush(timeout=0.2)
`, `
kstar: KafkaProducer kafka-python-producer-1: 1 record(s) not delivered within 300ms when the script ended; they were dropped
ERROR KafkaTimeoutError: Timeout waiting for future`},
		{"a full buffer makes send wait max_block_ms", `
p = KafkaProducer(bootstrap_servers=BOOT, buffer_memory=5000, max_block_ms=300)
for i in range(100):
    p.send('slow', b'x' * 100)
`, fmt.Sprintf(`
kstar: KafkaProducer kafka-python-producer-1: %d record(s) not delivered within 300ms when the script ended; they were dropped
ERROR KafkaTimeoutError: Failed to allocate memory within the configured max blocking time`, 5000/(100+recordOverhead))},
		{"close(timeout=0) fails what is pending", `
p = KafkaProducer(bootstrap_servers=BOOT)
f = p.send('slow', b'x')
f.add_errback(lambda e: print('errback', repr(e)))
p.close(timeout=0)
print(f.exception)
`, `
errback IllegalStateError('Producer is closed forcefully.')
IllegalStateError: Producer is closed forcefully.
`},
		{"delivery_timeout_ms bounds a record", `
p = KafkaProducer(bootstrap_servers=BOOT, delivery_timeout_ms=1000, request_timeout_ms=500)
p.send('slow', b'x', partition=1).get()
`, `ERROR KafkaTimeoutError: Expiring record for slow-1: 1000 ms has passed since it was sent (delivery_timeout_ms)`},
	})
}

func TestProducerUnreachable(t *testing.T) {
	start := time.Now()
	got := prodRun(t, "", `KafkaProducer(bootstrap_servers='127.0.0.1:1')`)
	if !strings.HasPrefix(got, "ERROR NoBrokersAvailable (caused by KafkaConnectionError: ") || time.Since(start) > 2*time.Second {
		t.Errorf("got %q after %s, want NoBrokersAvailable at once", got, time.Since(start))
	}

	// A broker that goes away after construction: the record fails
	// within delivery_timeout_ms, with the reason.
	b := testbroker.Embedded(t, kbroker.Config{})
	r := newScriptRun(b.Bootstrap())
	r.extra = starlark.StringDict{"stop_broker": starlark.NewBuiltin("stop_broker", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		b.Close()
		return starlark.None, nil
	})}
	start = time.Now()
	err := r.exec(context.Background(), `
p = KafkaProducer(bootstrap_servers=BOOT, delivery_timeout_ms=1000)
print(p.send('gone', b'x').get().offset)
stop_broker()
p.send('gone', b'y').get()
`)
	if got := r.out.String(); got != "0\n" || err == nil || !strings.HasPrefix(errorLine(err), "NoBrokersAvailable (caused by KafkaConnectionError: unable to dial") || time.Since(start) > 5*time.Second {
		t.Errorf("printed %q, error %v after %s; want offset 0 then NoBrokersAvailable within delivery_timeout_ms", got, err, time.Since(start))
	}
}

// A blocked get, flush or send stops when the script's execution is
// cancelled (Ctrl-C, a host deadline).
func TestProducerInterrupted(t *testing.T) {
	prodShutdownTimeout = 200 * time.Millisecond
	t.Cleanup(func() { prodShutdownTimeout = 10 * time.Second })
	boot := prodStalledBroker(t)
	for _, src := range []string{
		"p.send('slow', b'x').get()",
		"p.send('slow', b'x')\np.flush()",
		"for i in range(1000):\n    p.send('slow', b'x' * 100)",
	} {
		r := newScriptRun(boot)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		err := r.exec(ctx, "p = KafkaProducer(bootstrap_servers=BOOT, buffer_memory=5000)\n"+src)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "deadline exceeded") || time.Since(start) > 2*time.Second {
			t.Errorf("%s: got %v after %s, want the interruption at once", src, err, time.Since(start))
		}
	}
}
