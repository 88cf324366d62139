// Package testbroker gives tests a Kafka cluster: the one named by
// KSTAR_TEST_BROKERS when it is set (a real Apache Kafka in CI, started by
// testdata/kafka/run-broker.sh, or any existing cluster), otherwise a fresh
// in-process kfake broker per call.
//
// Which helper to call, once per test, after t.Parallel(), in the test that
// uses the broker. On a real cluster a test holds a lock from that call
// until it ends, so its subtests must neither call t.Parallel() nor one of
// these helpers: they could wait forever for a parallel slot taken by tests
// waiting for that lock, or for the lock itself (a wait on a holder in the
// same process fails after LockDeadlockTimeout, naming the holder).
//
//   - Isolated: the test sees an empty cluster and may use fixed topic and
//     group names (the golden scripts do). On a shared real cluster it waits
//     for every other test using the cluster, then deletes all topics and
//     groups.
//   - Bootstrap: the test shares the cluster with other tests, so it must use
//     names of its own (UniqueName). Cheaper: such tests run concurrently.
//   - SASL: a listener requiring SASL PLAIN / SCRAM-SHA-256, with its users.
//   - Embedded: always kfake, whatever KSTAR_TEST_BROKERS says. Tests that
//     need kfake-only features (fault injection, control hooks, Cluster
//     inspection) use it and so stay kfake-only.
package testbroker

import (
	"os"
	"testing"

	"github.com/kstar-dev/kstar/broker"
)

// EnvVar names the environment variable holding a real cluster's
// bootstrap servers (host:port[,host:port...]). Unset by default: tests
// run against kfake.
const EnvVar = "KSTAR_TEST_BROKERS"

// Real reports whether tests run against an external cluster (EnvVar set).
func Real() bool { return os.Getenv(EnvVar) != "" }

// Bootstrap returns bootstrap servers for one test: a new embedded broker
// (3 partitions per auto-created topic) closed when the test ends, or the
// external cluster of EnvVar. In the latter case other tests use the same
// cluster at the same time, so the test must name its topics and groups
// with UniqueName; an Isolated test never runs meanwhile.
func Bootstrap(t testing.TB) string {
	t.Helper()
	if s := os.Getenv(EnvVar); s != "" {
		lock(t, s, false)
		return s
	}
	return Embedded(t, broker.Config{}).Bootstrap()
}

// Embedded starts an in-process kfake broker for tests that need kfake
// itself (fault injection, its control hooks); it ignores EnvVar, so such
// tests stay kfake-only. The broker is closed when the test ends.
func Embedded(t testing.TB, cfg broker.Config) *broker.Broker {
	t.Helper()
	b, err := broker.Start(cfg)
	if err != nil {
		t.Fatalf("starting embedded broker: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}
