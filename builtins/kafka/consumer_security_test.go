package kafka

import (
	"crypto/tls"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

// The consumer reads over TLS (trusting ssl_cafile) and with SASL PLAIN
// and SCRAM, in a group; a user without read rights gets
// TopicAuthorizationFailedError from iteration.
func TestConsumerSecurity(t *testing.T) {
	t.Parallel()
	pki := newTestPKI(t, loopback, nil)
	boot := pki.broker(t, false, kfake.GroupMinSessionTimeout(100*time.Millisecond),
		kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser("PLAIN", "alice", "alice-pw"),
		kfake.Superuser("SCRAM-SHA-256", "bob", "bob-pw"),
		kfake.Superuser("SCRAM-SHA-512", "dave", "dave-pw"),
		kfake.User("PLAIN", "carol", "carol-pw",
			kfake.ACL{Resource: kmsg.ACLResourceTypeTopic, Name: "sec", Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: kmsg.ACLOperationDescribe, Allow: true}),
	)
	produceValues(t, boot, "sec", 0, 3, "s",
		kgo.DialTLSConfig(&tls.Config{RootCAs: pki.roots()}), kgo.SASL(plain.Auth{User: "alice", Pass: "alice-pw"}.AsMechanism()))
	for _, c := range []struct{ name, extra, want string }{
		{"PLAIN", "sasl_mechanism='PLAIN', sasl_plain_username='alice', sasl_plain_password='alice-pw', group_id='sec-g1'", "[b's0', b's1', b's2']"},
		{"SCRAM-SHA-256", "sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='bob', sasl_plain_password='bob-pw', group_id='sec-g2'", "[b's0', b's1', b's2']"},
		{"SCRAM-SHA-512", "sasl_mechanism='SCRAM-SHA-512', sasl_plain_username='dave', sasl_plain_password='dave-pw'", "[b's0', b's1', b's2']"},
		{"no read right", "sasl_mechanism='PLAIN', sasl_plain_username='carol', sasl_plain_password='carol-pw'",
			"ERROR TopicAuthorizationFailedError\n"},
		{"wrong password", "sasl_mechanism='PLAIN', sasl_plain_username='alice', sasl_plain_password='nope', api_version_auto_timeout_ms=1000",
			"ERROR NoBrokersAvailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := runConsumer(t, boot, fmt.Sprintf(`
c = KafkaConsumer('sec', security_protocol='SASL_SSL', ssl_cafile=%q, auto_offset_reset='earliest', consumer_timeout_ms=1500, %s)
print([m.value for m in c])
`, pki.caFile, c.extra))
			if !strings.Contains(got, c.want) {
				t.Errorf("got %q, want %q in it", got, c.want)
			}
		})
	}
	// Plain TLS against a TLS listener that requires SASL is refused; a
	// TLS client without the CA does not trust the broker.
	got := runConsumer(t, boot, `KafkaConsumer(security_protocol='SSL', api_version_auto_timeout_ms=1000)`)
	if !strings.Contains(got, "ERROR NoBrokersAvailable") {
		t.Errorf("untrusted: %q", got)
	}
}

// SSL without SASL, with ssl_check_hostname.
func TestConsumerTLS(t *testing.T) {
	t.Parallel()
	pki := newTestPKI(t, loopback, nil)
	boot := pki.broker(t, false, kfake.GroupMinSessionTimeout(100*time.Millisecond))
	produceValues(t, boot, "tls", 0, 2, "t", kgo.DialTLSConfig(&tls.Config{RootCAs: pki.roots()}))
	got := runConsumer(t, boot, fmt.Sprintf(`
c = KafkaConsumer('tls', group_id='tls-g', security_protocol='SSL', ssl_cafile=%q, ssl_check_hostname=True, auto_offset_reset='earliest', consumer_timeout_ms=1500)
print([m.value for m in c])
c.commit()
print(c.committed(TopicPartition('tls', 0)))
`, pki.caFile))
	if got != "[b't0', b't1']\n2\n" {
		t.Errorf("got %q", got)
	}
}
