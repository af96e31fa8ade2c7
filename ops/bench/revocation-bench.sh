#!/usr/bin/env bash
# Revocation benchmark on this machine: a throwaway MariaDB, a throwaway Kairan server on loopback (HTTP API +
# WebSocket gateway), then RevocationBench against it: users × devices × connections authenticated gateway
# connections, devices revoked through the admin API one at a time and in a burst; per revocation the time until
# the last connection of the device got device.revoked and was closed (4004). Everything it starts is stopped and
# deleted on exit. The markdown report goes to ops/bench/results/.
#
#   ops/bench/revocation-bench.sh --smoke    # 500 connections (50 users × 2 devices × 5): 50-90 s
#   ops/bench/revocation-bench.sh            # 10,000 connections (1,000 users × 2 devices × 5): about 8 minutes
#   ops/bench/revocation-bench.sh --users 2000 --devices-per-user 1 --burst 200   # any RevocationBench option
#
# Exit status: RevocationBench's (0 clean; 1 a revoked device's connection was not closed with device.revoked and
# 4004, another connection closed, or a revoked device was still accepted; 2 the bench could not run), or 3 when
# the server or the database could not be started. Timings never fail it.
#
# Environment:
#   KAIRAN_BENCH_JAVA         java for the server (default: java on PATH); say which one a figure is from
#   KAIRAN_BENCH_SERVER_OPTS  JVM options for the server (default: -Xmx1g)
#   KAIRAN_BENCH_DRIVER_OPTS  JVM options for the bench (default: -Xmx2g)
#   KAIRAN_BENCH_TIMEOUT      upper bound in seconds for the bench itself (default 1800; smoke 300)
#   KAIRAN_BENCH_REBUILD=1    rebuild the jars even if they exist
#   KAIRAN_BENCH_RESULTS      where the report goes (default ops/bench/results; CI: under target/)
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SERVER_JAR="$ROOT/server/target/kairan-server.jar"
BENCH_JAR="$ROOT/ops/bench/target/kairan-bench.jar"
BENCH_CLASSPATH="$ROOT/ops/bench/target/gatling.classpath"
RESULTS_DIR="${KAIRAN_BENCH_RESULTS:-$ROOT/ops/bench/results}"
LOG_DIR="$ROOT/ops/bench/target/revocation-bench/logs"
SERVER_JAVA="${KAIRAN_BENCH_JAVA:-java}"
BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-1800}"
for arg in "$@"; do [[ "$arg" == --smoke ]] && BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-300}"; done
# shellcheck disable=SC2206 # word splitting of JVM options is intended
SERVER_OPTS=(${KAIRAN_BENCH_SERVER_OPTS:--Xmx1g})
# shellcheck disable=SC2206
DRIVER_OPTS=(${KAIRAN_BENCH_DRIVER_OPTS:--Xmx2g})

BENCH_NAME=revocation-bench
# shellcheck source=lib/throwaway-server.sh
source "$ROOT/ops/bench/lib/throwaway-server.sh"

# --- build ------------------------------------------------------------------------------------

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" || ! -f "$BENCH_CLASSPATH" ]]; then
    say "building the server and bench jars: mvn -B -ntp -DskipTests package"
    mvn -B -ntp -q -DskipTests package
fi
[[ -f "$SERVER_JAR" ]] || die "no $SERVER_JAR after the build"
[[ -f "$BENCH_JAR" && -f "$BENCH_CLASSPATH" ]] || die "no $BENCH_JAR or $BENCH_CLASSPATH after the build"

# --- MariaDB and the server -------------------------------------------------------------------

start_throwaway_server

# --- the bench --------------------------------------------------------------------------------

set +e
timeout --kill-after=30 "$BENCH_TIMEOUT" \
    java "${DRIVER_OPTS[@]}" -cp "$BENCH_JAR" jp.kairan.bench.RevocationBench \
    --base-url "http://127.0.0.1:$HTTP_PORT" \
    --gateway-url "ws://127.0.0.1:$GATEWAY_PORT/ws" \
    --operator-password-file "$PASSWORD_FILE" \
    --server-pid "$SERVER_PID" \
    --server-java "$("$SERVER_JAVA" -version 2>&1 | head -n1 | tr -d '"'), ${SERVER_OPTS[*]}" \
    --out-dir "$RESULTS_DIR" \
    "$@"
status=$?
set -e
server_log_problems
exit "$status"
