package main

import (
	"strings"
	"testing"
)

// A flag value out of its range is a usage error (exit 2) that names the
// flag, before anything starts.
func TestFlagRanges(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // the first line of stderr
	}{
		{[]string{"broker", "--port", "99999"}, `invalid value "99999" for flag -port: must be from 0 to 65535`},
		{[]string{"broker", "--port", "-1"}, `invalid value "-1" for flag -port: must be from 0 to 65535`},
		{[]string{"broker", "--port", "http"}, `invalid value "http" for flag -port: not an integer`},
		{[]string{"broker", "--port", "65535", "--brokers", "2"}, `kstar broker: --port 65535 with --brokers 2 needs ports up to 65536 (at most 65535)`},
		{[]string{"broker", "--brokers", "0"}, `invalid value "0" for flag -brokers: must be at least 1`},
		{[]string{"broker", "--partitions", "-3"}, `invalid value "-3" for flag -partitions: must be from 1 to 2147483647`},
		{[]string{"broker", "--partitions", "2147483648"}, `invalid value "2147483648" for flag -partitions: must be from 1 to 2147483647`},
		{[]string{"--embedded", "--embedded-port", "-1", "-c", "print(1)"}, `invalid value "-1" for flag -embedded-port: must be from 0 to 65535`},
		{[]string{"--embedded", "--embedded-port", "70000", "-c", "print(1)"}, `invalid value "70000" for flag -embedded-port: must be from 0 to 65535`},
		{[]string{"--embedded", "--embedded-partitions", "0", "-c", "print(1)"}, `invalid value "0" for flag -embedded-partitions: must be from 1 to 2147483647`},
		{[]string{"pipe", "--parallelism", "-4", "--max-poll-records", "-1", "--from", "a", "--to", "b", "t.star"}, `invalid value "-4" for flag -parallelism: must be at least 1`},
		{[]string{"pipe", "--max-poll-records", "-1", "--from", "a", "--to", "b", "t.star"}, `invalid value "-1" for flag -max-poll-records: must be at least 1`},
		{[]string{"pipe", "--max-poll-records", "0", "--from", "a", "--to", "b", "t.star"}, `invalid value "0" for flag -max-poll-records: must be at least 1`},
		{[]string{"pipe", "--idle-exit", "-1s", "--from", "a", "--to", "b", "t.star"}, `kstar pipe: --idle-exit must not be negative, not -1s`},
	} {
		stdout, stderr, code := runKstar(t, "", tc.args...)
		first, _, _ := strings.Cut(stderr, "\n")
		if code != 2 || first != tc.want || stdout != "" {
			t.Errorf("kstar %s: exit %d, stdout %q, stderr %q\nwant exit 2 and stderr starting %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
	}
}

// Values no client can use are refused where the script wrote them, with
// a traceback naming the key or the partition (exit 1).
func TestScriptValueRanges(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"KafkaConsumer(max_poll_records=2**70)",
			"KafkaConfigurationError: max_poll_records: must be at most 9223372036854775807, not 1180591620717411303424\n"},
		{"KafkaConsumer().assign([TopicPartition('t', -3)])",
			"ValueError: assign(): partition must not be negative: TopicPartition(topic='t', partition=-3)\n"},
	} {
		stdout, stderr, code := runKstar(t, "", "--embedded", "--embedded-port", "0", "-c", "from kafka import KafkaConsumer, TopicPartition\n"+tc.code)
		if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "Traceback (most recent call last):\n  File \"<string>\", line 2, in <module>\n") || !strings.HasSuffix(stderr, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q\nwant exit 1 and a traceback ending %q", tc.code, code, stdout, stderr, tc.want)
		}
	}
}
