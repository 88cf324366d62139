package builtins

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
)

// What a host embedding kstar controls beyond the Env's plain fields: how
// scripts' Kafka clients are opened (host options, a host-owned client),
// and the records it hands to scripts.

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
// With Env.HostClient set, producers and admin clients get the host's
// client itself (shared is true: flush it, never close it) and consumers a
// new client using the host client's brokers, dialer, TLS and SASL.
// Env.ClientOptions are applied last, so they win; a DialTLSConfig among
// them replaces the script's own dialer.
func (env *Env) OpenClient(kind ClientKind, opts []kgo.Opt) (cl *kgo.Client, shared bool, err error) {
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
		return nil, false, Errorf(KafkaConfigurationError, "%v", err)
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

// allowedList renders an allow-list for an error message.
func allowedList(list []string) string {
	if len(list) == 0 {
		return "the host allows none"
	}
	return "allowed: " + strings.Join(list, ", ")
}

// TopicAllowed reports whether env's allow-list lets scripts use topic
// (always, when the host set none).
func (env *Env) TopicAllowed(topic string) bool {
	if env.AllowedTopics == nil {
		return true
	}
	for _, t := range env.AllowedTopics {
		if t == topic {
			return true
		}
	}
	return false
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
