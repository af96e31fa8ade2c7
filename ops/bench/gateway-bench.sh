#!/usr/bin/env bash
# Gateway benchmark on this machine: a throwaway MariaDB, a throwaway Kairan server on loopback
# (HTTP API + WebSocket gateway), then GatewayBench (Gatling) against it. Everything it starts is
# stopped and deleted on exit.
#
#   ops/bench/gateway-bench.sh --ci         # 200 connections, 10 rooms × 20, 100 msgs/s, 20 s: does it work?
#   ops/bench/gateway-bench.sh --smoke      # 2,000 connections, 100 × 20, 500 msgs/s, 60 s
#   ops/bench/gateway-bench.sh --headline   # 10,000 connections, 500 × 20, 2,000 msgs/s, 120 s
#   ops/bench/gateway-bench.sh --smoke --rate 1000 --duration-seconds 30   # any GatewayBench option
#
# Exit status: GatewayBench's (0 clean; 1 loss or duplicates; 2 the bench could not run), or
# non-zero when the server or the database could not be started. Timings never fail it.
#
# Environment:
#   KAIRAN_BENCH_JAVA         java for the server (default: java on PATH); say which one a figure is from
#   KAIRAN_BENCH_SERVER_OPTS  JVM options for the server (default: -Xmx1g)
#   KAIRAN_BENCH_DRIVER_OPTS  JVM options for the load driver (default: -Xmx3g)
#   KAIRAN_BENCH_TIMEOUT      upper bound in seconds for the bench itself (default 3600)
#   KAIRAN_BENCH_REBUILD=1    rebuild the jars even if they exist
#   KAIRAN_BENCH_STATE=DIR    keep the database, the server's data directory and the provisioned users
#                             (DIR/users.json: passwords, TOTP secrets, tokens) in DIR, and reuse them next
#                             time: provisioning 10,000 users costs 30,000 Argon2id hashes (many minutes),
#                             and a run needing R rooms reuses the first R of a larger earlier run
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SERVER_JAR="$ROOT/server/target/kairan-server.jar"
BENCH_JAR="$ROOT/ops/bench/target/kairan-bench.jar"
BENCH_CLASSPATH="$ROOT/ops/bench/target/gatling.classpath"
OUT_DIR="$ROOT/ops/bench/target/gateway-bench"
LOG_DIR="$OUT_DIR/logs"
SERVER_JAVA="${KAIRAN_BENCH_JAVA:-java}"
BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-3600}"
# shellcheck disable=SC2206 # word splitting of JVM options is intended
SERVER_OPTS=(${KAIRAN_BENCH_SERVER_OPTS:--Xmx1g})
# shellcheck disable=SC2206
DRIVER_OPTS=(${KAIRAN_BENCH_DRIVER_OPTS:--Xmx3g})

BENCH_NAME=gateway-bench
STATE="${KAIRAN_BENCH_STATE:-}"
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
STATE_ARGS=()
[[ -n "$STATE" ]] && STATE_ARGS=(--users-file "$STATE/users.json")

# --- the bench --------------------------------------------------------------------------------

set +e
timeout --kill-after=30 "$BENCH_TIMEOUT" \
    java "${DRIVER_OPTS[@]}" --add-opens=java.base/java.lang=ALL-UNNAMED \
    -cp "$BENCH_JAR:$(cat "$BENCH_CLASSPATH")" jp.kairan.bench.GatewayBench \
    --base-url "http://127.0.0.1:$HTTP_PORT" \
    --gateway-url "ws://127.0.0.1:$GATEWAY_PORT/ws" \
    --operator-password-file "$PASSWORD_FILE" \
    --server-pid "$SERVER_PID" --db-pid "$DB_PID" \
    --out-dir "$OUT_DIR" \
    "${STATE_ARGS[@]}" \
    "$@"
status=$?
set -e
server_log_problems
exit "$status"
