#!/usr/bin/env bash
# Search benchmark (issue #8): a throwaway MariaDB and Kairan server (lib/throwaway-server.sh), N messages of varied
# Japanese text put straight into the database with their search_outbox rows, indexed by the running server's
# indexer exactly as sent messages are; then the index's size and search latency through the HTTP API; finally the
# server is stopped and `reindex` rebuilds the index from the database, timed. Writes the report to
# ops/bench/results/.
#
#   ops/bench/search-bench.sh --smoke            # 20,000 messages, 200 searches: proves it works (about a minute)
#   ops/bench/search-bench.sh                    # 1,000,000 messages, 2,000 searches
#   ops/bench/search-bench.sh --messages 200000 --clients 4
#
# Environment: KAIRAN_BENCH_JAVA (the server's JVM), KAIRAN_BENCH_SERVER_OPTS (default -Xmx1g),
# KAIRAN_BENCH_RESULTS, KAIRAN_BENCH_REBUILD=1, KAIRAN_BENCH_TIMEOUT (seconds).
# Exit status: 0 when every message was indexed, every search answered and reindex succeeded; 1 otherwise;
# 2 or 3 when the bench could not run.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SERVER_JAR="$ROOT/server/target/kairan-server.jar"
BENCH_JAR="$ROOT/ops/bench/target/kairan-bench.jar"
BENCH_CLASSPATH="$ROOT/ops/bench/target/gatling.classpath"
RESULTS_DIR="${KAIRAN_BENCH_RESULTS:-$ROOT/ops/bench/results}"
LOG_DIR="$ROOT/ops/bench/target/search-bench/logs"
SERVER_JAVA="${KAIRAN_BENCH_JAVA:-java}"
BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-3600}"
for arg in "$@"; do [[ "$arg" == --smoke ]] && BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-300}"; done
# shellcheck disable=SC2206 # word splitting of JVM options is intended
SERVER_OPTS=(${KAIRAN_BENCH_SERVER_OPTS:--Xmx1g})

BENCH_NAME=search-bench
# shellcheck source=lib/throwaway-server.sh
source "$ROOT/ops/bench/lib/throwaway-server.sh"

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" || ! -f "$BENCH_CLASSPATH" ]]; then
    say "building the server and bench jars: mvn -B -ntp -DskipTests package"
    mvn -B -ntp -q -DskipTests package
fi
[[ -f "$SERVER_JAR" ]] || die "no $SERVER_JAR after the build"
[[ -f "$BENCH_JAR" ]] || die "no $BENCH_JAR after the build"

start_throwaway_server
say "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$RESULTS_DIR"
REPORT_MARK="$(mktemp)"

set +e
timeout --kill-after=30 "$BENCH_TIMEOUT" \
    java -Xmx1g -cp "$BENCH_JAR" jp.kairan.bench.SearchBench \
    --base-url "http://127.0.0.1:$HTTP_PORT" \
    --operator-password-file "$PASSWORD_FILE" \
    --db-port "$DB_PORT" \
    --index-dir "$DATA_DIR/search-index" \
    --server-java "$("$SERVER_JAVA" -version 2>&1 | head -n1 | tr -d '"'), ${SERVER_OPTS[*]}" \
    --out-dir "$RESULTS_DIR" \
    "$@"
status=$?
set -e
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
server_log_problems
((status >= 2)) && exit "$status"

# The rebuild from the database, as an operator runs it: the server stopped first (it holds the index).
say "stopping the server for reindex"
kill -TERM "$SERVER_PID"
for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
kill -KILL "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
start_ns=$(date +%s%N)
set +e
env KAIRAN_DATA_DIR="$DATA_DIR" \
    KAIRAN_DATABASE_JDBC_URL="jdbc:mariadb://127.0.0.1:$DB_PORT/kairan" \
    KAIRAN_DATABASE_USER=kairan \
    KAIRAN_DATABASE_PASSWORD="$DB_PASSWORD" \
    timeout "$BENCH_TIMEOUT" "$SERVER_JAVA" "${SERVER_OPTS[@]}" -jar "$SERVER_JAR" reindex >"$WORK/reindex.log" 2>&1
reindex_status=$?
set -e
seconds="$(awk -v ns=$(( $(date +%s%N) - start_ns )) 'BEGIN { printf "%.1f", ns / 1e9 }')"
summary="$(grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$WORK/reindex.log" | tail -n 3 | tr '\n' ' ')"
say "reindex: exit $reindex_status in $seconds s (JVM start included): $summary"
report="$(find "$RESULTS_DIR" -maxdepth 1 -name 'search-*.md' -newer "$REPORT_MARK" | sort | tail -n 1)"
if [[ -n "$report" ]]; then
    printf '\n`reindex` (server stopped; JVM start included): exit %s in %s s. It printed: %s\n' \
        "$reindex_status" "$seconds" "$summary" >>"$report"
fi
rm -f "$REPORT_MARK"
((reindex_status == 0)) || status=1
exit "$status"
