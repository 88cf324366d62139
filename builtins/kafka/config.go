package kafka

import (
	"cmp"
	"fmt"
	"math"
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// ConfigKey describes one kafka-python configuration key of a client.
type ConfigKey struct {
	Name string
	// Default is the value used when the script passes none.
	Default starlark.Value
	// Check validates a value the script passed (nil: any value). Its
	// error message is shown after the key's name.
	Check func(v starlark.Value) error
	// Ignored, when set, is why kstar accepts this key but does nothing
	// with it (listed in the README's config table).
	Ignored string
}

// ConfigSpec is the set of keys a client constructor accepts.
type ConfigSpec struct {
	// Client names the constructor, for messages ("KafkaProducer").
	Client string
	Keys   []ConfigKey
	// UnknownAsDict shows unknown keys as {'key': value} (kafka-python's
	// producer) instead of {'key'} (its consumer and admin client).
	UnknownAsDict bool
}

// Config is the result of parsing a constructor's keyword arguments:
// every key of the spec, with defaults filled in.
type Config struct {
	values map[string]starlark.Value
	// Given records the keys the script passed explicitly.
	Given map[string]bool
}

// Get returns the value of key (its default if the script passed none).
func (c *Config) Get(key string) starlark.Value {
	v, ok := c.values[key]
	if !ok {
		panic("kstar: config key not in spec: " + key)
	}
	return v
}

// String returns a str key's value, "" for None.
func (c *Config) String(key string) string {
	if s, ok := c.Get(key).(starlark.String); ok {
		return string(s)
	}
	return ""
}

// Int returns an int key's value (a float is truncated; None is def).
func (c *Config) Int(key string, def int64) int64 {
	switch v := c.Get(key).(type) {
	case starlark.Int:
		if i, ok := v.Int64(); ok {
			return i
		}
	case starlark.Float:
		return int64(v)
	}
	return def
}

// Bool returns a key's truth value.
func (c *Config) Bool(key string) bool { return bool(c.Get(key).Truth()) }

// IsNone reports whether the key's value is None.
func (c *Config) IsNone(key string) bool { return c.Get(key) == starlark.None }

// Parse validates kwargs against the spec: unknown keys fail with
// kafka-python's "Unrecognized configs" message plus a did-you-mean hint;
// values that fail their check name the key.
func (s *ConfigSpec) Parse(kwargs []starlark.Tuple) (*Config, error) {
	cfg := &Config{values: make(map[string]starlark.Value, len(s.Keys)), Given: map[string]bool{}}
	known := make(map[string]*ConfigKey, len(s.Keys))
	for i := range s.Keys {
		k := &s.Keys[i]
		known[k.Name] = k
		cfg.values[k.Name] = k.Default
	}
	var unknown []starlark.Tuple
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		k, ok := known[name]
		if !ok {
			unknown = append(unknown, kv)
			continue
		}
		if k.Check != nil {
			if err := k.Check(kv[1]); err != nil {
				return nil, py.Errorf(KafkaConfigurationError, "%s: %v", name, err)
			}
		}
		cfg.values[name] = kv[1]
		cfg.Given[name] = true
	}
	if len(unknown) > 0 {
		return nil, s.unknownError(unknown)
	}
	return cfg, nil
}

func (s *ConfigSpec) unknownError(unknown []starlark.Tuple) error {
	var parts, hints []string
	for _, kv := range unknown {
		name := string(kv[0].(starlark.String))
		if s.UnknownAsDict {
			parts = append(parts, py.QuoteString(name)+": "+py.Repr(kv[1]))
		} else {
			parts = append(parts, py.QuoteString(name))
		}
		if guess := s.closest(name); guess != "" {
			hints = append(hints, fmt.Sprintf("did you mean '%s' for '%s'?", guess, name))
		}
	}
	msg := "Unrecognized configs: {" + strings.Join(parts, ", ") + "}"
	if len(hints) == 1 && len(unknown) == 1 {
		msg += fmt.Sprintf(" (did you mean '%s'?)", s.closest(string(unknown[0][0].(starlark.String))))
	} else if len(hints) > 0 {
		msg += " (" + strings.Join(hints, " ") + ")"
	}
	return py.NewException(KafkaConfigurationError, msg)
}

// closest returns the key nearest to name by edit distance, if near enough
// to be a typo (at most a third of the name's length, at least 2).
func (s *ConfigSpec) closest(name string) string {
	names := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		names[i] = k.Name
	}
	return Closest(name, names)
}

// Closest returns the candidate nearest to name by edit distance when it
// is close enough to be a typo, or "".
func Closest(name string, candidates []string) string {
	best, bestDist := "", len(name)/3+1
	if bestDist < 3 {
		bestDist = 3
	}
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := editDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Checks for ConfigKey.Check.

// IsInt accepts an int that fits in 64 bits (or None when nullable).
func IsInt(nullable bool) func(starlark.Value) error {
	return func(v starlark.Value) error {
		if i, ok := v.(starlark.Int); ok {
			return fitsInt64(i)
		}
		if nullable && v == starlark.None {
			return nil
		}
		return wantType("int", nullable, v)
	}
}

// fitsInt64 refuses an int beyond 64 bits, which no setting can use
// (Config.Int would read the default instead): max_poll_records=2**70.
func fitsInt64(i starlark.Int) error {
	if _, ok := i.Int64(); ok {
		return nil
	}
	if i.Sign() < 0 {
		return fmt.Errorf("must be at least %d, not %s", int64(math.MinInt64), i)
	}
	return fmt.Errorf("must be at most %d, not %s", int64(math.MaxInt64), i)
}

// IsNumber accepts an int or a float (or None when nullable).
func IsNumber(nullable bool) func(starlark.Value) error {
	return func(v starlark.Value) error {
		switch v.(type) {
		case starlark.Int, starlark.Float:
			return nil
		}
		if nullable && v == starlark.None {
			return nil
		}
		return wantType("int or float", nullable, v)
	}
}

// IsStr accepts a str (or None when nullable).
func IsStr(nullable bool) func(starlark.Value) error {
	return func(v starlark.Value) error {
		if _, ok := v.(starlark.String); ok || (nullable && v == starlark.None) {
			return nil
		}
		return wantType("str", nullable, v)
	}
}

// IsBool accepts True or False.
func IsBool(v starlark.Value) error {
	if _, ok := v.(starlark.Bool); ok {
		return nil
	}
	return wantType("bool", false, v)
}

// IsCallable accepts a callable (or None when nullable).
func IsCallable(nullable bool) func(starlark.Value) error {
	return func(v starlark.Value) error {
		if _, ok := v.(starlark.Callable); ok || (nullable && v == starlark.None) {
			return nil
		}
		return wantType("a callable", nullable, v)
	}
}

// OneOf accepts exactly one of the given values (compared with ==).
func OneOf(choices ...starlark.Value) func(starlark.Value) error {
	return func(v starlark.Value) error {
		for _, c := range choices {
			if eq, _ := starlark.Equal(v, c); eq {
				return nil
			}
		}
		reprs := make([]string, len(choices))
		for i, c := range choices {
			reprs[i] = py.Repr(c)
		}
		return fmt.Errorf("must be one of %s, not %s", strings.Join(reprs, ", "), py.Repr(v))
	}
}

func wantType(want string, nullable bool, got starlark.Value) error {
	if nullable {
		want += " or None"
	}
	return fmt.Errorf("want %s, got %s (%s)", want, py.TypeName(got), py.Repr(got))
}

// tableDefaults are the defaults every client's docs table shows in words,
// where the value's repr (None) would not say what happens.
var tableDefaults = map[string]string{
	"bootstrap_servers": "None (the host's default, localhost:9092)",
	"selector":          "None (selectors.DefaultSelector)",
	"kafka_client":      "None (KafkaClient)",
}

// Table renders the spec's keys as the Markdown table of the client's
// docs page: key, default, and what kstar does with it. docs says what
// kstar does with a key (commonKeyDocs when absent; an ignored key says
// why it is ignored); defaults shows a default in words instead of its
// repr (tableDefaults when absent).
func (s *ConfigSpec) Table(docs, defaults map[string]string) string {
	var b strings.Builder
	b.WriteString("| key | default | in kstar |\n| --- | --- | --- |\n")
	for _, k := range s.Keys {
		what := cmp.Or(docs[k.Name], commonKeyDocs[k.Name])
		if k.Ignored != "" {
			what = "accepted, ignored: " + k.Ignored
		}
		def := cmp.Or(defaults[k.Name], tableDefaults[k.Name], py.Repr(k.Default))
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", k.Name, strings.ReplaceAll(def, "|", "\\|"), strings.ReplaceAll(what, "|", "\\|"))
	}
	return b.String()
}

// IgnoredConfigTable renders the README's table of the keys kstar accepts
// but ignores, for all three clients: the key, which constructors take it,
// and why kstar does nothing with it.
func IgnoredConfigTable() string {
	type row struct{ key, why string }
	clients := map[row][]string{}
	var order []row
	for _, spec := range []*ConfigSpec{producerSpec(), consumerSpec(), adminSpec()} {
		for _, k := range spec.Keys {
			if k.Ignored == "" {
				continue
			}
			r := row{k.Name, k.Ignored}
			if clients[r] == nil {
				order = append(order, r)
			}
			clients[r] = append(clients[r], spec.Client)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].key < order[j].key })
	var b strings.Builder
	b.WriteString("| ignored key | accepted by | why kstar ignores it |\n| --- | --- | --- |\n")
	for _, r := range order {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.key, strings.Join(clients[r], ", "), strings.ReplaceAll(r.why, "|", "\\|"))
	}
	return b.String()
}

// KeyNames returns the spec's key names, sorted (for REPL completion).
func (s *ConfigSpec) KeyNames() []string {
	names := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		names[i] = k.Name
	}
	sort.Strings(names)
	return names
}
