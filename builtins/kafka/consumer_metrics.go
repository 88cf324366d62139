package kafka

import (
	"math"
	"net"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"
)

// consumerMetrics feeds KafkaConsumer.metrics() through franz-go hooks,
// in kafka-python 2.0.2's groups and names: <prefix>-metrics and the
// per-node groups (shared with the other clients, see metrics.go),
// <prefix>-fetch-manager-metrics and <prefix>-coordinator-metrics.
type consumerMetrics struct {
	r       *metricsRegistry
	net     *netMetrics
	enabled bool

	fetchLatency, fetchSize, recordsFetched, bytesFetched *metricSensor
	heartbeat, join, sync, commit                         *metricSensor

	seedConns atomic.Int64
	lastHB    atomic.Int64 // ms
	assigned  atomic.Int64
	lag       atomic.Value // func() float64, read on the script's thread
}

var (
	_ kgo.HookBrokerConnect    = (*consumerMetrics)(nil)
	_ kgo.HookBrokerDisconnect = (*consumerMetrics)(nil)
	_ kgo.HookBrokerE2E        = (*consumerMetrics)(nil)
	_ kgo.HookFetchBatchRead   = (*consumerMetrics)(nil)
)

func newConsumerMetrics(cfg *Config) *consumerMetrics {
	prefix := cfg.String("metric_group_prefix")
	r := newMetricsRegistry(cfg)
	m := &consumerMetrics{r: r, enabled: cfg.Bool("metrics_enabled")}
	m.net = newNetMetrics(r, prefix)
	r.mu.Lock()
	defer r.mu.Unlock()
	fg := prefix + "-fetch-manager-metrics"
	m.fetchSize, _ = r.sensor("fetch-size")
	r.addStat(m.fetchSize, fg, "fetch-size-avg", statAvg)
	r.addStat(m.fetchSize, fg, "fetch-size-max", statMax)
	m.bytesFetched, _ = r.sensor("bytes-fetched")
	r.addStat(m.bytesFetched, fg, "bytes-consumed-rate", statRate)
	m.recordsFetched, _ = r.sensor("records-fetched")
	r.addStat(m.recordsFetched, fg, "records-per-request-avg", statAvg)
	r.addStat(m.recordsFetched, fg, "records-consumed-rate", statRate)
	m.fetchLatency, _ = r.sensor("fetch-latency")
	r.addStat(m.fetchLatency, fg, "fetch-latency-avg", statAvg)
	r.addStat(m.fetchLatency, fg, "fetch-latency-max", statMax)
	r.addStat(m.fetchLatency, fg, "fetch-rate", statCountRate)
	r.addGauge(fg, "records-lag-max", func() float64 {
		if fn, ok := m.lag.Load().(func() float64); ok {
			return fn()
		}
		return math.Inf(-1)
	})
	throttle, _ := r.sensor("fetch-throttle-time")
	r.addStat(throttle, fg, "fetch-throttle-time-avg", statAvg)
	r.addStat(throttle, fg, "fetch-throttle-time-max", statMax)

	cg := prefix + "-coordinator-metrics"
	m.heartbeat, _ = r.sensor("heartbeat-latency")
	r.addStat(m.heartbeat, cg, "heartbeat-response-time-max", statMax)
	r.addStat(m.heartbeat, cg, "heartbeat-rate", statCountRate)
	m.join, _ = r.sensor("join-latency")
	r.addStat(m.join, cg, "join-time-avg", statAvg)
	r.addStat(m.join, cg, "join-time-max", statMax)
	r.addStat(m.join, cg, "join-rate", statCountRate)
	m.sync, _ = r.sensor("sync-latency")
	r.addStat(m.sync, cg, "sync-time-avg", statAvg)
	r.addStat(m.sync, cg, "sync-time-max", statMax)
	r.addStat(m.sync, cg, "sync-rate", statCountRate)
	m.commit, _ = r.sensor("commit-latency")
	r.addStat(m.commit, cg, "commit-latency-avg", statAvg)
	r.addStat(m.commit, cg, "commit-latency-max", statMax)
	r.addStat(m.commit, cg, "commit-rate", statCountRate)
	r.addGauge(cg, "assigned-partitions", func() float64 { return float64(m.assigned.Load()) })
	r.addGauge(cg, "last-heartbeat-seconds-ago", func() float64 {
		if last := m.lastHB.Load(); last > 0 {
			return float64(nowMs()-last) / 1000
		}
		return math.Inf(1)
	})
	return m
}

func (m *consumerMetrics) record(s *metricSensor, v float64) {
	m.r.mu.Lock()
	m.r.record(s, v, nowMs())
	m.r.mu.Unlock()
}

// OnBrokerConnect counts connections (seed connections apart, for
// bootstrap_connected).
func (m *consumerMetrics) OnBrokerConnect(meta kgo.BrokerMetadata, d time.Duration, conn net.Conn, err error) {
	if err == nil && meta.NodeID < 0 {
		m.seedConns.Add(1)
	}
	m.net.OnBrokerConnect(meta, d, conn, err)
}

// OnBrokerDisconnect counts closed connections.
func (m *consumerMetrics) OnBrokerDisconnect(meta kgo.BrokerMetadata, conn net.Conn) {
	if meta.NodeID < 0 {
		m.seedConns.Add(-1)
	}
	m.net.OnBrokerDisconnect(meta, conn)
}

// OnBrokerE2E records request metrics, and fetch and group latencies.
func (m *consumerMetrics) OnBrokerE2E(meta kgo.BrokerMetadata, key int16, e kgo.BrokerE2E) {
	m.net.OnBrokerE2E(meta, key, e)
	if e.Err() != nil {
		return
	}
	latency := float64(e.DurationE2E()) / float64(time.Millisecond)
	switch kmsg.Key(key) {
	case kmsg.Fetch:
		m.r.mu.Lock()
		now := nowMs()
		m.r.record(m.fetchLatency, latency, now)
		m.r.record(m.fetchSize, float64(e.BytesRead), now)
		m.r.mu.Unlock()
	case kmsg.Heartbeat:
		m.record(m.heartbeat, latency)
		m.lastHB.Store(nowMs())
	case kmsg.JoinGroup:
		m.record(m.join, latency)
	case kmsg.SyncGroup:
		m.record(m.sync, latency)
	}
}

// OnFetchBatchRead counts fetched records and bytes.
func (m *consumerMetrics) OnFetchBatchRead(_ kgo.BrokerMetadata, _ string, _ int32, fm kgo.FetchBatchMetrics) {
	m.r.mu.Lock()
	now := nowMs()
	m.r.record(m.recordsFetched, float64(fm.NumRecords), now)
	m.r.record(m.bytesFetched, float64(fm.UncompressedBytes), now)
	m.r.mu.Unlock()
}

// commitDone records one commit's latency.
func (m *consumerMetrics) commitDone(d time.Duration, ok bool) {
	if ok {
		m.record(m.commit, float64(d)/float64(time.Millisecond))
	}
}

func (m *consumerMetrics) setAssigned(n int) { m.assigned.Store(int64(n)) }

// seedConnected reports whether a bootstrap (seed) connection is open.
func (m *consumerMetrics) seedConnected() bool { return m.seedConns.Load() > 0 }

// snapshot returns metrics()'s dict, None when metrics_enabled=False.
func (m *consumerMetrics) snapshot(c *KafkaConsumer) starlark.Value {
	if !m.enabled {
		return starlark.None
	}
	lag := math.Inf(-1)
	for _, ps := range c.parts {
		if ps.highwater >= 0 && ps.position >= 0 {
			lag = math.Max(lag, float64(ps.highwater-ps.position))
		}
	}
	m.lag.Store(func() float64 { return lag })
	m.setAssigned(len(c.parts))
	return m.r.Dict()
}
