package testbroker

import (
	"os"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/kstar-dev/kstar/broker"
)

// Environment variables naming a real cluster's SASL_PLAINTEXT listener and
// its users (as user:password); run-broker.sh prints all three. Unset by
// default.
const (
	SASLEnvVar  = "KSTAR_TEST_SASL_BROKERS"
	PlainEnvVar = "KSTAR_TEST_SASL_PLAIN"
	ScramEnvVar = "KSTAR_TEST_SASL_SCRAM"
)

// SASLBroker is a listener that requires SASL, with one user per mechanism.
type SASLBroker struct {
	// Bootstrap is the listener's bootstrap servers.
	Bootstrap string
	// PlainUser and PlainPassword log in with SASL PLAIN.
	PlainUser, PlainPassword string
	// ScramUser and ScramPassword log in with SCRAM-SHA-256.
	ScramUser, ScramPassword string
}

// Default users of SASL, the same as run-broker.sh's.
const (
	defaultPlain = "alice:alice-secret"
	defaultScram = "bob:bob-secret"
)

// SASL returns a listener requiring SASL (PLAIN and SCRAM-SHA-256). With
// kfake it is a new embedded broker where both users are superusers; with
// EnvVar set it is SASLEnvVar's listener (the test is skipped when that is
// unset), shared with other tests like Bootstrap's.
func SASL(t testing.TB) SASLBroker {
	t.Helper()
	plain, scram := defaultPlain, defaultScram
	if s := os.Getenv(EnvVar); s != "" {
		b := os.Getenv(SASLEnvVar)
		if b == "" {
			t.Skipf("%s is set but %s is not: no SASL listener to test against", EnvVar, SASLEnvVar)
		}
		lock(t, s, false)
		if v := os.Getenv(PlainEnvVar); v != "" {
			plain = v
		}
		if v := os.Getenv(ScramEnvVar); v != "" {
			scram = v
		}
		return newSASLBroker(b, plain, scram)
	}
	sb := newSASLBroker("", plain, scram)
	sb.Bootstrap = Embedded(t, broker.Config{Options: []kfake.Opt{
		kfake.EnableSASL(),
		kfake.Superuser("PLAIN", sb.PlainUser, sb.PlainPassword),
		kfake.Superuser("SCRAM-SHA-256", sb.ScramUser, sb.ScramPassword),
	}}).Bootstrap()
	return sb
}

func newSASLBroker(bootstrap, plain, scram string) SASLBroker {
	sb := SASLBroker{Bootstrap: bootstrap}
	sb.PlainUser, sb.PlainPassword, _ = strings.Cut(plain, ":")
	sb.ScramUser, sb.ScramPassword, _ = strings.Cut(scram, ":")
	return sb
}
