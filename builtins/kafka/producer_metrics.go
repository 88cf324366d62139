package kafka

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// producerHooks are the franz-go hooks of a KafkaProducer: they feed
// kafka-python's producer metrics (producer-metrics,
// producer-topic-metrics.<topic>, plus the connection metrics of
// netMetrics) and track the seed-broker connections for
// bootstrap_connected(). They run on franz-go's goroutines and only touch
// the registry under its lock.
type producerHooks struct {
	registry     *metricsRegistry // nil when metrics_enabled=False
	net          *netMetrics
	seedConns    atomic.Int64
	lastMetadata atomic.Int64 // unix ms of the last metadata response
	// delivered counts the records whose promise succeeded, written those
	// OnProduceBatchWritten recorded: franz-go runs that hook on a
	// goroutine of its own, after the promises, so metrics() waits for
	// written to catch up (kafka-python records a batch before it
	// completes its futures).
	delivered, written atomic.Int64
	// detached is set when the hooks are not installed (the producer
	// sends through the host's client): nothing to wait for.
	detached bool

	batchSize, compression, records, bytes, errors, throttle *metricSensor
}

var (
	_ kgo.HookProduceBatchWritten = (*producerHooks)(nil)
	_ kgo.HookBrokerConnect       = (*producerHooks)(nil)
	_ kgo.HookBrokerDisconnect    = (*producerHooks)(nil)
	_ kgo.HookBrokerThrottle      = (*producerHooks)(nil)
	_ kgo.HookBrokerE2E           = (*producerHooks)(nil)
)

const producerGroup = "producer-metrics"

func newProducerHooks(cfg *Config) *producerHooks {
	h := &producerHooks{}
	h.lastMetadata.Store(time.Now().UnixMilli())
	if !cfg.Bool("metrics_enabled") {
		return h
	}
	r := newMetricsRegistry(cfg)
	h.registry = r
	h.net = newNetMetrics(r, "producer")
	r.mu.Lock()
	defer r.mu.Unlock()
	h.batchSize, _ = r.sensor("batch-size")
	r.addStat(h.batchSize, producerGroup, "batch-size-avg", statAvg)
	r.addStat(h.batchSize, producerGroup, "batch-size-max", statMax)
	h.compression, _ = r.sensor("compression-rate")
	r.addStat(h.compression, producerGroup, "compression-rate-avg", statAvg)
	h.throttle, _ = r.sensor("produce-throttle-time")
	r.addStat(h.throttle, producerGroup, "produce-throttle-time-avg", statAvg)
	r.addStat(h.throttle, producerGroup, "produce-throttle-time-max", statMax)
	h.records, _ = r.sensor("records-per-batch")
	r.addStat(h.records, producerGroup, "record-send-rate", statRate)
	h.bytes, _ = r.sensor("bytes")
	r.addStat(h.bytes, producerGroup, "byte-rate", statRate)
	h.errors, _ = r.sensor("errors")
	r.addStat(h.errors, producerGroup, "record-error-rate", statRate)
	r.addGauge(producerGroup, "metadata-age", func() float64 {
		return float64(time.Now().UnixMilli()-h.lastMetadata.Load()) / 1000
	})
	return h
}

// all returns the hooks to install.
func (h *producerHooks) all() []kgo.Hook {
	hooks := []kgo.Hook{h}
	if h.net != nil {
		hooks = append(hooks, h.net)
	}
	return hooks
}

// topicSensors returns a topic's sensors, registering its
// producer-topic-metrics group on first use; the caller holds the lock.
func (h *producerHooks) topicSensors(topic string) (records, bytes, compression, errs *metricSensor) {
	r := h.registry
	g := "producer-topic-metrics." + topic
	var created bool
	records, created = r.sensor("topic."+topic+".records-per-batch", h.records)
	bytes, _ = r.sensor("topic."+topic+".bytes", h.bytes)
	compression, _ = r.sensor("topic." + topic + ".compression-rate")
	errs, _ = r.sensor("topic."+topic+".record-errors", h.errors)
	if created {
		r.addStat(records, g, "record-send-rate", statRate)
		r.addStat(bytes, g, "byte-rate", statRate)
		r.addStat(compression, g, "compression-rate", statAvg)
		r.addStat(errs, g, "record-error-rate", statRate)
	}
	return records, bytes, compression, errs
}

// OnProduceBatchWritten records a delivered batch: its records, its size
// (with the 61-byte v2 batch header, as kafka-python counts it) and its
// compression ratio.
func (h *producerHooks) OnProduceBatchWritten(_ kgo.BrokerMetadata, topic string, _ int32, m kgo.ProduceBatchMetrics) {
	if h.registry == nil {
		return
	}
	r := h.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	now := nowMs()
	records, bytes, compression, _ := h.topicSensors(topic)
	size := float64(m.CompressedBytes + 61)
	ratio := 1.0
	if m.UncompressedBytes > 0 {
		ratio = float64(m.CompressedBytes) / float64(m.UncompressedBytes)
	}
	r.record(records, float64(m.NumRecords), now)
	r.record(bytes, size, now)
	r.record(compression, ratio, now)
	r.record(h.batchSize, size, now)
	r.record(h.compression, ratio, now)
	h.written.Add(int64(m.NumRecords))
}

// settle waits, a second at most, until the hooks have recorded every
// batch whose records were delivered, so that metrics() after flush()
// counts them.
func (h *producerHooks) settle() {
	if h.detached {
		return
	}
	for deadline := time.Now().Add(time.Second); h.written.Load() < h.delivered.Load() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
}

// recordError counts a failed record (called from the promise).
func (h *producerHooks) recordError(topic string) {
	if h.registry == nil {
		return
	}
	r := h.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _, _, errs := h.topicSensors(topic)
	r.record(errs, 1, nowMs())
}

// OnBrokerConnect counts open seed-broker connections.
func (h *producerHooks) OnBrokerConnect(meta kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err == nil && meta.NodeID < 0 {
		h.seedConns.Add(1)
	}
}

// OnBrokerDisconnect counts closed seed-broker connections.
func (h *producerHooks) OnBrokerDisconnect(meta kgo.BrokerMetadata, _ net.Conn) {
	if meta.NodeID < 0 {
		h.seedConns.Add(-1)
	}
}

// OnBrokerThrottle records produce throttling, in ms.
func (h *producerHooks) OnBrokerThrottle(_ kgo.BrokerMetadata, interval time.Duration, _ bool) {
	if h.registry == nil {
		return
	}
	h.registry.mu.Lock()
	defer h.registry.mu.Unlock()
	h.registry.record(h.throttle, float64(interval)/float64(time.Millisecond), nowMs())
}

// OnBrokerE2E notes metadata refreshes, for metadata-age.
func (h *producerHooks) OnBrokerE2E(_ kgo.BrokerMetadata, key int16, e kgo.BrokerE2E) {
	if key == int16(kmsg.Metadata) && e.Err() == nil {
		h.lastMetadata.Store(time.Now().UnixMilli())
	}
}
