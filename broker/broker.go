// Package broker runs kstar's embedded Kafka broker: franz-go's in-process
// kfake cluster, set up so that kafka-python-style scripts work against it
// unchanged (topics are created on first use, by any client).
package broker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Config says where and how the broker runs.
type Config struct {
	// Port is the first broker's port on 127.0.0.1; further brokers use
	// the ports after it. 0 picks free ports. Default: 0.
	Port int
	// Brokers is the number of brokers. Default: 1.
	Brokers int
	// Partitions is the partition count of auto-created topics. Default: 3.
	Partitions int
	// Options are extra kfake options (SASL, TLS, seed topics...).
	Options []kfake.Opt
}

// Broker is a running embedded cluster.
type Broker struct {
	cluster *kfake.Cluster
}

// PortInUseError reports that the requested port is taken.
type PortInUseError struct{ Port int }

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d is already in use on 127.0.0.1", e.Port)
}

// Start starts a cluster on 127.0.0.1.
func Start(cfg Config) (*Broker, error) {
	if cfg.Brokers <= 0 {
		cfg.Brokers = 1
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 3
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(cfg.Brokers),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(cfg.Partitions),
		// Short session timeouts let tests and scripts see a crashed group
		// member leave quickly.
		kfake.GroupMinSessionTimeout(100 * time.Millisecond),
	}
	if cfg.Port > 0 {
		ports := make([]int, cfg.Brokers)
		for i := range ports {
			ports[i] = cfg.Port + i
			if err := checkPort(ports[i]); err != nil {
				return nil, err
			}
		}
		opts = append(opts, kfake.Ports(ports...))
	}
	opts = append(opts, cfg.Options...)
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, &PortInUseError{Port: cfg.Port}
		}
		return nil, err
	}
	allowAutoCreateOnOldMetadata(c)
	if err := advertiseProduceV0(c); err != nil {
		c.Close()
		return nil, err
	}
	return &Broker{cluster: c}, nil
}

func checkPort(port int) error {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return &PortInUseError{Port: port}
	}
	return l.Close()
}

// allowAutoCreateOnOldMetadata makes Metadata v0-v3 requests auto-create
// topics, as Apache Kafka does (the field defaults to true before v4);
// kafka-python 2.0.2 only sends v0/v1, and kfake would otherwise never
// create a topic for it.
func allowAutoCreateOnOldMetadata(c *kfake.Cluster) {
	c.ControlKey(int16(kmsg.Metadata), func(r kmsg.Request) (kmsg.Response, error, bool) {
		if m := r.(*kmsg.MetadataRequest); m.Version < 4 && m.Topics != nil {
			m.AllowAutoTopicCreation = true
		}
		return nil, nil, false
	})
}

// advertiseProduceV0 makes ApiVersions v0-v3 list Produce from v0, as
// Apache Kafka 4 does (KAFKA-18659) although, like it, kfake serves only
// v3+: librdkafka before 2.10 (Debian's kcat) checks for Produce v0 and
// otherwise sends gzip, snappy and lz4 batches uncompressed. It asks the
// cluster for its ApiVersions once and answers later requests with a copy.
func advertiseProduceV0(c *kfake.Cluster) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()[0]))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	versions, err := kmsg.NewPtrApiVersionsRequest().RequestWith(ctx, cl)
	if err != nil {
		return fmt.Errorf("reading the embedded broker's ApiVersions: %w", err)
	}
	for i := range versions.ApiKeys {
		if versions.ApiKeys[i].ApiKey == int16(kmsg.Produce) {
			versions.ApiKeys[i].MinVersion = 0
		}
	}
	c.ControlKey(int16(kmsg.ApiVersions), func(r kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req := r.(*kmsg.ApiVersionsRequest)
		// Newer versions, and v3 requests kfake would reject, are kfake's.
		if req.Version > 3 || req.Version == 3 && !(softwareName.MatchString(req.ClientSoftwareName) && softwareName.MatchString(req.ClientSoftwareVersion)) {
			return nil, nil, false
		}
		resp := *versions
		resp.ApiKeys = slices.Clone(versions.ApiKeys)
		resp.SetVersion(req.Version)
		return &resp, nil, true
	})
	return nil
}

// softwareName is what Kafka accepts as ApiVersions' client software name
// and version (KIP-511).
var softwareName = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$`)

// Addrs returns the brokers' host:port addresses.
func (b *Broker) Addrs() []string { return b.cluster.ListenAddrs() }

// Bootstrap returns the addresses joined by commas, as bootstrap_servers.
func (b *Broker) Bootstrap() string { return strings.Join(b.Addrs(), ",") }

// Cluster exposes the kfake cluster (for tests that inject faults).
func (b *Broker) Cluster() *kfake.Cluster { return b.cluster }

// Close stops the broker.
func (b *Broker) Close() { b.cluster.Close() }
