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

say() { printf '[revocation-bench] %s\n' "$*"; }
die() {
    printf '[revocation-bench] ERROR: %s\n' "$*" >&2
    exit 3
}

# --- file descriptors -------------------------------------------------------------------------
# One per connection in the server and one in the driver (plus jars, logs, database connections).
# Children inherit the limit; a process here may have at most 20,000.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
say "open files allowed per process: $(ulimit -n)"

# --- build ------------------------------------------------------------------------------------

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" || ! -f "$BENCH_CLASSPATH" ]]; then
    say "building the server and bench jars: mvn -B -ntp -DskipTests package"
    mvn -B -ntp -q -DskipTests package
fi
[[ -f "$SERVER_JAR" ]] || die "no $SERVER_JAR after the build"
[[ -f "$BENCH_JAR" && -f "$BENCH_CLASSPATH" ]] || die "no $BENCH_JAR or $BENCH_CLASSPATH after the build"

for cmd in mariadbd mariadb-install-db mariadb-admin mariadb; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: apt-get install -y mariadb-server"
done

# --- cleanup ----------------------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kairan-revocation-bench.XXXXXX")"
STATE_DIR="$WORK" # where the database and the server's data directory live
DB_PID=""
SERVER_PID=""
DB_PORT=""

cleanup() {
    local status=$?
    set +e
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    if [[ -n "$DB_PID" ]] && kill -0 "$DB_PID" 2>/dev/null; then
        mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$DB_PORT" -uroot --connect-timeout=5 shutdown >/dev/null 2>&1
        for _ in $(seq 1 100); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$DB_PID" 2>/dev/null
        wait "$DB_PID" 2>/dev/null
    fi
    mkdir -p "$LOG_DIR"
    cp -f "$WORK"/*.log "$LOG_DIR"/ 2>/dev/null
    rm -rf "$WORK"
    say "stopped; logs in ${LOG_DIR#"$ROOT"/}"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ----------------------------------------------------------------------------------

# Below the ephemeral range: 10,000 outgoing connections take that many local ports from it, and a port
# in use by an outgoing connection answers no connect but still cannot be bound.
EPHEMERAL_LOW="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
free_port() { # a port nothing listens on, on 127.0.0.1
    local port
    for _ in $(seq 1 50); do
        port=$((10000 + RANDOM % (EPHEMERAL_LOW - 10000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

http_status() { # status code of GET $2 on 127.0.0.1:$1, or 000
    local reply
    reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 && head -n1 <&3) 2>/dev/null)" || true
    sed -n 's#^HTTP/[0-9.]* \([0-9]*\).*#\1#p' <<<"$reply" | grep . || echo 000
}

as_root_flag=()
[[ "$(id -u)" -eq 0 ]] && as_root_flag=(--user=root)

# --- MariaDB ----------------------------------------------------------------------------------

DB_DIR="$STATE_DIR/mariadb"
DB_PORT="$(free_port)"
FRESH_DB=0
if [[ ! -d "$DB_DIR/data" ]]; then
    FRESH_DB=1
    echo "bench-$RANDOM$RANDOM" >"$STATE_DIR/db-password"
fi
DB_PASSWORD="$(cat "$STATE_DIR/db-password")"
mkdir -p "$DB_DIR/tmp"
say "starting a throwaway MariaDB on 127.0.0.1:$DB_PORT"
if ((FRESH_DB)); then
    mariadb-install-db --no-defaults --datadir="$DB_DIR/data" "${as_root_flag[@]}" \
        --auth-root-authentication-method=normal --skip-test-db >"$WORK/mariadb-install.log" 2>&1 \
        || { tail -n 30 "$WORK/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
fi
mariadbd --no-defaults --datadir="$DB_DIR/data" --socket="$DB_DIR/sock" --pid-file="$DB_DIR/mariadbd.pid" \
    --tmpdir="$DB_DIR/tmp" --port="$DB_PORT" --bind-address=127.0.0.1 "${as_root_flag[@]}" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=256M --max-connections=200 \
    >"$WORK/mariadbd.log" 2>&1 &
DB_PID=$!
for i in $(seq 1 600); do
    mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$DB_PORT" -uroot --connect-timeout=1 ping >/dev/null 2>&1 && break
    kill -0 "$DB_PID" 2>/dev/null || { tail -n 30 "$WORK/mariadbd.log" >&2; die "mariadbd exited"; }
    ((i < 600)) || { tail -n 30 "$WORK/mariadbd.log" >&2; die "mariadbd not ready after 60 s"; }
    sleep 0.1
done
if ((FRESH_DB)); then
    mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$DB_PORT" -uroot <<SQL
CREATE DATABASE kairan CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER 'kairan'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON kairan.* TO 'kairan'@'127.0.0.1';
SQL
fi

# --- Kairan server ----------------------------------------------------------------------------

HTTP_PORT="$(free_port)"
GATEWAY_PORT="$(free_port)"
DATA_DIR="$STATE_DIR/data"
mkdir -p "$DATA_DIR"
say "starting the server ($SERVER_JAVA, $("$SERVER_JAVA" -version 2>&1 | head -n1), ${SERVER_OPTS[*]})" \
    "on 127.0.0.1:$HTTP_PORT, gateway :$GATEWAY_PORT"
# Access tokens must outlive the run (the default 5 minutes would close every connection with 4001);
# all bench traffic comes from 127.0.0.1, so the per-address sign-in limit is raised.
env KAIRAN_DATA_DIR="$DATA_DIR" \
    KAIRAN_HTTP_HOST=127.0.0.1 \
    KAIRAN_HTTP_PORT="$HTTP_PORT" \
    KAIRAN_GATEWAY_HOST=127.0.0.1 \
    KAIRAN_GATEWAY_PORT="$GATEWAY_PORT" \
    KAIRAN_DATABASE_JDBC_URL="jdbc:mariadb://127.0.0.1:$DB_PORT/kairan" \
    KAIRAN_DATABASE_USER=kairan \
    KAIRAN_DATABASE_PASSWORD="$DB_PASSWORD" \
    KAIRAN_AUTH_IP_ATTEMPTS_PER_MINUTE=1000000 \
    KAIRAN_AUTH_ACCESS_TOKEN_TTL=2h \
    "$SERVER_JAVA" "${SERVER_OPTS[@]}" -jar "$SERVER_JAR" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 1200); do
    [[ "$(http_status "$HTTP_PORT" /health/ready)" == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$WORK/server.log" >&2; die "the server exited during start-up"; }
    ((i < 1200)) || { tail -n 40 "$WORK/server.log" >&2; die "the server was not ready after 120 s"; }
    sleep 0.1
done
PASSWORD_FILE="$DATA_DIR/initial-operator-password.txt"
for i in $(seq 1 100); do
    [[ -s "$PASSWORD_FILE" ]] && break
    ((i < 100)) || die "the server is ready but wrote no $PASSWORD_FILE"
    sleep 0.1
done
say "server ready (pid $SERVER_PID, MariaDB pid $DB_PID)"

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
kill -0 "$SERVER_PID" 2>/dev/null || say "the server is no longer running: see $LOG_DIR/server.log"
# What went wrong on the server, if anything: warnings, errors and what the JVM printed outside the log format.
grep -E ' (WARN|ERROR) |^(Exception|java\.|\s+at )' "$WORK/server.log" | cut -c1-300 | head -n 30 \
    | sed 's/^/[revocation-bench] server log: /' || true
exit "$status"
