package kafka

import "testing"

// TestTimeoutArgumentErrors: the typed timeout arguments (args.go) raise
// what the methods raised when they checked the values by hand.
func TestTimeoutArgumentErrors(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"flush", `KafkaProducer(bootstrap_servers=BOOT).flush('1')`, "ERROR TypeError: timeout must be a number of seconds or None, not str"},
		{"producer close", `KafkaProducer(bootstrap_servers=BOOT).close(timeout=[1])`, "ERROR TypeError: timeout must be a number of seconds or None, not list"},
		{"future get", `KafkaProducer(bootstrap_servers=BOOT).send('args', b'v').get(timeout='1')`, "ERROR TypeError: timeout must be a number of seconds or None, not str"},
		{"a timeout in seconds", `p = KafkaProducer(bootstrap_servers=BOOT)
print(p.send('args', b'v').get(timeout=10).topic, p.flush(timeout=1.5), p.close(timeout=None))`, "args None None"},
		{"consumer close", `KafkaConsumer(bootstrap_servers=BOOT).close(timeout_ms='1')`, "ERROR TypeError: timeout_ms must be an int"},
		{"commit", `KafkaConsumer(bootstrap_servers=BOOT, group_id='args').commit(timeout_ms=1.5)`, "ERROR TypeError: timeout_ms must be an int"},
		{"a timeout in ms", `c = KafkaConsumer(bootstrap_servers=BOOT, group_id='args')
print(c.commit(timeout_ms=1000), c.close(timeout_ms=1000))`, "None None"},
	})
}
