package kafka

import "go.starlark.net/starlark"

// adminDefaults are KafkaAdminClient's values for keys every client
// accepts, where kafka-python 2.0.2's admin client differs from the shared
// default: its client_id is 'kafka-python-2.0.2'.
var adminDefaults = map[string]starlark.Value{
	"client_id":          starlark.String("kafka-python-2.0.2"),
	"request_timeout_ms": starlark.MakeInt(30000),
}

// adminIgnored lists the common keys the admin client accepts and ignores
// beyond those every client ignores, with the reason.
var adminIgnored = map[string]string{
	"max_in_flight_requests_per_connection": "the admin client sends one request at a time per call; franz-go pipelines its own requests",
	"metrics_enabled":                       "the admin client keeps no metrics (kafka-python's has no metrics() either)",
	"metrics_num_samples":                   "the admin client keeps no metrics",
	"metrics_sample_window_ms":              "the admin client keeps no metrics",
	"metric_reporters":                      "the admin client keeps no metrics",
}

// adminKeyDocs says what the admin client does with keys whose meaning
// differs from the shared description (the README table).
var adminKeyDocs = map[string]string{
	"client_id":          "`kgo.ClientID`",
	"request_timeout_ms": "bounds every admin call (plus `timeout_ms` for calls that take one) and is the default `timeout_ms` of create_topics, delete_topics, create_partitions and delete_records, as in kafka-python",
}

// adminSpec is the full key table of KafkaAdminClient: the keys every
// client accepts, with the admin client's defaults. Unknown keys show as a
// set ({'foo'}), as kafka-python's admin client shows them.
func adminSpec() *ConfigSpec {
	keys := commonConfigKeys(adminDefaults)
	for i := range keys {
		if why, ok := adminIgnored[keys[i].Name]; ok {
			keys[i].Ignored = why
		}
	}
	return &ConfigSpec{Client: "KafkaAdminClient", Keys: keys}
}

// adminKeyNames lists the admin client's config keys, sorted (for REPL
// completion inside KafkaAdminClient( ).
func adminKeyNames() []string { return adminSpec().KeyNames() }

// AdminConfigTable renders the admin client's keys as the Markdown table
// of docs/admin.md: key, default, and what kstar does with it.
func AdminConfigTable() string { return adminSpec().Table(adminKeyDocs, nil) }
