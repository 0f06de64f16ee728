#!/usr/bin/env bash
# Benchmark behind docs/benchmarks.md "Guaranteed control messages": one broker node, guaranteed control
# messages at a fixed open-loop rate over HTTPS, every accept durable, receipts read from GET /events.
# Reports accepted / delivered / acked messages per second and accept / deliver / ack latency percentiles.
#
# Usage: load-test/bench/control-throughput.sh [rate-per-second] [seconds] [devices]
#   WAKELINE_DB=postgres  run the broker on PostgreSQL (WAKELINE_DB_URL / _USER / _PASSWORD, defaults below;
#                         the database is emptied of Wakeline tables first) instead of an H2 file (default).
#   BROKER_JAVA_OPTS      extra JVM options for the broker (e.g. a JFR recording)
#   LOAD_TEST_JAVA_OPTS   extra JVM options for the load generator
#   LOAD_TEST_FLAGS       extra load-test flags, appended last (e.g. "--http1.1 --connections 64"); the runs in
#                         docs/benchmarks.md §3 use "--warmup-seconds 150" (the broker's JIT settles after ~2 min)
#   SIM_CONTROL_FLAGS     simulator flags that make each device open a control channel and ack its messages
#                         (default: the device-model population below).
#
# The broker, the simulator and the load test are separate processes on 127.0.0.1; every wait is bounded and
# everything is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-5000}
SECONDS_RUN=${2:-30}
DEVICES=${3:-1000}
APP=ms-app://S-1-15-2-1
SECRET=bench-secret
WORK=$(mktemp -d /tmp/wakeline-control-bench.XXXXXX)
HTTPS_PORT=18443
DEVICE_PORT=18700
DB=${WAKELINE_DB:-h2}
# every device: its app on the lock screen with one software-slot control channel, always active and in the
# foreground (delivery then needs no background task, so the sandbox budget does not pace the benchmark)
SIM_CONTROL_FLAGS=${SIM_CONTROL_FLAGS:---device-model=automatic --lock-screen-share 1 --consent-probability 1 --control-channel-share 1 --control-channels-per-app 1 --hardware-slot-share 0 --foreground-share 1 --connected-standby-share 0 --chipset-only-share 0 --active-minutes 100000 --app-state-minutes 100000 --time-trigger-share 0 --maintenance-trigger-share 0}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

mvn -B -q -ntp -DskipTests package >/dev/null
SIM_CP="device-simulator/target/classes:device-simulator/target/lib/*"
LT_CP="load-test/target/classes:load-test/target/lib/*"

if [ "$DB" = postgres ]; then
  export WAKELINE_DB=postgres
  export WAKELINE_DB_URL=${WAKELINE_DB_URL:-jdbc:postgresql://127.0.0.1:5432/wakeline?reWriteBatchedInserts=true}
  export WAKELINE_DB_USER=${WAKELINE_DB_USER:-wakeline}
  export WAKELINE_DB_PASSWORD=${WAKELINE_DB_PASSWORD:-wakeline-ci}
  # a fresh journal, so the event stream replays nothing of earlier runs
  PGPASSWORD=$WAKELINE_DB_PASSWORD psql -q -h 127.0.0.1 -U "$WAKELINE_DB_USER" -d "${PGDATABASE:-wakeline}" \
    -c 'DROP TABLE IF EXISTS event_tag, event_journal, snapshot, durable_state CASCADE' >/dev/null
else
  export WAKELINE_DB=h2
fi

WAKELINE_DATA_DIR=$WORK/data WAKELINE_APP_SID=$APP WAKELINE_APP_SECRET=$SECRET \
WAKELINE_HTTPS_PORT=$HTTPS_PORT WAKELINE_DEVICE_PORT=$DEVICE_PORT WAKELINE_REMOTING_PORT=0 WAKELINE_MANAGEMENT_PORT=18558 \
JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseParallelGC ${BROKER_JAVA_OPTS:-}" \
  broker-node/target/dist/bin/wakeline-broker >"$WORK/broker.log" 2>&1 &
BROKER=$!; PIDS+=($BROKER)
for _ in $(seq 1 120); do grep -q "Wakeline node up" "$WORK/broker.log" && break; sleep 1; done
grep -q "Wakeline node up" "$WORK/broker.log" || { echo "broker did not start"; tail -50 "$WORK/broker.log"; exit 1; }
FLEET=$(cat "$WORK/data/keys/fleet-secret")

# shellcheck disable=SC2086 # SIM_CONTROL_FLAGS is a list of flags
java -Xmx512m -cp "$SIM_CP" io.wakeline.simulator.SimulatorMain --host 127.0.0.1 --port $DEVICE_PORT \
  --devices "$DEVICES" --prefix bench- --apps $APP --fleet-secret-hex "$FLEET" --connect-rate 500 \
  --backoff-min-millis 500 --backoff-max-millis 5000 --channel-file "$WORK/channels.jsonl" \
  --duration-seconds 900 --summary-interval-seconds 5 $SIM_CONTROL_FLAGS >"$WORK/sim.log" 2>&1 &
SIM=$!; PIDS+=($SIM)
for _ in $(seq 1 300); do
  [ -f "$WORK/channels.jsonl" ] && [ "$(grep -c '"kind":"control"' "$WORK/channels.jsonl" || true)" -ge "$DEVICES" ] && break
  sleep 1
done

# CPU seconds (user + system) a process has used so far
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# CPU seconds of every PostgreSQL server process (the database's share of the machine); 0 without PostgreSQL
pg_cpu() { local t=0 p; for p in $(pgrep -u postgres 2>/dev/null || true); do t=$(awk -v t="$t" -v p="$(cpu "$p" 2>/dev/null || echo 0)" 'BEGIN { print t + p }'); done; echo "$t"; }
BROKER_CPU0=$(cpu $BROKER); SIM_CPU0=$(cpu $SIM); PG_CPU0=$(pg_cpu)
/usr/bin/time -f "%U %S" -o "$WORK/load-test.time" \
java -Xmx1g ${LOAD_TEST_JAVA_OPTS:-} -cp "$LT_CP" io.wakeline.loadtest.LoadTestMain control --channels "$WORK/channels.jsonl" \
  --app-id $APP --client-secret $SECRET --trust-pem "$WORK/data/tls/broker-cert.pem" --rate "$RATE" \
  --duration-seconds "$SECONDS_RUN" --warmup-seconds 5 --payload-bytes 100 --max-in-flight 2048 --connections 4 \
  --drain-seconds 30 --report-json "$WORK/control-report.json" ${LOAD_TEST_FLAGS:-}
echo "database: $DB; simulator: $(tail -1 "$WORK/sim.log")"
echo "CPU seconds during the load test: broker $(awk -v a="$(cpu $BROKER)" -v b="$BROKER_CPU0" 'BEGIN { print a - b }'), \
simulator $(awk -v a="$(cpu $SIM)" -v b="$SIM_CPU0" 'BEGIN { print a - b }'), \
load test $(awk '{ print $1 + $2 }' "$WORK/load-test.time"), \
PostgreSQL $(awk -v a="$(pg_cpu)" -v b="$PG_CPU0" 'BEGIN { print a - b }')"
echo "work dir: $WORK"
