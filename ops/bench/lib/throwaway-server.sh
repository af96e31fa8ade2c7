# Sourced by the bench scripts (not run): a throwaway MariaDB and a throwaway Kairan server on loopback, both
# stopped (and, unless kept, deleted) when the sourcing script exits, with their logs copied to $LOG_DIR.
#
# The script sets before sourcing:
#   BENCH_NAME    prefix of every line printed, e.g. gateway-bench
#   ROOT          the repository root
#   SERVER_JAR    the server's jar
#   SERVER_JAVA   java for the server
#   SERVER_OPTS   (array) JVM options for the server
#   LOG_DIR       where the logs are copied on exit
#   STATE         optional: a directory that keeps the database and the server's data directory for the next
#                 run (empty or unset: everything lives in a temporary directory)
#   DIE_STATUS    optional: exit status of die (default 3)
#   LAUNCH_PREFIX optional (array): put before mariadbd and the server's java, e.g. (taskset -c 0) to pin them
# then calls start_throwaway_server (after its build step, which may use say and die), and at the end
# server_log_problems.
# It leaves: WORK (temporary directory), FRESH_DB (1 when the database was created now), DB_PORT, DB_PID,
# HTTP_PORT, GATEWAY_PORT, MANAGEMENT_PORT (/metrics), SERVER_PID, DATA_DIR, PASSWORD_FILE (the operator's setup password; empty file when a
# kept server's operator changed it already).
# shellcheck shell=bash

say() { printf '[%s] %s\n' "$BENCH_NAME" "$*"; }
die() {
    printf '[%s] ERROR: %s\n' "$BENCH_NAME" "$*" >&2
    exit "${DIE_STATUS:-3}"
}

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

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

# What went wrong on the server, if anything: warnings, errors and what the JVM printed outside the log format.
server_log_problems() {
    kill -0 "$SERVER_PID" 2>/dev/null || say "the server is no longer running: see $LOG_DIR/server.log"
    grep -E ' (WARN|ERROR) |^(Exception|java\.|\s+at )' "$WORK/server.log" | cut -c1-300 | head -n 30 \
        | sed "s/^/[$BENCH_NAME] server log: /" || true
}

start_throwaway_server() {
    for cmd in mariadbd mariadb-install-db mariadb-admin mariadb; do
        command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: apt-get install -y mariadb-server"
    done

    # --- file descriptors -------------------------------------------------------------------------
    # One per connection in the server and one in the driver (plus jars, logs, database connections).
    # Children inherit the limit; a process here may have at most 20,000.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    say "open files allowed per process: $(ulimit -n)"

    # --- cleanup ----------------------------------------------------------------------------------

    WORK="$(mktemp -d "${TMPDIR:-/tmp}/kairan-$BENCH_NAME.XXXXXX")"
    STATE="${STATE:-}"
    if [[ -n "$STATE" ]]; then
        mkdir -p "$STATE"
        STATE="$(cd "$STATE" && pwd)"
    fi
    STATE_DIR="${STATE:-$WORK}" # where the database and the server's data directory live
    DB_PID=""
    SERVER_PID=""
    DB_PORT=""
    if ! declare -p LAUNCH_PREFIX >/dev/null 2>&1; then
        LAUNCH_PREFIX=()
    fi

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    # --- helpers ----------------------------------------------------------------------------------




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
    if [[ -n "$STATE" ]]; then
        say "starting MariaDB on 127.0.0.1:$DB_PORT (kept in $STATE)"
    else
        say "starting a throwaway MariaDB on 127.0.0.1:$DB_PORT"
    fi
    if ((FRESH_DB)); then
        mariadb-install-db --no-defaults --datadir="$DB_DIR/data" "${as_root_flag[@]}" \
            --auth-root-authentication-method=normal --skip-test-db >"$WORK/mariadb-install.log" 2>&1 \
            || { tail -n 30 "$WORK/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
    fi
    "${LAUNCH_PREFIX[@]}" mariadbd --no-defaults --datadir="$DB_DIR/data" --socket="$DB_DIR/sock" --pid-file="$DB_DIR/mariadbd.pid" \
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
    MANAGEMENT_PORT="$(free_port)" # /metrics is served only there (issue #16)
    DATA_DIR="$STATE_DIR/data"
    mkdir -p "$DATA_DIR"
    say "starting the server ($SERVER_JAVA, $("$SERVER_JAVA" -version 2>&1 | head -n1), ${SERVER_OPTS[*]})" \
        "on 127.0.0.1:$HTTP_PORT, gateway :$GATEWAY_PORT, metrics :$MANAGEMENT_PORT"
    # Access tokens must outlive the run (the default 5 minutes would close every connection with 4001);
    # all bench traffic comes from 127.0.0.1, so the per-address sign-in limit is raised.
    env KAIRAN_DATA_DIR="$DATA_DIR" \
        KAIRAN_HTTP_HOST=127.0.0.1 \
        KAIRAN_HTTP_PORT="$HTTP_PORT" \
        KAIRAN_GATEWAY_HOST=127.0.0.1 \
        KAIRAN_GATEWAY_PORT="$GATEWAY_PORT" \
        KAIRAN_MANAGEMENT_HOST=127.0.0.1 \
        KAIRAN_MANAGEMENT_PORT="$MANAGEMENT_PORT" \
        KAIRAN_DATABASE_JDBC_URL="jdbc:mariadb://127.0.0.1:$DB_PORT/kairan" \
        KAIRAN_DATABASE_USER=kairan \
        KAIRAN_DATABASE_PASSWORD="$DB_PASSWORD" \
        KAIRAN_AUTH_IP_ATTEMPTS_PER_MINUTE=1000000 \
        KAIRAN_AUTH_ACCESS_TOKEN_TTL=2h \
        "${LAUNCH_PREFIX[@]}" "$SERVER_JAVA" "${SERVER_OPTS[@]}" -jar "$SERVER_JAR" serve >"$WORK/server.log" 2>&1 &
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
        ((FRESH_DB)) || break # a kept server: the users come from the bench's state file
        ((i < 100)) || die "the server is ready but wrote no $PASSWORD_FILE"
        sleep 0.1
    done
    say "server ready (pid $SERVER_PID, MariaDB pid $DB_PID)"
}
