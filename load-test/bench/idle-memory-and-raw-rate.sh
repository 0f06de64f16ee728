#!/usr/bin/env bash
# Benchmark behind docs/benchmarks.md, milestone 1:
#  1. heap (after a full GC) and process RSS of one broker node with 0, 1k and 10k idle connected
#     devices (each with one channel), the broker, simulators and load test as separate processes;
#  2. raw pushes at a fixed open-loop rate to those 10k devices over HTTPS, latency p50/p99.
# Usage: load-test/bench/idle-memory-and-raw-rate.sh [rate-per-second] [seconds]
# Every loop is bounded; everything runs on 127.0.0.1 and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-2000}
SECONDS_RUN=${2:-30}
APP=ms-app://S-1-15-2-1
SECRET=bench-secret
WORK=$(mktemp -d /tmp/wakeline-bench.XXXXXX)
HTTPS_PORT=18443
DEVICE_PORT=18700
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

mvn -B -q -ntp -DskipTests package >/dev/null
SIM_CP="device-simulator/target/classes:device-simulator/target/lib/*"
LT_CP="load-test/target/classes:load-test/target/lib/*"

WAKELINE_DATA_DIR=$WORK/data WAKELINE_APP_SID=$APP WAKELINE_APP_SECRET=$SECRET \
WAKELINE_HTTPS_PORT=$HTTPS_PORT WAKELINE_DEVICE_PORT=$DEVICE_PORT WAKELINE_REMOTING_PORT=0 WAKELINE_MANAGEMENT_PORT=18558 \
JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseParallelGC" \
  broker-node/target/dist/bin/wakeline-broker >"$WORK/broker.log" 2>&1 &
BROKER=$!; PIDS+=($BROKER)
for _ in $(seq 1 120); do grep -q "Wakeline node up" "$WORK/broker.log" && break; sleep 1; done
grep -q "Wakeline node up" "$WORK/broker.log" || { echo "broker did not start"; tail -50 "$WORK/broker.log"; exit 1; }
FLEET=$(cat "$WORK/data/keys/fleet-secret")

measure() { # prints "heap_used_bytes rss_bytes"
  sleep 5
  jcmd "$BROKER" GC.run >/dev/null
  sleep 1
  local heap rss
  heap=$(jcmd "$BROKER" GC.heap_info | awk '/used/ { for (i=1;i<=NF;i++) if ($i=="used") { v=$(i+1); sub(/K,?/,"",v); s+=v } } END { print s*1024 }')
  rss=$(awk '/VmRSS/ { print $2*1024 }' /proc/$BROKER/status)
  echo "$heap $rss"
}

start_sim() { # first-index count source-address channel-file
  java -Xmx512m -cp "$SIM_CP" io.wakeline.simulator.SimulatorMain --host 127.0.0.1 --port $DEVICE_PORT \
    --devices "$2" --first-index "$1" --prefix bench- --apps $APP --fleet-secret-hex "$FLEET" \
    --source-addresses "$3" --connect-rate 300 --backoff-min-millis 500 --backoff-max-millis 5000 \
    --channel-file "$4" --duration-seconds 900 --summary-interval-seconds 5 >"$WORK/sim-$1.log" 2>&1 &
  PIDS+=($!)
}

wait_channels() { # file expected-lines
  for _ in $(seq 1 300); do [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0; sleep 1; done
  echo "only $(wc -l <"$1") of $2 channels"; return 1
}

read H0 R0 < <(measure)
start_sim 0 1000 127.0.0.2 "$WORK/ch-a.jsonl"; wait_channels "$WORK/ch-a.jsonl" 1000
read H1 R1 < <(measure)
start_sim 1000 9000 127.0.0.3 "$WORK/ch-b.jsonl"; wait_channels "$WORK/ch-b.jsonl" 9000
read H10 R10 < <(measure)
cat "$WORK/ch-a.jsonl" "$WORK/ch-b.jsonl" > "$WORK/channels.jsonl"

echo "devices heap_used_MB rss_MB heap_per_device_B rss_per_device_B"
printf "0 %.1f %.1f - -\n" "$(echo "$H0/1048576" | bc -l)" "$(echo "$R0/1048576" | bc -l)"
printf "1000 %.1f %.1f %.0f %.0f\n" "$(echo "$H1/1048576" | bc -l)" "$(echo "$R1/1048576" | bc -l)" "$(echo "($H1-$H0)/1000" | bc -l)" "$(echo "($R1-$R0)/1000" | bc -l)"
printf "10000 %.1f %.1f %.0f %.0f\n" "$(echo "$H10/1048576" | bc -l)" "$(echo "$R10/1048576" | bc -l)" "$(echo "($H10-$H0)/10000" | bc -l)" "$(echo "($R10-$R0)/10000" | bc -l)"

java -Xmx1g -cp "$LT_CP" io.wakeline.loadtest.LoadTestMain raw --channels "$WORK/channels.jsonl" --app-id $APP \
  --client-secret $SECRET --trust-pem "$WORK/data/tls/broker-cert.pem" --rate "$RATE" \
  --duration-seconds "$SECONDS_RUN" --warmup-seconds 5 --payload-bytes 100 --max-in-flight 512 --connections 4 \
  --report-json "$WORK/raw-report.json"
echo "simulators:"; for f in "$WORK"/sim-*.log; do tail -1 "$f"; done
echo "work dir: $WORK"
