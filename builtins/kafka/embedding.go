package kafka

import (
	"context"
	"crypto/tls"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// What a host embedding kstar controls of scripts' Kafka clients: which
// brokers and topics they may use, how they are opened (host options, a
// host-owned client), when they are shut down, and the records it hands to
// scripts.

// DefaultBootstrapServers is kafka-python's default broker address,
// used when neither the script nor the host names one.
const DefaultBootstrapServers = "localhost:9092"

// Client is a Kafka client opened by a script. The runtime shuts every
// client down when the script ends (or the REPL exits), on the script's
// thread, so pending callbacks still run and buffered records are flushed.
type Client interface {
	// Shutdown flushes and closes the client, waiting at most timeout.
	Shutdown(thread *starlark.Thread, timeout time.Duration) error
}

// KafkaEnv is the host side of a running script that its Kafka clients
// see: which brokers and topics they may use, the host's client options,
// and the clients open, which the runtime shuts down at the end.
type KafkaEnv struct {
	// BootstrapServers is used by clients that pass no bootstrap_servers.
	// Default: DefaultBootstrapServers.
	BootstrapServers string
	// AllowedBrokers, when non-nil, is the only set of broker addresses a
	// script's clients may connect to.
	AllowedBrokers []string
	// AllowedTopics, when non-nil, is the only set of topics a script's
	// clients may touch: produce to, fetch from, see in metadata and
	// listings, read or change the configs, offsets, records and
	// partitions of. Default: nil, every topic.
	AllowedTopics []string
	// AllowedGroups, when non-nil, is the only set of consumer group ids
	// a script's clients may join, commit for, list, describe or
	// administer. Default: nil, every group.
	AllowedGroups []string
	// ClientOptions are appended to the franz-go options of every client
	// a script's KafkaProducer, KafkaConsumer or KafkaAdminClient opens,
	// so they win over the script's config (credentials, TLS, a dialer,
	// seed brokers). Default: none.
	ClientOptions []kgo.Opt
	// HostClient, when set, is a franz-go client the host owns: a script's
	// KafkaProducer and KafkaAdminClient send through it instead of
	// connecting (their close() flushes it but never closes it), and a
	// KafkaConsumer opens its own client with its brokers, dialer, TLS and
	// SASL (a consumer's group membership and positions cannot be shared).
	// Default: nil, every client connects on its own.
	HostClient *kgo.Client
	// ReadFile reads the files config keys name (ssl_cafile, ssl_certfile,
	// ssl_keyfile, ssl_crlfile); it returns an error wrapping
	// fs.ErrPermission to refuse one. Default: nil, os.ReadFile.
	ReadFile func(name string) ([]byte, error)

	mu      sync.Mutex
	clients []Client
	checks  []func() error // see CheckAtEnd
}

// kafkaEnvKey is the thread-local key under which the KafkaEnv is stored.
const kafkaEnvKey = "kstar.kafka"

// NewKafkaEnv returns a KafkaEnv with the defaults documented on its fields.
func NewKafkaEnv() *KafkaEnv {
	return &KafkaEnv{BootstrapServers: DefaultBootstrapServers}
}

// Attach stores env in thread so the Kafka classes can find it with
// KafkaEnvOf.
func (env *KafkaEnv) Attach(thread *starlark.Thread) { thread.SetLocal(kafkaEnvKey, env) }

// KafkaEnvOf returns the KafkaEnv attached to thread, or a default one if
// none is.
func KafkaEnvOf(thread *starlark.Thread) *KafkaEnv {
	if env, ok := thread.Local(kafkaEnvKey).(*KafkaEnv); ok {
		return env
	}
	env := NewKafkaEnv()
	env.Attach(thread)
	return env
}

// Track registers a client to be shut down when the script ends.
func (env *KafkaEnv) Track(c Client) {
	env.mu.Lock()
	env.clients = append(env.clients, c)
	env.mu.Unlock()
}

// HasClients reports whether clients are tracked (opened and not closed).
func (env *KafkaEnv) HasClients() bool {
	env.mu.Lock()
	defer env.mu.Unlock()
	return len(env.clients) > 0
}

// Untrack forgets a client that the script closed itself.
func (env *KafkaEnv) Untrack(c Client) {
	env.mu.Lock()
	defer env.mu.Unlock()
	for i, x := range env.clients {
		if x == c {
			env.clients = append(env.clients[:i], env.clients[i+1:]...)
			return
		}
	}
}

// CheckAtEnd registers check to run when Shutdown has shut the clients
// down, closed or not (a producer's check that its records were
// delivered).
func (env *KafkaEnv) CheckAtEnd(check func() error) {
	env.mu.Lock()
	env.checks = append(env.checks, check)
	env.mu.Unlock()
}

// Shutdown shuts down every tracked client in reverse order of creation,
// each bounded by timeout, then runs the checks of CheckAtEnd, and
// returns the first error. The consumers close together, when the last
// one created comes: one at a time, a consumer could wait for a rebalance
// that another one, not yet closed, holds up (see closeConsumers).
func (env *KafkaEnv) Shutdown(thread *starlark.Thread, timeout time.Duration) error {
	env.mu.Lock()
	clients, checks := env.clients, env.checks
	env.clients, env.checks = nil, nil
	env.mu.Unlock()
	var consumers []*KafkaConsumer
	for i := len(clients) - 1; i >= 0; i-- {
		if c, ok := clients[i].(*KafkaConsumer); ok {
			consumers = append(consumers, c)
		}
	}
	var first error
	for i := len(clients) - 1; i >= 0; i-- {
		var err error
		if c, ok := clients[i].(*KafkaConsumer); !ok {
			err = clients[i].Shutdown(thread, timeout)
		} else if c == consumers[0] {
			err = closeConsumers(thread, consumers, true, timeout)
		}
		if err != nil && first == nil {
			first = err
		}
	}
	for _, check := range checks {
		if err := check(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ClientKind says which kind of script object a franz-go client is for.
type ClientKind int

// The kinds of clients scripts open.
const (
	ProducerClient ClientKind = iota
	ConsumerClient
	AdminClient
)

// OpenClient opens the franz-go client behind a script's KafkaProducer,
// KafkaConsumer or KafkaAdminClient from the options its config produced.
// With KafkaEnv.HostClient set, producers and admin clients get the host's
// client itself (shared is true: flush it, never close it) and consumers a
// new client using the host client's brokers, dialer, TLS and SASL.
// KafkaEnv.ClientOptions are applied last, so they win; a DialTLSConfig among
// them replaces the script's own dialer.
func (env *KafkaEnv) OpenClient(kind ClientKind, opts []kgo.Opt) (cl *kgo.Client, shared bool, err error) {
	if env.HostClient != nil {
		if kind != ConsumerClient {
			return env.HostClient, true, nil
		}
		opts = append(opts, hostConnOpts(env.HostClient)...)
	}
	opts = append(opts, env.ClientOptions...)
	cl, err = kgo.NewClient(opts...)
	if err != nil && strings.Contains(err.Error(), "both Dialer and DialTLSConfig") {
		// The host's TLS config replaces the dialer clientOpts installed.
		cl, err = kgo.NewClient(append(opts, kgo.Dialer(nil))...)
	}
	if err != nil {
		return nil, false, py.Errorf(KafkaConfigurationError, "%v", err)
	}
	return cl, false, nil
}

// hostConnOpts are the connection settings of the host's client: its seed
// brokers, SASL mechanisms, and its dialer or TLS config (replacing the
// script's, which connected as the script's config said).
func hostConnOpts(host *kgo.Client) []kgo.Opt {
	var opts []kgo.Opt
	if seeds, _ := host.OptValue(kgo.SeedBrokers).([]string); len(seeds) > 0 {
		opts = append(opts, kgo.SeedBrokers(seeds...))
	}
	if mechs, _ := host.OptValue(kgo.SASL).([]sasl.Mechanism); len(mechs) > 0 {
		opts = append(opts, kgo.SASL(mechs...))
	}
	dial, _ := host.OptValue(kgo.Dialer).(func(context.Context, string, string) (net.Conn, error))
	tlsCfg, _ := host.OptValue(kgo.DialTLSConfig).(*tls.Config)
	switch {
	case dial != nil:
		opts = append(opts, kgo.Dialer(dial))
	case tlsCfg != nil:
		opts = append(opts, kgo.Dialer(nil), kgo.DialTLSConfig(tlsCfg.Clone()))
	default:
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		opts = append(opts, kgo.Dialer(d.DialContext))
	}
	return opts
}

// BrokerSeeds returns the seed brokers of a franz-go client as
// bootstrap_servers ("host:port,host:port").
func BrokerSeeds(cl *kgo.Client) string {
	seeds, _ := cl.OptValue(kgo.SeedBrokers).([]string)
	return strings.Join(seeds, ",")
}

// AllowedList renders an allow-list for an error message: "allowed: a, b",
// or "the host allows none".
func AllowedList(list []string) string {
	if len(list) == 0 {
		return "the host allows none"
	}
	return "allowed: " + strings.Join(list, ", ")
}

// TopicAllowed reports whether env's allow-list lets scripts use topic
// (always, when the host set none).
func (env *KafkaEnv) TopicAllowed(topic string) bool {
	return env.AllowedTopics == nil || slices.Contains(env.AllowedTopics, topic)
}

// CheckTopic returns the TopicAuthorizationFailedError a script gets for
// touching a topic the host does not allow, as a broker's ACL would
// refuse it, or nil.
func (env *KafkaEnv) CheckTopic(topic string) error {
	if env.TopicAllowed(topic) {
		return nil
	}
	return py.Errorf(BrokerError(kerr.TopicAuthorizationFailed.Code), "topic %s is not allowed here (%s)", py.QuoteString(topic), AllowedList(env.AllowedTopics))
}

// GroupAllowed reports whether env's allow-list lets scripts use the
// consumer group (always, when the host set none).
func (env *KafkaEnv) GroupAllowed(group string) bool {
	return env.AllowedGroups == nil || slices.Contains(env.AllowedGroups, group)
}

// CheckGroup returns the GroupAuthorizationFailedError a script gets for
// joining, committing for or administering a group the host does not
// allow, or nil.
func (env *KafkaEnv) CheckGroup(group string) error {
	if env.GroupAllowed(group) {
		return nil
	}
	return py.Errorf(BrokerError(kerr.GroupAuthorizationFailed.Code), "group %s is not allowed here (%s)", py.QuoteString(group), AllowedList(env.AllowedGroups))
}

// NewConsumerRecord wraps a franz-go record as the ConsumerRecord a
// KafkaConsumer yields for it (raw bytes key and value), for hosts that
// hand records to scripts. The record must not change afterwards.
func NewConsumerRecord(r *kgo.Record) *ConsumerRecord { return newConsumerRecord(r, nil, nil) }

// Inherited reports whether field i (in kafka-python's order: topic 0,
// partition 1, offset 2, timestamp 3, key 5, value 6, headers 7) is still
// the fetched record's own raw value, so a host may read it from Record()
// instead of making a Starlark value: not replaced by _replace, not
// deserialized, and the record not made by calling ConsumerRecord(...).
func (cr *ConsumerRecord) Inherited(i int) bool {
	switch {
	case cr.rec == nil:
		return false
	case cr.more == nil:
		return true
	case cr.more.fixed != nil && cr.more.fixed[i] != nil:
		return false
	case i == crKey:
		return cr.more.key == nil
	case i == crValue:
		return cr.more.value == nil
	}
	return true
}
