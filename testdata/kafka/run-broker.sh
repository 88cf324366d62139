#!/usr/bin/env bash
# run-broker.sh: a real Apache Kafka 4.x broker for kstar's tests, from
# Maven Central artifacts (no Docker, no Kafka install needed; Java 17+,
# Maven and Go must be on PATH).
#
#   run-broker.sh start    fetch Kafka (once), format KRaft storage in a fresh
#                          temp dir, start one combined broker+controller on
#                          free 127.0.0.1 ports, wait until it answers, then
#                          print KEY=VALUE lines (also written to the state
#                          file):
#                            KSTAR_TEST_BROKERS=127.0.0.1:PORT        PLAINTEXT
#                            KSTAR_TEST_SASL_BROKERS=127.0.0.1:PORT   SASL_PLAINTEXT
#                            KSTAR_TEST_SASL_PLAIN=user:password      PLAIN user
#                            KSTAR_TEST_SASL_SCRAM=user:password      SCRAM-SHA-256 user
#                            KSTAR_KAFKA_PID=PID  KSTAR_KAFKA_WATCHDOG=PID|''
#                            KSTAR_KAFKA_DIR=DIR  KSTAR_KAFKA_VERSION=V
#   run-broker.sh stop     stop the broker by PID (SIGTERM, then SIGKILL after
#                          30 s) and delete its temp dir, the state file and
#                          internal/testbroker's lock file for it
#   run-broker.sh status   say whether the broker of the state file runs
#   run-broker.sh fetch    only fetch Kafka into the cache
#
# Use from a shell:  set -a; eval "$(testdata/kafka/run-broker.sh start)"; set +a
#
# Environment (defaults in brackets):
#   KSTAR_KAFKA_VERSION  org.apache.kafka:kafka_2.13 version [4.4.0]
#   KSTAR_KAFKA_CACHE    where the jars are kept [~/.cache/kstar-kafka/VERSION]
#   KSTAR_KAFKA_STATE    state file [REPO/.cache/kafka-broker.env]
#   KSTAR_KAFKA_HEAP     JVM heap flags [-Xmx512m -Xms256m]
#   KSTAR_KAFKA_TIMEOUT  seconds to wait for the broker to answer [120]
#   KSTAR_KAFKA_OWNER_PID  when set, a watchdog stops the broker as soon as
#                        that process is gone, even if it was SIGKILLed
#                        before it could run "stop" (ci.sh sets it) [unset]
# Broker log: $KSTAR_KAFKA_DIR/server.log (and kafka.out for stdout/stderr).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VERSION=${KSTAR_KAFKA_VERSION:-4.4.0}
CACHE=${KSTAR_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kstar-kafka/$VERSION}
STATE=${KSTAR_KAFKA_STATE:-$REPO/.cache/kafka-broker.env}
HEAP=${KSTAR_KAFKA_HEAP:--Xmx512m -Xms256m}
TIMEOUT=${KSTAR_KAFKA_TIMEOUT:-120}
# Test users of the SASL_PLAINTEXT listener (the same names as the embedded
# SASL broker of internal/testbroker).
PLAIN_USER=alice PLAIN_PASSWORD=alice-secret
SCRAM_USER=bob SCRAM_PASSWORD=bob-secret

log() { echo "run-broker: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# fetch copies kafka_2.13 and its runtime closure into $CACHE/lib, unless a
# previous fetch with the same pom.xml and version completed.
fetch() {
	local stamp want
	stamp="$CACHE/lib/.complete"
	want="$VERSION $(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
	if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
		return
	fi
	command -v mvn >/dev/null || die "mvn not found on PATH"
	log "fetching org.apache.kafka:kafka_2.13:$VERSION into $CACHE"
	mkdir -p "$CACHE"
	rm -rf "$CACHE/lib" "$CACHE/lib.tmp"
	if ! mvn -B -q -f "$HERE/pom.xml" -Dkafka.version="$VERSION" \
		-Dmaven.repo.local="$CACHE/m2" \
		dependency:copy-dependencies -DincludeScope=runtime \
		-DoutputDirectory="$CACHE/lib.tmp" >"$CACHE/mvn.log" 2>&1; then
		tail -n 30 "$CACHE/mvn.log" >&2
		die "mvn failed (full log: $CACHE/mvn.log)"
	fi
	mv "$CACHE/lib.tmp" "$CACHE/lib"
	rm -rf "$CACHE/m2" # Maven's own copies: lib/ is all the broker needs
	echo "$want" >"$stamp"
}

check_java() {
	command -v java >/dev/null || die "java not found on PATH (Kafka 4.x needs Java 17+)"
	local v
	v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
	[[ -n $v && $v -ge 17 ]] || die "Kafka 4.x needs Java 17+, found: $(java -version 2>&1 | head -n1)"
}

# alive PID: the process exists and is a Kafka broker (guards against the
# PID having been reused).
alive() {
	[[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null &&
		tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

load_state() {
	KSTAR_KAFKA_PID='' KSTAR_KAFKA_WATCHDOG='' KSTAR_KAFKA_DIR='' KSTAR_TEST_BROKERS=''
	[[ -f $STATE ]] || return 1
	# shellcheck disable=SC1090
	. "$STATE"
}

# jvm_cmd sets JVM to the java command line running a Kafka main class.
jvm_cmd() {
	# shellcheck disable=SC2206
	JVM=(java $HEAP -XX:+ExitOnOutOfMemoryError
		-Djava.awt.headless=true
		-Dlog4j2.configurationFile="$HERE/log4j2.properties"
		-Dkafka.logs.dir="$DIR"
		-cp "$CACHE/lib/*")
}

ms() { echo $(($(date +%s%N) / 1000000)); }

# build_probe prints the path of the probe helper, built once per version
# of its source and of go.mod/go.sum and kept in the cache.
build_probe() {
	local key probe
	key=$(cat "$HERE/probe/main.go" "$REPO/go.mod" "$REPO/go.sum" | sha256sum | cut -c1-16)
	probe="$CACHE/probe-$key"
	if [[ ! -x $probe ]]; then
		(cd "$REPO" && go build -o "$probe.$$" ./testdata/kafka/probe) || return 1
		find "$CACHE" -maxdepth 1 -name 'probe-*' ! -name "probe-$key*" -delete
		mv "$probe.$$" "$probe"
	fi
	echo "$probe"
}

start() {
	if load_state && alive "$KSTAR_KAFKA_PID"; then
		die "a broker already runs (PID $KSTAR_KAFKA_PID, state $STATE); run '$0 stop' first"
	fi
	check_java
	command -v go >/dev/null || die "go not found on PATH"
	fetch
	local t0 t probe attempt ports port sasl_port ctrl_port id pid watchdog
	t0=$(ms)
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/kstar-kafka.XXXXXX")
	jvm_cmd
	if ! probe=$(build_probe); then
		rm -rf "$DIR"
		die "building testdata/kafka/probe failed"
	fi
	mkdir -p "$(dirname "$STATE")"

	for attempt in 1 2 3; do
		mapfile -t ports < <("$probe" ports 3)
		port=${ports[0]} sasl_port=${ports[1]} ctrl_port=${ports[2]}
		rm -rf "$DIR/data"
		sed -e "s|@PORT@|$port|g" -e "s|@SASL_PORT@|$sasl_port|g" \
			-e "s|@CONTROLLER_PORT@|$ctrl_port|g" -e "s|@DATA_DIR@|$DIR/data|g" \
			-e "s|@PLAIN_USER@|$PLAIN_USER|g" -e "s|@PLAIN_PASSWORD@|$PLAIN_PASSWORD|g" \
			"$HERE/server.properties.in" >"$DIR/server.properties"
		id=$("$probe" uuid)
		# A short-lived tool: the C1 compiler and serial GC start faster.
		if ! "${JVM[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC kafka.tools.StorageTool format --standalone -t "$id" \
			-c "$DIR/server.properties" \
			--add-scram "SCRAM-SHA-256=[name=$SCRAM_USER,password=$SCRAM_PASSWORD]" \
			>"$DIR/format.log" 2>&1; then
			cat "$DIR/format.log" >&2
			rm -rf "$DIR"
			die "formatting KRaft storage failed"
		fi
		# setsid: the broker has its own session, so a Ctrl-C aimed at the
		# tests does not reach it; stop kills it by PID.
		setsid "${JVM[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 kafka.Kafka "$DIR/server.properties" >"$DIR/kafka.out" 2>&1 </dev/null &
		pid=$!
		watchdog=
		if [[ -n ${KSTAR_KAFKA_OWNER_PID:-} ]]; then
			# Its own session, so that killing the owner's process group
			# does not kill it; it exits as soon as the broker is gone.
			KSTAR_KAFKA_STATE=$STATE setsid bash -c \
				'while kill -0 "$1" && kill -0 "$2"; do sleep 1; done 2>/dev/null
				 kill -0 "$2" 2>/dev/null && exec "$3" stop' \
				kstar-kafka-watchdog "$KSTAR_KAFKA_OWNER_PID" "$pid" "$HERE/run-broker.sh" \
				</dev/null >/dev/null 2>&1 &
			watchdog=$!
		fi
		write_state "$port" "$sasl_port" "$pid" "$watchdog"
		if "$probe" wait -pid "$pid" -timeout "${TIMEOUT}s" \
			-brokers "127.0.0.1:$port" -sasl-brokers "127.0.0.1:$sasl_port" \
			-plain "$PLAIN_USER:$PLAIN_PASSWORD" -scram "$SCRAM_USER:$SCRAM_PASSWORD"; then
			t=$(($(ms) - t0))
			log "Kafka $VERSION up in $((t / 1000)).$((t % 1000 / 100)) s (PID $pid, dir $DIR)"
			cat "$STATE"
			return 0
		fi
		if ! alive "$pid" && grep -qs 'Address already in use' "$DIR/kafka.out" "$DIR/server.log"; then
			log "a port was taken meanwhile (attempt $attempt); retrying on new ports"
			continue
		fi
		break
	done
	log "the broker did not come up; last lines of its logs:"
	tail -n 40 "$DIR/kafka.out" "$DIR/server.log" >&2 2>/dev/null || true
	stop
	exit 1
}

write_state() {
	cat >"$STATE.tmp" <<EOF
KSTAR_TEST_BROKERS=127.0.0.1:$1
KSTAR_TEST_SASL_BROKERS=127.0.0.1:$2
KSTAR_TEST_SASL_PLAIN=$PLAIN_USER:$PLAIN_PASSWORD
KSTAR_TEST_SASL_SCRAM=$SCRAM_USER:$SCRAM_PASSWORD
KSTAR_KAFKA_PID=$3
KSTAR_KAFKA_WATCHDOG=$4
KSTAR_KAFKA_DIR=$DIR
KSTAR_KAFKA_VERSION=$VERSION
EOF
	mv "$STATE.tmp" "$STATE"
}

stop() {
	if ! load_state; then
		log "no state file $STATE: nothing to stop"
		return 0
	fi
	local pid=$KSTAR_KAFKA_PID i
	# The watchdog (unless it is the one running this stop, by exec) leads
	# its own process group: kill the group, its sleep included.
	if [[ -n $KSTAR_KAFKA_WATCHDOG && $KSTAR_KAFKA_WATCHDOG != "$$" ]]; then
		kill -- "-$KSTAR_KAFKA_WATCHDOG" 2>/dev/null || true
	fi
	if alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 300; i++)); do
			alive "$pid" || break
			sleep 0.1
		done
		if alive "$pid"; then
			log "broker $pid still runs 30 s after SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do
				alive "$pid" || break
				sleep 0.1
			done
		fi
		alive "$pid" && die "broker $pid would not die"
		log "stopped broker $pid"
	fi
	# The lock file internal/testbroker made for this broker (named the same way).
	[[ -z ${KSTAR_TEST_BROKERS:-} ]] ||
		rm -f "${TMPDIR:-/tmp}/kstar-testbroker-${KSTAR_TEST_BROKERS//[^A-Za-z0-9.-]/_}.lock"
	case $KSTAR_KAFKA_DIR in
	"${TMPDIR:-/tmp}"/kstar-kafka.*) rm -rf "$KSTAR_KAFKA_DIR" ;;
	*) [[ -z $KSTAR_KAFKA_DIR ]] || log "not deleting unexpected dir $KSTAR_KAFKA_DIR" ;;
	esac
	rm -f "$STATE"
}

status() {
	if load_state && alive "$KSTAR_KAFKA_PID"; then
		cat "$STATE"
		log "running (PID $KSTAR_KAFKA_PID)"
	else
		log "not running"
		return 1
	fi
}

case ${1:-} in
start) start ;;
stop) stop ;;
status) status ;;
fetch) fetch ;;
*) die "usage: $0 start|stop|status|fetch" ;;
esac
