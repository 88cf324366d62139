package kafka

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	kbroker "github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/internal/testbroker"
)

// prodSendOK is a script that produces one record and prints its offset.
const prodSendOK = `print(p.send('sec', b'x', partition=0).get(timeout=10).offset)`

func prodSecurityCase(name, configs, want string) prodCase {
	return prodCase{name, "p = KafkaProducer(bootstrap_servers=BOOT, " + configs + ")\n" + prodSendOK, want}
}

func TestProducerTLS(t *testing.T) {
	pki := newTestPKI(t, loopback, nil)
	ca := "ssl_cafile='" + pki.caFile + "'"
	prodRunCases(t, pki.broker(t, false), []prodCase{
		prodSecurityCase("SSL with the CA", "security_protocol='SSL', "+ca, "0"),
		prodSecurityCase("SSL without the CA", "security_protocol='SSL', api_version_auto_timeout_ms=1000",
			"ERROR NoBrokersAvailable (caused by KafkaConnectionError: unable to dial: tls: failed to verify certificate: x509: certificate signed by unknown authority)"),
		prodSecurityCase("plaintext against TLS", "api_version_auto_timeout_ms=500", "ERROR NoBrokersAvailable (caused by KafkaConnectionError: <any>"),
		prodSecurityCase("a revoked broker certificate", "security_protocol='SSL', "+ca+", ssl_crlfile='"+pki.crl(t, pki.serverSerial)+"'",
			"ERROR NoBrokersAvailable (caused by KafkaConnectionError: unable to dial: tls: broker certificate (serial 2) is revoked by ssl_crlfile)"),
		prodSecurityCase("a CRL that revokes another certificate", "security_protocol='SSL', "+ca+", ssl_crlfile='"+pki.crl(t, big.NewInt(99))+"'", "1"),
		prodSecurityCase("cipher names", "security_protocol='SSL', "+ca+", ssl_ciphers='ECDHE-ECDSA-AES128-GCM-SHA256:HIGH:!aNULL'", "2"),
	})

	// A certificate for another host name: accepted only with
	// ssl_check_hostname=False (the chain is still verified).
	other := newTestPKI(t, nil, []string{"broker.example"})
	oca := "ssl_cafile='" + other.caFile + "'"
	prodRunCases(t, other.broker(t, false), []prodCase{
		prodSecurityCase("host name checked", "security_protocol='SSL', "+oca,
			"ERROR NoBrokersAvailable (caused by KafkaConnectionError: unable to dial: tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs)"),
		prodSecurityCase("host name not checked", "security_protocol='SSL', ssl_check_hostname=False, "+oca, "0"),
		prodSecurityCase("host name not checked, chain still verified", "security_protocol='SSL', ssl_check_hostname=False, ssl_cafile='"+pki.caFile+"'",
			"ERROR NoBrokersAvailable (caused by KafkaConnectionError: unable to dial: x509: certificate signed by unknown authority<any>"),
	})

	// Client certificates.
	prodRunCases(t, pki.broker(t, true), []prodCase{
		prodSecurityCase("client certificate", "security_protocol='SSL', "+ca+", ssl_certfile='"+pki.clientCert+"', ssl_keyfile='"+pki.keyFile+"'", "0"),
		prodSecurityCase("certificate and key in one file", "security_protocol='SSL', "+ca+", ssl_certfile='"+pki.path("client-bundle.pem")+"'", "1"),
		prodSecurityCase("encrypted key with ssl_password", "security_protocol='SSL', "+ca+", ssl_certfile='"+pki.clientCert+"', ssl_keyfile='"+pki.path("client-encrypted.key")+"', ssl_password='s3cret'", "2"),
		prodSecurityCase("encrypted key, wrong password", "security_protocol='SSL', "+ca+", ssl_certfile='"+pki.clientCert+"', ssl_keyfile='"+pki.path("client-encrypted.key")+"', ssl_password='nope'",
			"ERROR KafkaConfigurationError: ssl_password: cannot decrypt the key: x509: decryption password incorrect"),
		prodSecurityCase("encrypted key, no password", "security_protocol='SSL', "+ca+", ssl_certfile='"+pki.clientCert+"', ssl_keyfile='"+pki.path("client-encrypted.key")+"'",
			"ERROR KafkaConfigurationError: ssl_keyfile: the key is encrypted; set ssl_password"),
		prodSecurityCase("no client certificate", "security_protocol='SSL', api_version_auto_timeout_ms=1000, "+ca, "ERROR NoBrokersAvailable (caused by KafkaConnectionError: <any>"),
	})
}

func TestProducerSASL(t *testing.T) {
	boot := testbroker.Embedded(t, kbroker.Config{Options: []kfake.Opt{
		kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "alice", "apw"),
		kfake.Superuser("SCRAM-SHA-256", "bob", "bpw"),
		kfake.Superuser("SCRAM-SHA-512", "dave", "dpw"),
		kfake.EnableACLs(),
		kfake.User("PLAIN", "carol", "cpw",
			kfake.ACL{Resource: kmsg.ACLResourceTypeCluster, Name: "kafka-cluster", Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: kmsg.ACLOperationIdempotentWrite, Allow: true},
			kfake.ACL{Resource: kmsg.ACLResourceTypeTopic, Name: "sec", Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: kmsg.ACLOperationAll, Allow: true},
		),
	}}).Bootstrap()
	prodRunCases(t, boot, []prodCase{
		prodSecurityCase("PLAIN", "security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN', sasl_plain_username='alice', sasl_plain_password='apw'", "0"),
		prodSecurityCase("SCRAM-SHA-256", "security_protocol='SASL_PLAINTEXT', sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='bob', sasl_plain_password='bpw'", "1"),
		prodSecurityCase("SCRAM-SHA-512", "security_protocol='SASL_PLAINTEXT', sasl_mechanism='SCRAM-SHA-512', sasl_plain_username='dave', sasl_plain_password='dpw'", "2"),
		prodSecurityCase("wrong password", "security_protocol='SASL_PLAINTEXT', sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='bob', sasl_plain_password='nope', api_version_auto_timeout_ms=1000",
			"ERROR NoBrokersAvailable (caused by KafkaConnectionError: <any>"),
		prodSecurityCase("no SASL", "api_version_auto_timeout_ms=1000", "ERROR NoBrokersAvailable (caused by KafkaConnectionError: <any>"),
		prodSecurityCase("a user allowed to write the topic", "security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN', sasl_plain_username='carol', sasl_plain_password='cpw'", "3"),
		{"a topic the user may not write", `p = KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN', sasl_plain_username='carol', sasl_plain_password='cpw')
p.send('secret', b'x')`, "ERROR TopicAuthorizationFailedError: {'secret'}"},
	})
}

// The three clients log in with SASL PLAIN and SCRAM-SHA-256: against
// kfake, and in CI against the real broker's SASL listener
// (TestProducerSASL covers more mechanisms and ACLs, on kfake only).
func TestClientsOverSASL(t *testing.T) {
	t.Parallel()
	sb := testbroker.SASL(t)
	login := func(mechanism, user, password string) string {
		return fmt.Sprintf("security_protocol='SASL_PLAINTEXT', sasl_mechanism='%s', sasl_plain_username='%s', sasl_plain_password='%s'", mechanism, user, password)
	}
	plain := login("PLAIN", sb.PlainUser, sb.PlainPassword)
	scram := login("SCRAM-SHA-256", sb.ScramUser, sb.ScramPassword)
	src := fmt.Sprintf(`T = '%s'
admin = KafkaAdminClient(bootstrap_servers=BOOT, %s)
print(len(admin.describe_cluster()['brokers']) > 0)
p = KafkaProducer(bootstrap_servers=BOOT, %s)
print(p.send(T, b'over sasl', partition=0).get(timeout=30).offset)
c = KafkaConsumer(T, bootstrap_servers=BOOT, auto_offset_reset='earliest', consumer_timeout_ms=3000, %s)
print([m.value for m in c])
`, testbroker.UniqueName(t, "sasl"), scram, plain, scram)
	prodRunCases(t, sb.Bootstrap, []prodCase{{"admin, producer and consumer", src, "True\n0\n[b'over sasl']"}})
}

func TestProducerSASLOverTLS(t *testing.T) {
	pki := newTestPKI(t, loopback, nil)
	boot := pki.broker(t, false, kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-256", "bob", "bpw"))
	prodRunCases(t, boot, []prodCase{
		prodSecurityCase("SASL_SSL", "security_protocol='SASL_SSL', ssl_cafile='"+pki.caFile+"', sasl_mechanism='SCRAM-SHA-256', sasl_plain_username='bob', sasl_plain_password='bpw'", "0"),
	})
}

func TestOAuthTokenProvider(t *testing.T) {
	thread := &starlark.Thread{}
	fn := func(v starlark.Value) *starlark.Builtin {
		return starlark.NewBuiltin("f", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return v, nil
		})
	}
	ext := starlark.NewDict(1)
	_ = ext.SetKey(starlark.String("k"), starlark.String("v"))
	for _, c := range []struct {
		name     string
		provider starlark.Value
		want     string
	}{
		{"a callable", fn(starlark.String("tok")), "tok map[]"},
		{"an object with token() and extensions()", starlarkstruct.FromStringDict(starlark.String("Provider"), starlark.StringDict{
			"token": fn(starlark.String("t2")), "extensions": fn(ext)}), "t2 map[k:v]"},
		{"an empty token", fn(starlark.String("")), "KafkaConfigurationError: sasl_oauth_token_provider: token() must return a non-empty str, got ''"},
		{"no token()", starlarkstruct.FromStringDict(starlark.String("Provider"), nil), "AssertionError: sasl_oauth_token_provider must implement method #token()"},
	} {
		auth, err := oauthToken(thread, c.provider)
		got := fmt.Sprintf("%s %v", auth.Token, auth.Extensions)
		if err != nil {
			got = errorLine(err)
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}

	// The constructor asks for the token once, on the script's thread.
	boot := testbroker.Embedded(t, kbroker.Config{Options: []kfake.Opt{kfake.EnableSASL()}}).Bootstrap()
	r := newScriptRun(boot)
	calls := 0
	r.extra = starlark.StringDict{"token": starlark.NewBuiltin("token", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		calls++
		return starlark.String("tok"), nil
	})}
	err := r.exec(context.Background(), `KafkaProducer(bootstrap_servers=BOOT, security_protocol='SASL_PLAINTEXT', sasl_mechanism='OAUTHBEARER', sasl_oauth_token_provider=token, api_version_auto_timeout_ms=1000)`)
	if calls != 1 || err == nil {
		t.Errorf("token() called %d times, error %v; want 1 call and an error (kfake has no OAUTHBEARER)", calls, err)
	}
}
