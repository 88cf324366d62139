package kafka

import "testing"

// The client classes offer their methods unbound, as Python classes do:
// dir(KafkaProducer) lists them, KafkaProducer.send(p, ...) is p.send(...),
// and help(KafkaProducer.send) shows the signature with self.
func TestClientClassUnboundMethods(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"unbound send", `p = KafkaProducer(bootstrap_servers=BOOT)
print(KafkaProducer.__name__, 'send' in dir(KafkaProducer), 'poll' in dir(KafkaConsumer), 'list_topics' in dir(KafkaAdminClient))
print(KafkaProducer.send(p, 'unbound', b'x', partition=0).get(timeout=10).offset)
help(KafkaProducer.flush)`, "KafkaProducer True True True\n0\nflush(self, timeout=None)\n    <any>"},
		{"no instance", `KafkaProducer.flush()`, "ERROR TypeError: KafkaProducer.flush() missing 1 required positional argument: 'self'"},
		{"another type", `KafkaConsumer.poll(KafkaProducer(bootstrap_servers=BOOT))`,
			"ERROR TypeError: descriptor 'poll' for 'KafkaConsumer' objects doesn't apply to a 'KafkaProducer' object"},
		{"not a method", `KafkaProducer.nope`, "ERROR AttributeError: type object 'KafkaProducer' has no attribute 'nope'"},
	})
}

// A client's bound methods compare equal, as Python's bound methods of one
// object do: each client binds its methods once.
func TestClientMethodsAreStable(t *testing.T) {
	prodRunCases(t, testBootstrap(t), []prodCase{
		{"equal bound methods", `p = KafkaProducer(bootstrap_servers=BOOT)
c = KafkaConsumer(bootstrap_servers=BOOT)
a = KafkaAdminClient(bootstrap_servers=BOOT)
print(p.send == p.send, p.flush == p.flush, c.poll == c.poll, a.list_topics == a.list_topics, c.poll == p.flush)`, "True True True True False"},
	})
}
