#!/usr/bin/env bash
# ci.sh: run the Go test suite against a real Apache Kafka 4.x broker.
#
#   testdata/kafka/ci.sh [go test arguments]     (default: -timeout 30m ./...)
#
# Starts a private broker with run-broker.sh, runs `go test ARGS` from the
# repository root with KSTAR_TEST_BROKERS (and the KSTAR_TEST_SASL_*
# variables) set, then stops the broker and deletes its files whatever
# happened: normal exit, test failure, Ctrl-C, SIGTERM, or this script being
# SIGKILLed (run-broker.sh's watchdog then stops the broker within a second).
# Exits with go test's status, or 1 if the broker could not be started.
# The run-broker.sh environment variables (KSTAR_KAFKA_VERSION, _CACHE,
# _HEAP, _TIMEOUT) apply; KSTAR_KAFKA_STATE is chosen here.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RUN=$HERE/run-broker.sh

# A state file of our own, so that a broker started by hand (or another CI
# run on the same machine) is left alone.
KSTAR_KAFKA_STATE=$(mktemp "${TMPDIR:-/tmp}/kstar-kafka-ci.XXXXXX")
export KSTAR_KAFKA_STATE
KSTAR_KAFKA_OWNER_PID=$$
export KSTAR_KAFKA_OWNER_PID

cleanup() {
	"$RUN" stop
	rm -f "$KSTAR_KAFKA_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "$RUN" start >/dev/null; then
	echo "ci.sh: the Kafka broker did not start" >&2
	exit 1
fi
set -a
# shellcheck disable=SC1090
. "$KSTAR_KAFKA_STATE"
set +a

echo "ci.sh: go test against Apache Kafka $KSTAR_KAFKA_VERSION at $KSTAR_TEST_BROKERS (SASL $KSTAR_TEST_SASL_BROKERS)" >&2
cd "$REPO" || exit 1
if [[ $# -eq 0 ]]; then
	# Isolated tests run one at a time on a real broker: allow more than
	# go test's 10 minutes per package.
	set -- -timeout 30m ./...
fi
go test "$@"
status=$?
if [[ $status -ne 0 ]]; then
	echo "ci.sh: go test failed ($status); broker warnings and errors (last 40):" >&2
	grep -E '^\[[^]]*\] (WARN|ERROR|FATAL)' "$KSTAR_KAFKA_DIR/server.log" 2>/dev/null | tail -n 40 >&2
fi
exit $status
