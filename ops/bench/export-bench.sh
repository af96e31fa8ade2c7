#!/usr/bin/env bash
# Export and purge benchmark (issue #6): a throwaway MariaDB and Kairan server (lib/throwaway-server.sh), a room of
# N messages put straight into the database, an auditor's export of it through the API (after a 1,000-message
# baseline), then an owner's purge. Reports export messages/s, archive size, the server's peak heap during each
# export, and purge messages/s; writes the report to ops/bench/results/.
#
#   ops/bench/export-bench.sh --smoke            # 20,000 messages: proves it works (a minute or two)
#   ops/bench/export-bench.sh                    # 1,000,000 messages
#   ops/bench/export-bench.sh --messages 200000
#
# Environment: KAIRAN_BENCH_JAVA (the server's JVM), KAIRAN_BENCH_SERVER_OPTS (default -Xmx512m: a fixed heap makes
# flat memory visible), KAIRAN_BENCH_RESULTS, KAIRAN_BENCH_REBUILD=1, KAIRAN_BENCH_TIMEOUT (seconds).
# Exit status: 0 when every export counted every message; 1 otherwise; 2 or 3 when the bench could not run.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SERVER_JAR="$ROOT/server/target/kairan-server.jar"
BENCH_JAR="$ROOT/ops/bench/target/kairan-bench.jar"
BENCH_CLASSPATH="$ROOT/ops/bench/target/gatling.classpath"
RESULTS_DIR="${KAIRAN_BENCH_RESULTS:-$ROOT/ops/bench/results}"
LOG_DIR="$ROOT/ops/bench/target/export-bench/logs"
SERVER_JAVA="${KAIRAN_BENCH_JAVA:-java}"
BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-1800}"
for arg in "$@"; do [[ "$arg" == --smoke ]] && BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-300}"; done
SERVER_OPTS=(${KAIRAN_BENCH_SERVER_OPTS:--Xmx512m})

BENCH_NAME=export-bench
source "$ROOT/ops/bench/lib/throwaway-server.sh"

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" || ! -f "$BENCH_CLASSPATH" ]]; then
    say "building the server and bench jars: mvn -B -ntp -DskipTests package"
    mvn -B -ntp -q -DskipTests package
fi
[[ -f "$SERVER_JAR" ]] || die "no $SERVER_JAR after the build"
[[ -f "$BENCH_JAR" ]] || die "no $BENCH_JAR after the build"

start_throwaway_server
say "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

set +e
timeout --kill-after=30 "$BENCH_TIMEOUT" \
    java -Xmx1g -cp "$BENCH_JAR" jp.kairan.bench.ExportBench \
    --base-url "http://127.0.0.1:$HTTP_PORT" \
    --metrics-url "http://127.0.0.1:$MANAGEMENT_PORT/metrics" \
    --operator-password-file "$PASSWORD_FILE" \
    --db-port "$DB_PORT" \
    --server-java "$("$SERVER_JAVA" -version 2>&1 | head -n1 | tr -d '"'), ${SERVER_OPTS[*]}" \
    --out-dir "$RESULTS_DIR" \
    "$@"
status=$?
set -e
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
server_log_problems
exit "$status"
