package kafka

import (
	"crypto/tls"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

func TestSeedBrokers(t *testing.T) {
	spec := &ConfigSpec{Client: "Test", Keys: commonConfigKeys(nil)}
	for _, c := range []struct {
		value starlark.Value
		want  string
	}{
		{starlark.None, "env-host:1234 localhost:9092"},
		{starlark.String("h1:9093,h2"), "h1:9093 h2:9092"},
		{starlark.String(" h1 , [::1]:9094,[fe80::1]"), "h1:9092 [::1]:9094 [fe80::1]:9092"},
		{starlark.NewList([]starlark.Value{starlark.String("a:1"), starlark.String("b")}), "a:1 b:9092"},
		{starlark.Tuple{starlark.String("c")}, "c:9092"},
		{starlark.String("h:0"), "KafkaConfigurationError: bootstrap_servers: bad port in 'h:0'"},
		{starlark.String("[::1"), "KafkaConfigurationError: bootstrap_servers: bad address '[::1'"},
		{starlark.String(" , "), "KafkaConfigurationError: bootstrap_servers: no broker address given"},
		{starlark.MakeInt(1), "KafkaConfigurationError: bootstrap_servers: want str or list of str or None, got int (1)"},
	} {
		env := NewKafkaEnv()
		env.BootstrapServers = "env-host:1234,localhost"
		var got string
		cfg, err := spec.Parse([]starlark.Tuple{{starlark.String("bootstrap_servers"), c.value}})
		if err == nil {
			var seeds []string
			seeds, err = seedBrokers(env, cfg)
			got = strings.Join(seeds, " ")
		}
		if err != nil {
			got = errorLine(err)
		}
		if got != c.want {
			t.Errorf("bootstrap_servers=%s: got %q, want %q", py.Repr(c.value), got, c.want)
		}
	}
}

// The host's AllowedBrokers restricts the seeds, and the dialer refuses
// brokers learned from metadata that are not allowed.
func TestAllowedBrokers(t *testing.T) {
	boot := testBootstrap(t)
	r := newScriptRun(boot)
	r.kafka.AllowedBrokers = []string{"10.0.0.1:9092"}
	err := r.exec(t.Context(), `KafkaProducer(bootstrap_servers=BOOT)`)
	if err == nil || !strings.HasPrefix(errorLine(err), "KafkaConfigurationError: bootstrap_servers: broker 127.0.0.1:") || !strings.HasSuffix(errorLine(err), "is not allowed here (allowed: 10.0.0.1:9092)") {
		t.Errorf("got %v", err)
	}
	r = newScriptRun(boot)
	r.kafka.AllowedBrokers = []string{boot}
	r.kafka.AllowedTopics = []string{"ok"}
	err = r.exec(t.Context(), `
p = KafkaProducer(bootstrap_servers=BOOT)
print(p.send('ok', b'x').get().topic)
p.send('other', b'x')`)
	if r.out.String() != "ok\n" || err == nil || errorLine(err) != "TopicAuthorizationFailedError: topic 'other' is not allowed here (allowed: ok)" {
		t.Errorf("printed %q, error %v", r.out.String(), err)
	}
	dial := newDialer(r.kafka, &Config{values: map[string]starlark.Value{
		"socket_connection_setup_timeout_ms": starlark.MakeInt(1000), "receive_buffer_bytes": starlark.None, "send_buffer_bytes": starlark.None,
	}}, nil)
	if _, err := dial(t.Context(), "tcp", "10.9.9.9:9092"); err == nil || !strings.Contains(err.Error(), "is not allowed here") {
		t.Errorf("dialling a broker that is not allowed: %v", err)
	}
}

func TestCipherSuiteNames(t *testing.T) {
	for goName, want := range map[string]string{
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256":       "ECDHE-RSA-AES128-GCM-SHA256",
		"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384":     "ECDHE-ECDSA-AES256-GCM-SHA384",
		"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": "ECDHE-RSA-CHACHA20-POLY1305",
		"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA":          "ECDHE-RSA-AES128-SHA",
		"TLS_RSA_WITH_AES_128_GCM_SHA256":             "AES128-GCM-SHA256",
		"TLS_RSA_WITH_AES_256_CBC_SHA":                "AES256-SHA",
	} {
		if got := openSSLName(goName); got != want {
			t.Errorf("openSSLName(%s) = %s, want %s", goName, got, want)
		}
	}
	// AES256-SHA is one of Go's insecure suites: not offered.
	if got := cipherSuites("ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:ECDHE-ECDSA-AES256-GCM-SHA384:HIGH:!aNULL"); len(got) != 2 ||
		got[0] != tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 || got[1] != tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 {
		t.Errorf("cipherSuites = %v", got)
	}
	if got := cipherSuites("HIGH:!aNULL"); got != nil {
		t.Errorf("keywords only: %v, want Go's defaults (nil)", got)
	}
}
