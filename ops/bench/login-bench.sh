#!/usr/bin/env bash
# Login benchmark on this machine: a throwaway MariaDB, a throwaway Kairan server on loopback,
# then LoginBench against it. Everything it starts is stopped and deleted on exit.
#
#   ops/bench/login-bench.sh --smoke          # ~20 s of load after set-up: does it work at all?
#   ops/bench/login-bench.sh                  # ramp 10..60 logins/s, then 30/s for 60 s
#   ops/bench/login-bench.sh --rates 20,40 --json-out /tmp/login.json   # any LoginBench option
#
# Environment:
#   KAIRAN_BENCH_JAVA         java for the server (default: java on PATH). Token signing is ECDSA,
#                             which is much faster on newer JDKs: say which one a figure is from.
#   KAIRAN_BENCH_SERVER_OPTS  JVM options for the server (default: -Xmx1g)
#   KAIRAN_BENCH_TIMEOUT      upper bound in seconds for the bench itself (default 1800)
#   KAIRAN_BENCH_REBUILD=1    rebuild the jars even if they exist
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SERVER_JAR="$ROOT/server/target/kairan-server.jar"
BENCH_JAR="$ROOT/ops/bench/target/kairan-bench.jar"
LOG_DIR="$ROOT/ops/bench/target/login-bench-logs"
SERVER_JAVA="${KAIRAN_BENCH_JAVA:-java}"
BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-1800}"
# shellcheck disable=SC2206 # word splitting of JVM options is intended
SERVER_OPTS=(${KAIRAN_BENCH_SERVER_OPTS:--Xmx1g})

BENCH_NAME=login-bench
DIE_STATUS=1
# shellcheck source=lib/throwaway-server.sh
source "$ROOT/ops/bench/lib/throwaway-server.sh"

# --- build ------------------------------------------------------------------------------------

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" ]]; then
    say "building the server and bench jars: mvn -B -ntp -DskipTests package"
    mvn -B -ntp -q -DskipTests package
fi
[[ -f "$SERVER_JAR" ]] || die "no $SERVER_JAR after the build"
[[ -f "$BENCH_JAR" ]] || die "no $BENCH_JAR after the build"

# --- MariaDB and the server -------------------------------------------------------------------

start_throwaway_server

# --- the bench --------------------------------------------------------------------------------

timeout --kill-after=30 "$BENCH_TIMEOUT" \
    java -Xmx1g -jar "$BENCH_JAR" \
    --base-url "http://127.0.0.1:$HTTP_PORT" \
    --operator-password-file "$PASSWORD_FILE" \
    "$@"
