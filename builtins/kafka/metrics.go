package kafka

import (
	"math"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.starlark.net/starlark"
)

// This file ports the part of kafka-python's kafka.metrics package that
// clients' metrics() methods show: sensors feeding sampled statistics
// (Avg, Max, Rate) over metrics_num_samples windows of
// metrics_sample_window_ms, grouped as {group: {name: value}}. The values
// are fed by franz-go hooks (on franz-go's goroutines, under the
// registry's lock) and read on the script's thread.

// statKind is one kind of kafka-python measurable statistic.
type statKind int

const (
	statAvg       statKind = iota // Avg(): sum / count of the values in the window
	statMax                       // Max(): the largest value in the window
	statRate                      // Rate(): sum of the values per second
	statCountRate                 // Rate(sampled_stat=Count()): events per second
)

// metricSample is one window of a sampled statistic.
type metricSample struct {
	value  float64
	events int64
	start  int64 // ms
}

// sampledStat is kafka-python's AbstractSampledStat with its subclasses.
type sampledStat struct {
	kind    statKind
	samples []metricSample
	current int
}

func (s *sampledStat) initial() float64 {
	if s.kind == statMax {
		return math.Inf(-1)
	}
	return 0
}

func (s *sampledStat) record(r *metricsRegistry, v float64, now int64) {
	if len(s.samples) == 0 {
		s.samples = append(s.samples, metricSample{value: s.initial(), start: now})
	}
	cur := &s.samples[s.current]
	if now-cur.start >= r.window {
		s.current = (s.current + 1) % r.numSamples
		if s.current >= len(s.samples) {
			s.samples = append(s.samples, metricSample{value: s.initial(), start: now})
		} else {
			s.samples[s.current] = metricSample{value: s.initial(), start: now}
		}
		cur = &s.samples[s.current]
	}
	switch s.kind {
	case statMax:
		cur.value = math.Max(cur.value, v)
	case statCountRate:
		cur.value++
	default:
		cur.value += v
	}
	cur.events++
}

func (s *sampledStat) measure(r *metricsRegistry, now int64) float64 {
	expire := int64(r.numSamples) * r.window
	for i := range s.samples {
		if now-s.samples[i].start >= expire {
			s.samples[i] = metricSample{value: s.initial(), start: now}
		}
	}
	switch s.kind {
	case statAvg:
		var sum float64
		var n int64
		for _, x := range s.samples {
			sum += x.value
			n += x.events
		}
		if n == 0 {
			return 0
		}
		return sum / float64(n)
	case statMax:
		m := math.Inf(-1)
		for _, x := range s.samples {
			m = math.Max(m, x.value)
		}
		return m
	}
	// Rate: the total over the elapsed time since the oldest sample,
	// assuming at least numSamples-1 full windows (kafka-python's
	// Rate.window_size).
	var total float64
	oldest := now
	for _, x := range s.samples {
		total += x.value
		oldest = min(oldest, x.start)
	}
	elapsed := now - oldest
	if full := elapsed / r.window; full < int64(r.numSamples-1) {
		elapsed += (int64(r.numSamples-1) - full) * r.window
	}
	if elapsed <= 0 {
		return 0
	}
	return total / (float64(elapsed) / 1000)
}

// metricSensor records values into its statistics and its parents'.
type metricSensor struct {
	stats   []*sampledStat
	parents []*metricSensor
}

// metric is one named value of metrics(): a statistic or a gauge.
type metric struct {
	group, name string
	stat        *sampledStat
	gauge       func() float64
}

// metricsRegistry is kafka-python's Metrics object for one client.
type metricsRegistry struct {
	mu         sync.Mutex
	numSamples int
	window     int64 // ms
	sensors    map[string]*metricSensor
	metrics    []*metric
	index      map[[2]string]bool
}

// newMetricsRegistry returns a registry sampling as the config says
// (metrics_num_samples, metrics_sample_window_ms); it already holds
// kafka-python's kafka-metrics-count metric.
func newMetricsRegistry(cfg *Config) *metricsRegistry {
	r := &metricsRegistry{
		numSamples: int(max(cfg.Int("metrics_num_samples", 2), 1)),
		window:     max(cfgDuration(cfg, "metrics_sample_window_ms").Milliseconds(), 1),
		sensors:    map[string]*metricSensor{},
		index:      map[[2]string]bool{},
	}
	r.addGauge("kafka-metrics-count", "count", func() float64 { return float64(len(r.metrics)) })
	return r
}

func nowMs() int64 { return time.Now().UnixMilli() }

// sensor returns the named sensor, creating it with the given parents;
// the caller holds r.mu.
func (r *metricsRegistry) sensor(name string, parents ...*metricSensor) (s *metricSensor, created bool) {
	if s, ok := r.sensors[name]; ok {
		return s, false
	}
	s = &metricSensor{parents: parents}
	r.sensors[name] = s
	return s, true
}

// addStat registers group/name as a statistic of kind fed by s; the
// caller holds r.mu.
func (r *metricsRegistry) addStat(s *metricSensor, group, name string, kind statKind) {
	if r.index[[2]string{group, name}] {
		return
	}
	st := &sampledStat{kind: kind}
	s.stats = append(s.stats, st)
	r.index[[2]string{group, name}] = true
	r.metrics = append(r.metrics, &metric{group: group, name: name, stat: st})
}

// addGauge registers group/name as a value computed when read; fn runs
// with r.mu held.
func (r *metricsRegistry) addGauge(group, name string, fn func() float64) {
	if r.index[[2]string{group, name}] {
		return
	}
	r.index[[2]string{group, name}] = true
	r.metrics = append(r.metrics, &metric{group: group, name: name, gauge: fn})
}

// record feeds v to s and its parents; the caller holds r.mu.
func (r *metricsRegistry) record(s *metricSensor, v float64, now int64) {
	for _, st := range s.stats {
		st.record(r, v, now)
	}
	for _, p := range s.parents {
		r.record(p, v, now)
	}
}

// Dict returns the metrics as kafka-python's metrics() does: a dict of
// groups, in registration order, each a dict of metric name to float.
func (r *metricsRegistry) Dict() *starlark.Dict {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := nowMs()
	out := starlark.NewDict(8)
	groups := map[string]*starlark.Dict{}
	for _, m := range r.metrics {
		g, ok := groups[m.group]
		if !ok {
			g = starlark.NewDict(16)
			groups[m.group] = g
			_ = out.SetKey(starlark.String(m.group), g)
		}
		var v float64
		if m.gauge != nil {
			v = m.gauge()
		} else {
			v = m.stat.measure(r, now)
		}
		_ = g.SetKey(starlark.String(m.name), starlark.Float(v))
	}
	return out
}

// netMetrics is a franz-go hook feeding kafka-python's connection metrics
// ("<prefix>-metrics" and "<prefix>-node-metrics.node-N", prefix being
// producer, consumer or admin).
type netMetrics struct {
	r      *metricsRegistry
	prefix string
	conns  int64
	nodes  map[int32]*nodeSensors
}

type nodeSensors struct{ sent, received, latency *metricSensor }

var (
	_ kgo.HookBrokerConnect    = (*netMetrics)(nil)
	_ kgo.HookBrokerDisconnect = (*netMetrics)(nil)
	_ kgo.HookBrokerE2E        = (*netMetrics)(nil)
)

// newNetMetrics registers the connection metrics of a client in r and
// returns the hook that feeds them (install it with kgo.WithHooks).
func newNetMetrics(r *metricsRegistry, prefix string) *netMetrics {
	m := &netMetrics{r: r, prefix: prefix, nodes: map[int32]*nodeSensors{}}
	r.mu.Lock()
	defer r.mu.Unlock()
	g := prefix + "-metrics"
	closed, _ := r.sensor("connections-closed")
	r.addStat(closed, g, "connection-close-rate", statRate)
	created, _ := r.sensor("connections-created")
	r.addStat(created, g, "connection-creation-rate", statRate)
	io, _ := r.sensor("bytes-sent-received")
	r.addStat(io, g, "network-io-rate", statCountRate)
	sent, _ := r.sensor("bytes-sent", io)
	r.addStat(sent, g, "outgoing-byte-rate", statRate)
	r.addStat(sent, g, "request-rate", statCountRate)
	r.addStat(sent, g, "request-size-avg", statAvg)
	r.addStat(sent, g, "request-size-max", statMax)
	recv, _ := r.sensor("bytes-received", io)
	r.addStat(recv, g, "incoming-byte-rate", statRate)
	r.addStat(recv, g, "response-rate", statCountRate)
	lat, _ := r.sensor("request-latency")
	r.addStat(lat, g, "request-latency-avg", statAvg)
	r.addStat(lat, g, "request-latency-max", statMax)
	r.addGauge(g, "connection-count", func() float64 { return float64(m.conns) })
	return m
}

// nodeName is kafka-python's name for a broker: node-<id>, or
// node-bootstrap-<i> for the i-th seed broker.
func nodeName(id int32) string {
	if id < 0 {
		return "node-bootstrap-" + strconv.Itoa(int(id-math.MinInt32))
	}
	return "node-" + strconv.Itoa(int(id))
}

// node returns a broker's sensors, registering its group on first use;
// the caller holds r.mu.
func (m *netMetrics) node(id int32) *nodeSensors {
	if n, ok := m.nodes[id]; ok {
		return n
	}
	r := m.r
	name := nodeName(id)
	g := m.prefix + "-node-metrics." + name
	gSent, _ := r.sensor("bytes-sent")
	gRecv, _ := r.sensor("bytes-received")
	gLat, _ := r.sensor("request-latency")
	n := &nodeSensors{}
	n.sent, _ = r.sensor(name+".bytes-sent", gSent)
	r.addStat(n.sent, g, "outgoing-byte-rate", statRate)
	r.addStat(n.sent, g, "request-rate", statCountRate)
	r.addStat(n.sent, g, "request-size-avg", statAvg)
	r.addStat(n.sent, g, "request-size-max", statMax)
	n.received, _ = r.sensor(name+".bytes-received", gRecv)
	r.addStat(n.received, g, "incoming-byte-rate", statRate)
	r.addStat(n.received, g, "response-rate", statCountRate)
	n.latency, _ = r.sensor(name+".latency", gLat)
	r.addStat(n.latency, g, "request-latency-avg", statAvg)
	r.addStat(n.latency, g, "request-latency-max", statMax)
	m.nodes[id] = n
	return n
}

// OnBrokerConnect counts a new connection.
func (m *netMetrics) OnBrokerConnect(meta kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err != nil {
		return
	}
	m.r.mu.Lock()
	defer m.r.mu.Unlock()
	s, _ := m.r.sensor("connections-created")
	m.r.record(s, 1, nowMs())
	m.conns++
	m.node(meta.NodeID)
}

// OnBrokerDisconnect counts a closed connection.
func (m *netMetrics) OnBrokerDisconnect(kgo.BrokerMetadata, net.Conn) {
	m.r.mu.Lock()
	defer m.r.mu.Unlock()
	s, _ := m.r.sensor("connections-closed")
	m.r.record(s, 1, nowMs())
	m.conns--
}

// OnBrokerE2E records one request: its size, its response's size and
// its latency in ms.
func (m *netMetrics) OnBrokerE2E(meta kgo.BrokerMetadata, _ int16, e kgo.BrokerE2E) {
	m.r.mu.Lock()
	defer m.r.mu.Unlock()
	now := nowMs()
	n := m.node(meta.NodeID)
	if e.WriteErr == nil {
		m.r.record(n.sent, float64(e.BytesWritten), now)
	}
	if e.ReadErr == nil && e.WriteErr == nil {
		m.r.record(n.received, float64(e.BytesRead), now)
		m.r.record(n.latency, float64(e.DurationE2E())/float64(time.Millisecond), now)
	}
}
