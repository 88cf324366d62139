// Package testbroker gives tests a Kafka cluster: the one named by
// KSTAR_TEST_BROKERS when it is set (a real Apache Kafka in CI), otherwise
// a fresh in-process kfake broker per call.
package testbroker

import (
	"os"
	"testing"

	"github.com/kstar-dev/kstar/broker"
)

// EnvVar names the environment variable holding a real cluster's
// bootstrap servers.
const EnvVar = "KSTAR_TEST_BROKERS"

// Real reports whether tests run against an external cluster.
func Real() bool { return os.Getenv(EnvVar) != "" }

// Bootstrap returns bootstrap servers for one test: the external cluster,
// or a new embedded broker (3 partitions per auto-created topic) that is
// closed when the test ends.
func Bootstrap(t testing.TB) string {
	if s := os.Getenv(EnvVar); s != "" {
		return s
	}
	return Embedded(t, broker.Config{}).Bootstrap()
}

// Embedded starts an in-process kfake broker for tests that need kfake
// itself (fault injection, its control hooks); it ignores EnvVar.
func Embedded(t testing.TB, cfg broker.Config) *broker.Broker {
	t.Helper()
	b, err := broker.Start(cfg)
	if err != nil {
		t.Fatalf("starting embedded broker: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}
