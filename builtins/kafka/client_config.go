package kafka

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// This file holds what every kafka-python client (KafkaProducer,
// KafkaConsumer, KafkaAdminClient) shares: the common configuration keys
// with kafka-python's defaults, and their translation into franz-go
// options (seed brokers, timeouts, TLS, SASL).

// commonKeyDocs says, for each common key, what kstar does with it; the
// README's config tables are generated from it (with each client's own
// table). Keys whose ConfigKey.Ignored is set are accepted and ignored.
var commonKeyDocs = map[string]string{
	"bootstrap_servers":                  "seed brokers: `'host[:port]'` str (comma-separated) or list; port 9092 if omitted; None means the host's default broker",
	"client_id":                          "`kgo.ClientID`",
	"request_timeout_ms":                 "`kgo.RequestTimeoutOverhead`: how long a request may wait for its response (added to the broker-side timeout of requests that carry one)",
	"retry_backoff_ms":                   "`kgo.RetryBackoffFn` (constant back-off) and `kgo.MetadataMinAge` (so a leader change costs this long, not franz-go's default 5 s)",
	"metadata_max_age_ms":                "`kgo.MetadataMaxAge`",
	"connections_max_idle_ms":            "`kgo.ConnIdleTimeout`",
	"receive_buffer_bytes":               "SO_RCVBUF of each broker connection (None: the OS default)",
	"send_buffer_bytes":                  "SO_SNDBUF of each broker connection (None: the OS default)",
	"api_version_auto_timeout_ms":        "bounds the connection check the constructor makes (NoBrokersAvailable when no broker answers in time)",
	"bootstrap_timeout_ms":               "kafka-python 3.0's name for api_version_auto_timeout_ms; wins when given",
	"security_protocol":                  "PLAINTEXT, SSL (TLS), SASL_PLAINTEXT, SASL_SSL",
	"ssl_check_hostname":                 "verify the broker's certificate matches its host name (the chain is verified either way)",
	"ssl_cafile":                         "PEM CA bundle trusted for broker certificates (default: the system's roots)",
	"ssl_certfile":                       "PEM client certificate (may also hold the key)",
	"ssl_keyfile":                        "PEM client private key",
	"ssl_password":                       "password of an encrypted (legacy PEM-encrypted) private key",
	"ssl_crlfile":                        "PEM or DER CRL; the broker's leaf certificate must not be revoked by it",
	"ssl_ciphers":                        "OpenSSL suite names (ECDHE-RSA-AES128-GCM-SHA256) restrict the TLS 1.2 suites; keywords such as HIGH:!aNULL keep Go's strict defaults; TLS 1.3 suites are fixed",
	"sasl_mechanism":                     "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER (GSSAPI: `AssertionError: GSSAPI lib not available`)",
	"sasl_plain_username":                "user for PLAIN and SCRAM",
	"sasl_plain_password":                "password for PLAIN and SCRAM",
	"sasl_oauth_token_provider":          "OAUTHBEARER token: a callable returning the token, or an object with `token()` (and optionally `extensions()`); called once, at construction",
	"metrics_enabled":                    "False turns metrics off (`metrics()` returns None)",
	"metrics_num_samples":                "samples kept per metric",
	"metrics_sample_window_ms":           "length of one metric sample window",
	"receive_message_max_bytes":          "`kgo.BrokerMaxReadBytes` (at least the fetch size, which franz-go requires)",
	"default_api_timeout_ms":             "`kgo.RetryTimeout`: total time a request is retried",
	"socket_connection_setup_timeout_ms": "dial timeout of each broker connection",
}

// ignoredCommon lists the common keys kstar accepts and ignores, with the
// reason (shown in the README's config tables).
var ignoredCommon = map[string]string{
	"reconnect_backoff_ms":                   "franz-go reconnects with its own back-off (retry_backoff_ms paces retries)",
	"reconnect_backoff_max_ms":               "franz-go reconnects with its own back-off",
	"socket_options":                         "Go sets TCP_NODELAY (the default option) itself; raw setsockopt tuples are not applied",
	"sock_chunk_bytes":                       "kafka-python socket internals",
	"sock_chunk_buffer_count":                "kafka-python socket internals",
	"api_version":                            "franz-go negotiates versions with each broker (ApiVersions); the value is validated only",
	"selector":                               "Python I/O selector class; franz-go has its own I/O",
	"ssl_context":                            "a Python ssl.SSLContext cannot exist in kstar; only None is accepted (use the ssl_* keys)",
	"sasl_kerberos_name":                     "GSSAPI is not available",
	"sasl_kerberos_service_name":             "GSSAPI is not available",
	"sasl_kerberos_domain_name":              "GSSAPI is not available",
	"metric_reporters":                       "Python reporter classes; read metrics() instead",
	"client_dns_lookup":                      "Go's resolver tries every address of a host",
	"socks5_proxy":                           "proxies are not supported; only None is accepted",
	"proxy_url":                              "proxies are not supported; only None is accepted",
	"kafka_client":                           "Python client class injection",
	"net":                                    "Python network layer injection (kafka-python 3.1)",
	"socket_connection_setup_timeout_max_ms": "the dial timeout is socket_connection_setup_timeout_ms",
}

// commonConfigKeys returns the config keys every kafka-python client
// accepts, with kafka-python's defaults (2.0.2's, or the version that
// introduced the key); defaults overrides them per client, e.g.
// {"request_timeout_ms": 305000} for the consumer.
func commonConfigKeys(defaults map[string]starlark.Value) []ConfigKey {
	i := func(n int) starlark.Value { return starlark.MakeInt(n) }
	str := func(s string) starlark.Value { return starlark.String(s) }
	none := starlark.None
	socketOptions := starlark.NewList([]starlark.Value{starlark.Tuple{i(6), i(1), i(1)}}) // (IPPROTO_TCP, TCP_NODELAY, 1)
	socketOptions.Freeze()
	reporters := starlark.NewList(nil)
	reporters.Freeze()
	ms := IsNumber(false)
	msOrNone := IsNumber(true)
	keys := []ConfigKey{
		{Name: "bootstrap_servers", Default: none, Check: isBootstrapServers},
		{Name: "client_id", Default: none, Check: IsStr(true)},
		{Name: "request_timeout_ms", Default: i(30000), Check: ms},
		{Name: "retry_backoff_ms", Default: i(100), Check: ms},
		{Name: "reconnect_backoff_ms", Default: i(50), Check: ms},
		{Name: "reconnect_backoff_max_ms", Default: i(1000), Check: ms},
		{Name: "metadata_max_age_ms", Default: i(300000), Check: ms},
		{Name: "connections_max_idle_ms", Default: i(540000), Check: ms},
		{Name: "max_in_flight_requests_per_connection", Default: i(5), Check: IsInt(false)},
		{Name: "receive_buffer_bytes", Default: none, Check: IsInt(true)},
		{Name: "send_buffer_bytes", Default: none, Check: IsInt(true)},
		{Name: "socket_options", Default: socketOptions, Check: isSequence},
		{Name: "sock_chunk_bytes", Default: i(4096), Check: IsInt(false)},
		{Name: "sock_chunk_buffer_count", Default: i(1000), Check: IsInt(false)},
		{Name: "api_version", Default: none, Check: isAPIVersion},
		{Name: "api_version_auto_timeout_ms", Default: i(2000), Check: ms},
		{Name: "bootstrap_timeout_ms", Default: none, Check: msOrNone},
		{Name: "selector", Default: none},
		{Name: "security_protocol", Default: str("PLAINTEXT"), Check: IsStr(false)},
		{Name: "ssl_context", Default: none, Check: isNoneOnly("kstar has no ssl.SSLContext; use ssl_cafile, ssl_certfile and ssl_keyfile")},
		{Name: "ssl_check_hostname", Default: starlark.True, Check: IsBool},
		{Name: "ssl_cafile", Default: none, Check: IsStr(true)},
		{Name: "ssl_certfile", Default: none, Check: IsStr(true)},
		{Name: "ssl_keyfile", Default: none, Check: IsStr(true)},
		{Name: "ssl_crlfile", Default: none, Check: IsStr(true)},
		{Name: "ssl_password", Default: none, Check: isStrOrBytes(true)},
		{Name: "ssl_ciphers", Default: none, Check: IsStr(true)},
		{Name: "sasl_mechanism", Default: none, Check: IsStr(true)},
		{Name: "sasl_plain_username", Default: none, Check: IsStr(true)},
		{Name: "sasl_plain_password", Default: none, Check: IsStr(true)},
		{Name: "sasl_kerberos_name", Default: none},
		{Name: "sasl_kerberos_service_name", Default: str("kafka"), Check: IsStr(false)},
		{Name: "sasl_kerberos_domain_name", Default: none, Check: IsStr(true)},
		{Name: "sasl_oauth_token_provider", Default: none},
		{Name: "metric_reporters", Default: reporters, Check: isSequence},
		{Name: "metrics_enabled", Default: starlark.True, Check: IsBool},
		{Name: "metrics_num_samples", Default: i(2), Check: isPositiveCount},
		{Name: "metrics_sample_window_ms", Default: i(30000), Check: ms},
		{Name: "client_dns_lookup", Default: str("use_all_dns_ips"), Check: IsStr(false)},
		{Name: "socks5_proxy", Default: none, Check: isNoneOnly("proxies are not supported by kstar")},
		{Name: "proxy_url", Default: none, Check: isNoneOnly("proxies are not supported by kstar")},
		{Name: "kafka_client", Default: none},
		{Name: "receive_message_max_bytes", Default: i(100000000), Check: IsInt(false)},
		{Name: "default_api_timeout_ms", Default: i(60000), Check: ms},
		{Name: "socket_connection_setup_timeout_ms", Default: i(10000), Check: ms},
		{Name: "socket_connection_setup_timeout_max_ms", Default: i(30000), Check: ms},
		{Name: "net", Default: none},
	}
	for j := range keys {
		k := &keys[j]
		if v, ok := defaults[k.Name]; ok {
			k.Default = v
		}
		k.Ignored = ignoredCommon[k.Name]
	}
	return keys
}

func isBootstrapServers(v starlark.Value) error {
	switch v := v.(type) {
	case starlark.NoneType, starlark.String:
		return nil
	case *starlark.List, starlark.Tuple:
		iter := starlark.Iterate(v)
		defer iter.Done()
		var x starlark.Value
		for iter.Next(&x) {
			if _, ok := x.(starlark.String); !ok {
				return fmt.Errorf("want str items, got %s (%s)", py.TypeName(x), py.Repr(x))
			}
		}
		return nil
	}
	return wantType("str or list of str", true, v)
}

func isSequence(v starlark.Value) error {
	switch v.(type) {
	case *starlark.List, starlark.Tuple:
		return nil
	}
	return wantType("list", false, v)
}

func isPositiveCount(v starlark.Value) error {
	if n, ok := v.(starlark.Int); ok {
		if n.Sign() <= 0 {
			return fmt.Errorf("must be positive, not %s", py.Repr(v))
		}
		return fitsInt64(n)
	}
	return wantType("int", false, v)
}

func isStrOrBytes(nullable bool) func(starlark.Value) error {
	return func(v starlark.Value) error {
		switch v.(type) {
		case starlark.String, py.Bytes:
			return nil
		case starlark.NoneType:
			if nullable {
				return nil
			}
		}
		return wantType("str or bytes", nullable, v)
	}
}

func isNoneOnly(why string) func(starlark.Value) error {
	return func(v starlark.Value) error {
		if v == starlark.None {
			return nil
		}
		return errors.New(why)
	}
}

// isAPIVersion accepts what kafka-python does: None, 'auto', a version
// string ('0.10.2') or a tuple of ints ((2, 5, 0)).
func isAPIVersion(v starlark.Value) error {
	switch v := v.(type) {
	case starlark.NoneType:
		return nil
	case starlark.String:
		if v == "auto" {
			return nil
		}
		for _, part := range strings.Split(string(v), ".") {
			if _, err := strconv.Atoi(part); err != nil {
				return fmt.Errorf("want a version such as (2, 5, 0) or '2.5.0', got %s", py.Repr(v))
			}
		}
		return nil
	case starlark.Tuple:
		if len(v) == 0 {
			return fmt.Errorf("want a version such as (2, 5, 0), got ()")
		}
		for _, x := range v {
			if _, ok := x.(starlark.Int); !ok {
				return fmt.Errorf("want a tuple of ints such as (2, 5, 0), got %s", py.Repr(v))
			}
		}
		return nil
	}
	return wantType("tuple of ints", true, v)
}

// cfgDuration reads a *_ms key as a duration.
func cfgDuration(cfg *Config, key string) time.Duration {
	switch v := cfg.Get(key).(type) {
	case starlark.Int:
		if i, ok := v.Int64(); ok {
			return time.Duration(i) * time.Millisecond
		}
		return time.Duration(math.MaxInt64)
	case starlark.Float:
		return time.Duration(float64(v) * float64(time.Millisecond))
	}
	return 0
}

// seedBrokers returns bootstrap_servers as host:port addresses (port 9092
// when omitted, as kafka-python does); None means env.BootstrapServers.
func seedBrokers(env *KafkaEnv, cfg *Config) ([]string, error) {
	var raw []string
	switch v := cfg.Get("bootstrap_servers").(type) {
	case starlark.String:
		raw = strings.Split(strings.TrimSpace(string(v)), ",")
	case *starlark.List, starlark.Tuple:
		iter := starlark.Iterate(v)
		defer iter.Done()
		var x starlark.Value
		for iter.Next(&x) {
			raw = append(raw, string(x.(starlark.String)))
		}
	default:
		raw = strings.Split(env.BootstrapServers, ",")
	}
	var seeds []string
	for _, s := range raw {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		addr, err := hostPort(s)
		if err != nil {
			return nil, err
		}
		seeds = append(seeds, addr)
	}
	if len(seeds) == 0 {
		return nil, py.NewException(KafkaConfigurationError, "bootstrap_servers: no broker address given")
	}
	return seeds, nil
}

// hostPort normalises 'host', 'host:port', '[v6]' and '[v6]:port'.
func hostPort(s string) (string, error) {
	host, port := s, "9092"
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return "", py.Errorf(KafkaConfigurationError, "bootstrap_servers: bad address %s", py.QuoteString(s))
		}
		host = s[1:end]
		if rest := s[end+1:]; rest != "" {
			if !strings.HasPrefix(rest, ":") {
				return "", py.Errorf(KafkaConfigurationError, "bootstrap_servers: bad address %s", py.QuoteString(s))
			}
			port = rest[1:]
		}
	} else if i := strings.LastIndex(s, ":"); i >= 0 && strings.Count(s, ":") == 1 {
		host, port = s[:i], s[i+1:]
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return "", py.Errorf(KafkaConfigurationError, "bootstrap_servers: bad port in %s", py.QuoteString(s))
	}
	return net.JoinHostPort(host, port), nil
}

// allowedBroker reports whether addr may be dialled under env.AllowedBrokers.
func allowedBroker(env *KafkaEnv, addr string) bool {
	if env.AllowedBrokers == nil {
		return true
	}
	for _, a := range env.AllowedBrokers {
		if norm, err := hostPort(strings.TrimSpace(a)); err == nil && norm == addr {
			return true
		}
	}
	return false
}

// clientOpts turns the common keys into franz-go options: seed brokers
// (checked against env.AllowedBrokers, which the dialer also enforces
// for brokers learned from metadata), client id, timeouts, metadata ages,
// socket buffers, TLS from the ssl_* keys and SASL. Security mistakes
// raise kafka-python's AssertionErrors (its constructor asserts them).
//
// It runs on the script's thread and calls Starlark only here (the
// OAUTHBEARER token provider); nothing it installs calls back into
// Starlark from franz-go's goroutines.
func clientOpts(thread *starlark.Thread, env *KafkaEnv, cfg *Config) ([]kgo.Opt, error) {
	seeds, err := seedBrokers(env, cfg)
	if err != nil {
		return nil, err
	}
	for _, s := range seeds {
		if !allowedBroker(env, s) {
			return nil, py.Errorf(KafkaConfigurationError, "bootstrap_servers: broker %s is not allowed here (%s)", s, AllowedList(env.AllowedBrokers))
		}
	}
	opts := []kgo.Opt{kgo.SeedBrokers(seeds...)}
	if id := cfg.String("client_id"); id != "" {
		opts = append(opts, kgo.ClientID(id))
	}

	backoff := cfgDuration(cfg, "retry_backoff_ms")
	opts = append(opts, kgo.RetryBackoffFn(func(int) time.Duration { return backoff }))
	// franz-go's MetadataMinAge (default 5 s) rate-limits metadata
	// refreshes, so every NOT_LEADER or dropped connection would cost 5 s;
	// kafka-python refreshes after retry_backoff_ms.
	minAge := max(backoff, 10*time.Millisecond)
	maxAge := cfgDuration(cfg, "metadata_max_age_ms")
	if maxAge < minAge {
		maxAge = minAge
	}
	opts = append(opts, kgo.MetadataMinAge(minAge), kgo.MetadataMaxAge(maxAge))
	if d := cfgDuration(cfg, "request_timeout_ms"); d > 0 {
		opts = append(opts, kgo.RequestTimeoutOverhead(d))
	}
	if d := cfgDuration(cfg, "connections_max_idle_ms"); d > 0 {
		opts = append(opts, kgo.ConnIdleTimeout(d))
	}
	if d := cfgDuration(cfg, "default_api_timeout_ms"); d > 0 {
		opts = append(opts, kgo.RetryTimeout(d))
	}
	if n := cfg.Int("receive_message_max_bytes", 0); n > 0 {
		// franz-go refuses a read limit below the fetch size (its
		// default, or the consumer's fetch_max_bytes): raise it to that.
		floor := int64(52428800)
		if _, ok := cfg.values["fetch_max_bytes"]; ok {
			floor = cfg.Int("fetch_max_bytes", floor)
		}
		opts = append(opts, kgo.BrokerMaxReadBytes(int32(min(max(n, floor), math.MaxInt32))))
	}

	tlsCfg, err := clientTLS(env, cfg)
	if err != nil {
		return nil, err
	}
	mech, err := clientSASL(thread, cfg)
	if err != nil {
		return nil, err
	}
	if mech != nil {
		opts = append(opts, kgo.SASL(mech))
	}
	opts = append(opts, kgo.Dialer(newDialer(env, cfg, tlsCfg)))
	return opts, nil
}

// newDialer dials brokers with the dial timeout, socket buffer sizes and
// TLS of the config, refusing addresses outside env.AllowedBrokers (the
// cluster may advertise brokers the script did not name).
func newDialer(env *KafkaEnv, cfg *Config, tlsCfg *tls.Config) func(ctx context.Context, network, host string) (net.Conn, error) {
	d := &net.Dialer{Timeout: cfgDuration(cfg, "socket_connection_setup_timeout_ms"), KeepAlive: 30 * time.Second}
	rcv := cfg.Int("receive_buffer_bytes", 0)
	snd := cfg.Int("send_buffer_bytes", 0)
	return func(ctx context.Context, network, host string) (net.Conn, error) {
		if !allowedBroker(env, host) {
			return nil, fmt.Errorf("broker %s is not allowed here (%s)", host, AllowedList(env.AllowedBrokers))
		}
		conn, err := d.DialContext(ctx, network, host)
		if err != nil {
			return nil, err
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			if rcv > 0 {
				_ = tcp.SetReadBuffer(int(rcv))
			}
			if snd > 0 {
				_ = tcp.SetWriteBuffer(int(snd))
			}
		}
		if tlsCfg == nil {
			return conn, nil
		}
		c := tlsCfg.Clone()
		if c.ServerName == "" {
			if h, _, err := net.SplitHostPort(host); err == nil {
				c.ServerName = h
			}
		}
		tc := tls.Client(conn, c)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tc, nil
	}
}

// securityProtocol validates security_protocol as kafka-python's
// constructor asserts it.
func securityProtocol(cfg *Config) (string, error) {
	p := cfg.String("security_protocol")
	switch p {
	case "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL":
		return p, nil
	}
	return "", py.NewException(py.AssertionError, "security_protocol must be in PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL")
}

// clientTLS builds the TLS config for SSL and SASL_SSL (nil otherwise),
// following kafka-python's defaults: the system roots unless ssl_cafile
// is given, host names checked unless ssl_check_hostname=False.
func clientTLS(env *KafkaEnv, cfg *Config) (*tls.Config, error) {
	proto, err := securityProtocol(cfg)
	if err != nil {
		return nil, err
	}
	if proto != "SSL" && proto != "SASL_SSL" {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if f := cfg.String("ssl_cafile"); f != "" {
		data, err := readConfigFile(env, f)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(data) {
			return nil, py.Errorf(KafkaConfigurationError, "ssl_cafile: no PEM certificate found in %s", py.QuoteString(f))
		}
		c.RootCAs = pool
	}
	if certFile := cfg.String("ssl_certfile"); certFile != "" {
		cert, err := loadClientCert(env, certFile, cfg.String("ssl_keyfile"), passwordOf(cfg.Get("ssl_password")))
		if err != nil {
			return nil, err
		}
		c.Certificates = []tls.Certificate{cert}
	}
	if ciphers := cfg.String("ssl_ciphers"); ciphers != "" {
		c.CipherSuites = cipherSuites(ciphers)
	}
	var crl *x509.RevocationList
	if f := cfg.String("ssl_crlfile"); f != "" {
		data, err := readConfigFile(env, f)
		if err != nil {
			return nil, err
		}
		if b, _ := pem.Decode(data); b != nil {
			data = b.Bytes
		}
		if crl, err = x509.ParseRevocationList(data); err != nil {
			return nil, py.Errorf(KafkaConfigurationError, "ssl_crlfile: %v", err)
		}
	}
	checkHost := cfg.Bool("ssl_check_hostname")
	if !checkHost || crl != nil {
		// Verify the chain ourselves: without the host name when
		// ssl_check_hostname is False, and against the CRL (leaf only,
		// as kafka-python's VERIFY_CRL_CHECK_LEAF).
		roots := c.RootCAs
		c.InsecureSkipVerify = true
		c.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("tls: broker sent no certificate")
			}
			opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
			if checkHost {
				opts.DNSName = cs.ServerName
			}
			for _, ic := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(ic)
			}
			leaf := cs.PeerCertificates[0]
			if _, err := leaf.Verify(opts); err != nil {
				return err
			}
			if crl != nil {
				for _, r := range crl.RevokedCertificateEntries {
					if r.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
						return fmt.Errorf("tls: broker certificate (serial %s) is revoked by ssl_crlfile", leaf.SerialNumber)
					}
				}
			}
			return nil
		}
	}
	return c, nil
}

func passwordOf(v starlark.Value) string {
	switch v := v.(type) {
	case starlark.String:
		return string(v)
	case py.Bytes:
		return string(v)
	}
	return ""
}

// readConfigFile reads a file named by a config key (through
// env.ReadFile when the host set one), failing as Python's open() does.
func readConfigFile(env *KafkaEnv, name string) ([]byte, error) {
	read := os.ReadFile
	if env.ReadFile != nil {
		read = env.ReadFile
	}
	data, err := read(name)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, py.Errorf(py.PermissionError, "[Errno 13] Permission denied: %s", py.QuoteString(name))
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil, py.Errorf(py.OSError, "[Errno 2] No such file or directory: %s", py.QuoteString(name))
		}
		return nil, py.Errorf(py.OSError, "%s: %v", py.QuoteString(name), err)
	}
	return data, nil
}

// loadClientCert loads ssl_certfile and ssl_keyfile (the key may be in the
// certificate file, as ssl.load_cert_chain allows), decrypting a legacy
// encrypted PEM key with ssl_password.
func loadClientCert(env *KafkaEnv, certFile, keyFile, password string) (tls.Certificate, error) {
	certPEM, err := readConfigFile(env, certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM := certPEM
	if keyFile != "" {
		if keyPEM, err = readConfigFile(env, keyFile); err != nil {
			return tls.Certificate{}, err
		}
	}
	var certBlocks, keyBlock []byte
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			certBlocks = append(certBlocks, pem.EncodeToMemory(b)...)
		}
	}
	for rest := keyPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" {
			return tls.Certificate{}, py.NewException(KafkaConfigurationError, "ssl_keyfile: PKCS#8-encrypted keys are not supported; decrypt the key or use a legacy PEM-encrypted key")
		}
		//lint:ignore SA1019 legacy PEM encryption is what ssl_password unlocks
		if x509.IsEncryptedPEMBlock(b) {
			if password == "" {
				return tls.Certificate{}, py.NewException(KafkaConfigurationError, "ssl_keyfile: the key is encrypted; set ssl_password")
			}
			//lint:ignore SA1019 legacy PEM encryption is what ssl_password unlocks
			der, err := x509.DecryptPEMBlock(b, []byte(password))
			if err == nil && !isPrivateKey(der) {
				// Legacy PEM encryption tells a wrong password only by
				// its padding, which a wrong password passes about once
				// in 256: a key that does not parse was decrypted with
				// the wrong one.
				err = x509.IncorrectPasswordError
			}
			if err != nil {
				return tls.Certificate{}, py.Errorf(KafkaConfigurationError, "ssl_password: cannot decrypt the key: %v", err)
			}
			b = &pem.Block{Type: b.Type, Bytes: der}
		}
		keyBlock = pem.EncodeToMemory(b)
		break
	}
	if len(certBlocks) == 0 {
		return tls.Certificate{}, py.Errorf(KafkaConfigurationError, "ssl_certfile: no PEM certificate found in %s", py.QuoteString(certFile))
	}
	if keyBlock == nil {
		return tls.Certificate{}, py.NewException(KafkaConfigurationError, "ssl_keyfile: no PEM private key found")
	}
	cert, err := tls.X509KeyPair(certBlocks, keyBlock)
	if err != nil {
		return tls.Certificate{}, py.Errorf(KafkaConfigurationError, "ssl_certfile/ssl_keyfile: %v", err)
	}
	return cert, nil
}

// isPrivateKey reports whether der is a private key in one of the
// encodings a legacy PEM block holds (PKCS#1, SEC 1 EC, PKCS#8).
func isPrivateKey(der []byte) bool {
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return true
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return true
	}
	_, err := x509.ParsePKCS8PrivateKey(der)
	return err == nil
}

// cipherSuites maps an OpenSSL cipher string to Go's TLS 1.2 suites:
// suite names (ECDHE-RSA-AES128-GCM-SHA256) restrict the suites offered;
// when the string names none (only keywords such as HIGH:!aNULL), Go's
// defaults, which are already strict, are kept (nil).
func cipherSuites(spec string) []uint16 {
	byName := map[string]uint16{}
	for _, s := range tls.CipherSuites() {
		if len(s.SupportedVersions) == 1 && s.SupportedVersions[0] == tls.VersionTLS13 {
			continue // TLS 1.3 suites are not configurable in Go
		}
		byName[openSSLName(s.Name)] = s.ID
	}
	var ids []uint16
	for _, tok := range strings.FieldsFunc(spec, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		if id, ok := byName[tok]; ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// openSSLName spells a Go cipher suite name as OpenSSL does:
// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 is ECDHE-RSA-AES128-GCM-SHA256,
// TLS_RSA_WITH_AES_128_CBC_SHA is AES128-SHA.
func openSSLName(goName string) string {
	n := strings.TrimPrefix(goName, "TLS_")
	for _, r := range [][2]string{
		{"_WITH_", "_"}, {"AES_128", "AES128"}, {"AES_256", "AES256"},
		{"CHACHA20_POLY1305_SHA256", "CHACHA20_POLY1305"},
		{"_CBC_SHA256", "_SHA256"}, {"_CBC_SHA", "_SHA"},
	} {
		n = strings.Replace(n, r[0], r[1], 1)
	}
	return strings.TrimPrefix(strings.ReplaceAll(n, "_", "-"), "RSA-")
}

// clientSASL builds the SASL mechanism for SASL_PLAINTEXT and SASL_SSL,
// asserting what kafka-python asserts.
//
// OAUTHBEARER: the token provider is a Starlark value, and franz-go asks
// for a token from its own goroutines whenever it opens a connection, so
// kstar calls the provider once, here, on the script's thread, and every
// connection of this client reuses that token. There is no refresh: a
// client that outlives its token fails to reconnect (create a new client
// with a fresh token).
func clientSASL(thread *starlark.Thread, cfg *Config) (sasl.Mechanism, error) {
	proto, err := securityProtocol(cfg)
	if err != nil {
		return nil, err
	}
	if proto != "SASL_PLAINTEXT" && proto != "SASL_SSL" {
		return nil, nil
	}
	mech := cfg.String("sasl_mechanism")
	user, pass := cfg.String("sasl_plain_username"), cfg.String("sasl_plain_password")
	switch mech {
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		if cfg.IsNone("sasl_plain_username") {
			return nil, py.NewException(py.AssertionError, "sasl_plain_username required for PLAIN or SCRAM sasl")
		}
		if cfg.IsNone("sasl_plain_password") {
			return nil, py.NewException(py.AssertionError, "sasl_plain_password required for PLAIN or SCRAM sasl")
		}
		switch mech {
		case "PLAIN":
			return plain.Auth{User: user, Pass: pass}.AsMechanism(), nil
		case "SCRAM-SHA-256":
			return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism(), nil
		default:
			return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism(), nil
		}
	case "OAUTHBEARER":
		provider := cfg.Get("sasl_oauth_token_provider")
		if provider == starlark.None {
			return nil, py.NewException(py.AssertionError, "sasl_oauth_token_provider required for OAUTHBEARER sasl")
		}
		auth, err := oauthToken(thread, provider)
		if err != nil {
			return nil, err
		}
		return auth.AsMechanism(), nil
	case "GSSAPI":
		return nil, py.NewException(py.AssertionError, "GSSAPI lib not available")
	}
	return nil, py.NewException(py.AssertionError, "sasl_mechanism must be in PLAIN, GSSAPI, OAUTHBEARER, SCRAM-SHA-256, SCRAM-SHA-512")
}

// oauthToken asks a token provider for its token (and extensions): the
// provider is a callable, or an object with token() and optionally
// extensions() as kafka-python's AbstractTokenProvider.
func oauthToken(thread *starlark.Thread, provider starlark.Value) (oauth.Auth, error) {
	tokenFn, ok := provider.(starlark.Callable)
	var extFn starlark.Callable
	if ha, isObj := provider.(starlark.HasAttrs); isObj {
		if t, _ := ha.Attr("token"); t != nil {
			if c, ok2 := t.(starlark.Callable); ok2 {
				tokenFn, ok = c, true
			}
		}
		if e, _ := ha.Attr("extensions"); e != nil {
			extFn, _ = e.(starlark.Callable)
		}
	}
	if !ok {
		return oauth.Auth{}, py.NewException(py.AssertionError, "sasl_oauth_token_provider must implement method #token()")
	}
	tok, err := starlark.Call(thread, tokenFn, nil, nil)
	if err != nil {
		return oauth.Auth{}, err
	}
	s, isStr := tok.(starlark.String)
	if !isStr || s == "" {
		return oauth.Auth{}, py.Errorf(KafkaConfigurationError, "sasl_oauth_token_provider: token() must return a non-empty str, got %s", py.Repr(tok))
	}
	auth := oauth.Auth{Token: string(s)}
	if extFn != nil {
		ext, err := starlark.Call(thread, extFn, nil, nil)
		if err != nil {
			return oauth.Auth{}, err
		}
		if d, ok := ext.(*starlark.Dict); ok && d.Len() > 0 {
			auth.Extensions = map[string]string{}
			for _, kv := range d.Items() {
				k, ok1 := kv[0].(starlark.String)
				v, ok2 := kv[1].(starlark.String)
				if !ok1 || !ok2 {
					return oauth.Auth{}, py.NewException(KafkaConfigurationError, "sasl_oauth_token_provider: extensions() must return a dict of str to str")
				}
				auth.Extensions[string(k)] = string(v)
			}
		}
	}
	return auth, nil
}

// connectTimeout is how long a constructor waits for the cluster:
// bootstrap_timeout_ms (kafka-python 3.0) when given, otherwise
// api_version_auto_timeout_ms (2.x).
func connectTimeout(cfg *Config) time.Duration {
	if !cfg.IsNone("bootstrap_timeout_ms") {
		return cfgDuration(cfg, "bootstrap_timeout_ms")
	}
	return cfgDuration(cfg, "api_version_auto_timeout_ms")
}

// pingCluster is the connection check every kstar client constructor
// makes, as kafka-python 2.x's constructor does when it probes the broker
// version: it asks the seed brokers for metadata, bounded by
// connectTimeout and the script's context. No answer is
// NoBrokersAvailable (with the cause as its Reason) so that
// KafkaProducer(bootstrap_servers='127.0.0.1:1') fails fast instead of
// failing every send later; a broker error keeps its kafka.errors class.
func pingCluster(thread *starlark.Thread, cl *kgo.Client, cfg *Config) error {
	parent := py.ContextOf(thread)
	ctx, cancel := context.WithTimeout(parent, connectTimeout(cfg))
	defer cancel()
	err := cl.Ping(ctx)
	if err == nil {
		return nil
	}
	if parent.Err() != nil {
		return py.Interrupted(parent)
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return KafkaException(err)
	}
	msg := err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("no broker answered within %s", connectTimeout(cfg))
	}
	return noBrokersAvailable(msg, err)
}
