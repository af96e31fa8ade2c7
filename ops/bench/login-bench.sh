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

say() { printf '[login-bench] %s\n' "$*"; }
die() {
    printf '[login-bench] ERROR: %s\n' "$*" >&2
    exit 1
}

# --- build ------------------------------------------------------------------------------------

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" ]]; then
    say "building the server and bench jars: mvn -B -ntp -DskipTests package"
    mvn -B -ntp -q -DskipTests package
fi
[[ -f "$SERVER_JAR" ]] || die "no $SERVER_JAR after the build"
[[ -f "$BENCH_JAR" ]] || die "no $BENCH_JAR after the build"

for cmd in mariadbd mariadb-install-db mariadb-admin mariadb; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: apt-get install -y mariadb-server"
done

# --- cleanup ----------------------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kairan-login-bench.XXXXXX")"
DB_PID=""
SERVER_PID=""
DB_PORT=""

cleanup() {
    local status=$?
    set +e
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
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

free_port() { # a port nothing listens on, on 127.0.0.1
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
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

DB_DIR="$WORK/mariadb"
DB_PORT="$(free_port)"
DB_PASSWORD="bench-$RANDOM$RANDOM"
mkdir -p "$DB_DIR/tmp"
say "starting a throwaway MariaDB on 127.0.0.1:$DB_PORT"
mariadb-install-db --no-defaults --datadir="$DB_DIR/data" "${as_root_flag[@]}" \
    --auth-root-authentication-method=normal --skip-test-db >"$WORK/mariadb-install.log" 2>&1 \
    || { tail -n 30 "$WORK/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
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
mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$DB_PORT" -uroot <<SQL
CREATE DATABASE kairan CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER 'kairan'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON kairan.* TO 'kairan'@'127.0.0.1';
SQL

# --- Kairan server ----------------------------------------------------------------------------

HTTP_PORT="$(free_port)"
DATA_DIR="$WORK/data"
mkdir -p "$DATA_DIR"
say "starting the server ($SERVER_JAVA, $("$SERVER_JAVA" -version 2>&1 | head -n1)) on 127.0.0.1:$HTTP_PORT"
env KAIRAN_DATA_DIR="$DATA_DIR" \
    KAIRAN_HTTP_HOST=127.0.0.1 \
    KAIRAN_HTTP_PORT="$HTTP_PORT" \
    KAIRAN_DATABASE_JDBC_URL="jdbc:mariadb://127.0.0.1:$DB_PORT/kairan" \
    KAIRAN_DATABASE_USER=kairan \
    KAIRAN_DATABASE_PASSWORD="$DB_PASSWORD" \
    KAIRAN_AUTH_IP_ATTEMPTS_PER_MINUTE=1000000 \
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
say "server ready"

# --- the bench --------------------------------------------------------------------------------

timeout --kill-after=30 "$BENCH_TIMEOUT" \
    java -Xmx1g -jar "$BENCH_JAR" \
    --base-url "http://127.0.0.1:$HTTP_PORT" \
    --operator-password-file "$PASSWORD_FILE" \
    "$@"
