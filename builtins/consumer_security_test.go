package builtins

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// secureBroker starts a kfake cluster with TLS/SASL options directly (the
// embedded broker's start-up check speaks plaintext).
func secureBroker(t *testing.T, opts ...kfake.Opt) string {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(3), kfake.GroupMinSessionTimeout(100 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return strings.Join(c.ListenAddrs(), ",")
}

// testTLSCA makes a CA and a server certificate for 127.0.0.1; it returns
// the server's TLS config and the path of the CA's PEM file.
func testTLSCA(t *testing.T) (*tls.Config, string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kstar test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, caFile
}

// The consumer reads over TLS (trusting ssl_cafile) and with SASL PLAIN
// and SCRAM, in a group; a user without read rights gets
// TopicAuthorizationFailedError from iteration.
func TestConsumerSecurity(t *testing.T) {
	t.Parallel()
	serverTLS, caFile := testTLSCA(t)
	boot := secureBroker(t,
		kfake.TLS(serverTLS), kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser("PLAIN", "alice", "alice-pw"),
		kfake.Superuser("SCRAM-SHA-256", "bob", "bob-pw"),
		kfake.Superuser("SCRAM-SHA-512", "dave", "dave-pw"),
		kfake.User("PLAIN", "carol", "carol-pw",
			kfake.ACL{Resource: kmsg.ACLResourceTypeTopic, Name: "sec", Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: kmsg.ACLOperationDescribe, Allow: true}),
	)
	roots := x509.NewCertPool()
	pemData, _ := os.ReadFile(caFile)
	roots.AppendCertsFromPEM(pemData)
	produceValues(t, boot, "sec", 0, 3, "s",
		kgo.DialTLSConfig(&tls.Config{RootCAs: roots}), kgo.SASL(plain.Auth{User: "alice", Pass: "alice-pw"}.AsMechanism()))
	_ = scram.Auth{}
	for _, c := range []struct{ name, extra, want string }{
		{"PLAIN", "sasl_mechanism='PLAIN', sasl_plain_username='alice', sasl_plain_password='alice-pw', group_id='sec-g1'", "[b's0', b's1', b's2']"},
		{"SCRAM-SHA-256", "sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='bob', sasl_plain_password='bob-pw', group_id='sec-g2'", "[b's0', b's1', b's2']"},
		{"SCRAM-SHA-512", "sasl_mechanism='SCRAM-SHA-512', sasl_plain_username='dave', sasl_plain_password='dave-pw'", "[b's0', b's1', b's2']"},
		{"no read right", "sasl_mechanism='PLAIN', sasl_plain_username='carol', sasl_plain_password='carol-pw'",
			"ERROR TopicAuthorizationFailedError: "},
		{"wrong password", "sasl_mechanism='PLAIN', sasl_plain_username='alice', sasl_plain_password='nope', api_version_auto_timeout_ms=1000",
			"ERROR NoBrokersAvailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := runConsumer(t, boot, fmt.Sprintf(`
c = KafkaConsumer('sec', security_protocol='SASL_SSL', ssl_cafile=%q, auto_offset_reset='earliest', consumer_timeout_ms=1500, %s)
print([m.value for m in c])
`, caFile, c.extra))
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
	serverTLS, caFile := testTLSCA(t)
	boot := secureBroker(t, kfake.TLS(serverTLS))
	roots := x509.NewCertPool()
	pemData, _ := os.ReadFile(caFile)
	roots.AppendCertsFromPEM(pemData)
	produceValues(t, boot, "tls", 0, 2, "t", kgo.DialTLSConfig(&tls.Config{RootCAs: roots}))
	got := runConsumer(t, boot, fmt.Sprintf(`
c = KafkaConsumer('tls', group_id='tls-g', security_protocol='SSL', ssl_cafile=%q, ssl_check_hostname=True, auto_offset_reset='earliest', consumer_timeout_ms=1500)
print([m.value for m in c])
c.commit()
print(c.committed(TopicPartition('tls', 0)))
`, caFile))
	if got != "[b't0', b't1']\n2\n" {
		t.Errorf("got %q", got)
	}
}
