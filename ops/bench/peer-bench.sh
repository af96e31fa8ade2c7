#!/usr/bin/env bash
# Peer benchmark: the same chat load on Kairan and on ejabberd (XMPP over WebSocket, multi-user rooms archived by
# mod_mam into the same MariaDB), in one run, side by side. Installs ejabberd and its MySQL driver from the OS
# packages when missing, starts a throwaway MariaDB (innodb_flush_log_at_trx_commit=1), then for each placement:
# Kairan on loopback and PeerBench against it, Kairan stopped, ejabberd on loopback and PeerBench against it;
# finally PeerReport writes the markdown table and the PNG plot.
#
#   ops/bench/peer-bench.sh                 # both placements, 2,000 connections, rates rising to the knee
#   ops/bench/peer-bench.sh --smoke         # shared placement, 50 connections, two low steps: does it work?
#   ops/bench/peer-bench.sh --placement pinned --rates 500,1000,2000   # any PeerBench option passes through
#   ops/bench/peer-bench.sh --targets ejabberd --placement shared         # one server only (no side by side)
#
# Placements: pinned = MariaDB and the server under test started on core 0 (taskset), the driver on core 1;
# shared = no pinning. Exit status: 0 when both servers ran (timings never fail it); 1 when PeerBench found loss
# below the knee; 2 when a bench could not run; 3 when MariaDB, Kairan or ejabberd could not be started.
#
# Environment:
#   KAIRAN_BENCH_JAVA         java for Kairan (default: java on PATH)
#   KAIRAN_BENCH_SERVER_OPTS  JVM options for Kairan (default: -Xmx1g)
#   KAIRAN_BENCH_DRIVER_OPTS  JVM options for the load driver (default: -Xmx2g)
#   KAIRAN_BENCH_TIMEOUT      upper bound in seconds for each PeerBench (default 1800)
#   KAIRAN_BENCH_RESULTS      where the report goes (default: ops/bench/results; --smoke: ops/bench/target/ci-results)
#   KAIRAN_BENCH_REBUILD=1    rebuild the jars even if they exist
#   KAIRAN_BENCH_STATE=DIR    keep MariaDB (both servers' data) and Kairan's provisioned users in DIR and reuse
#                             them next time (provisioning 2,000 Kairan users takes about five minutes)
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

SERVER_JAR="$ROOT/server/target/kairan-server.jar"
BENCH_JAR="$ROOT/ops/bench/target/kairan-bench.jar"
BENCH_CLASSPATH="$ROOT/ops/bench/target/gatling.classpath"
SERVER_JAVA="${KAIRAN_BENCH_JAVA:-java}"
BENCH_TIMEOUT="${KAIRAN_BENCH_TIMEOUT:-1800}"
# shellcheck disable=SC2206 # word splitting of JVM options is intended
SERVER_OPTS=(${KAIRAN_BENCH_SERVER_OPTS:--Xmx1g})
# shellcheck disable=SC2206
DRIVER_OPTS=(${KAIRAN_BENCH_DRIVER_OPTS:--Xmx2g})
XMPP_DOMAIN=bench.localhost

SMOKE=0
PLACEMENT=both
TARGETS=kairan,ejabberd
INNER_OUT=""
PASS=()
while (($#)); do
    case "$1" in
        --smoke) SMOKE=1; shift ;;
        --placement) PLACEMENT="$2"; shift 2 ;;
        --targets) TARGETS="$2"; shift 2 ;;
        --inner-out) INNER_OUT="$2"; shift 2 ;; # internal: one placement, results into this directory
        *) PASS+=("$1"); shift ;;
    esac
done
case "$PLACEMENT" in pinned | shared | both) ;; *) echo "peer-bench: --placement pinned|shared|both" >&2; exit 2 ;; esac
if ((SMOKE)); then
    [[ "$PLACEMENT" == both ]] && PLACEMENT=shared
    PRESET=(--rooms 5 --members 10 --rates 50,100 --warmup-seconds 5 --step-seconds 10 --step-warmup-seconds 3 --ramp-seconds 5
        --settle-seconds 2 --drain-seconds 5)
    RESULTS="${KAIRAN_BENCH_RESULTS:-$ROOT/ops/bench/target/ci-results}"
else
    PRESET=()
    RESULTS="${KAIRAN_BENCH_RESULTS:-$ROOT/ops/bench/results}"
fi

# --- outer run: every placement, then the report ---------------------------------------------------------------

if [[ -z "$INNER_OUT" ]]; then
    say() { printf '[peer-bench] %s\n' "$*"; }
    if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" || ! -f "$BENCH_CLASSPATH" ]]; then
        say "building the server and bench jars: mvn -B -ntp -DskipTests package"
        mvn -B -ntp -q -DskipTests package
    fi
    STAMP="$(date -u +%Y%m%d-%H%M%S)"
    RUN_DIR="$ROOT/ops/bench/target/peer-bench/$STAMP"
    mkdir -p "$RUN_DIR"
    # MariaDB and Kairan's users, kept from one placement to the next (and between runs with KAIRAN_BENCH_STATE).
    STATE_DIR="${KAIRAN_BENCH_STATE:-$RUN_DIR/state}"
    SMOKE_ARG=()
    ((SMOKE)) && SMOKE_ARG=(--smoke)
    placements=(pinned shared)
    [[ "$PLACEMENT" != both ]] && placements=("$PLACEMENT")
    status=0
    for p in "${placements[@]}"; do
        say "placement $p"
        set +e
        KAIRAN_BENCH_STATE="$STATE_DIR" "$0" --placement "$p" --targets "$TARGETS" --inner-out "$RUN_DIR" \
            "${SMOKE_ARG[@]}" "${PASS[@]}"
        st=$?
        set -e
        ((st > status)) && status=$st
        ((st >= 2)) && { say "placement $p could not run (exit $st); see $RUN_DIR"; exit "$st"; }
    done
    [[ -n "${KAIRAN_BENCH_STATE:-}" ]] || rm -rf "$STATE_DIR"
    name="peer"
    ((SMOKE)) && name="peer-smoke"
    mkdir -p "$RESULTS"
    versions="$(cat "$RUN_DIR/versions.txt" 2>/dev/null || echo '?')"
    command="ops/bench/peer-bench.sh"
    ((SMOKE)) && command+=" --smoke"
    [[ "$PLACEMENT" != both ]] && command+=" --placement $PLACEMENT"
    [[ "$TARGETS" != kairan,ejabberd ]] && command+=" --targets $TARGETS"
    ((${#PASS[@]})) && command+=" ${PASS[*]}"
    java -cp "$BENCH_JAR:$(cat "$BENCH_CLASSPATH")" jp.kairan.bench.PeerReport \
        --md "$RESULTS/$name-$STAMP.md" --png "$RESULTS/$name-$STAMP.png" \
        --command "$command" --versions "$versions" "$RUN_DIR"/result-*.json
    mkdir -p "$RESULTS/$name-$STAMP-json"
    cp "$RUN_DIR"/result-*.json "$RESULTS/$name-$STAMP-json/"
    say "report: ${RESULTS#"$ROOT"/}/$name-$STAMP.md, its data in $name-$STAMP-json/ (exit $status)"
    exit "$status"
fi

# --- inner run: one placement ----------------------------------------------------------------------------------

BENCH_NAME="peer-bench $PLACEMENT"
LOG_DIR="$INNER_OUT/logs-$PLACEMENT"
STATE="${KAIRAN_BENCH_STATE:-}"
DRIVER_PREFIX=()
LAUNCH_PREFIX=()
if [[ "$PLACEMENT" == pinned ]]; then
    (($(nproc) >= 2)) || { echo "peer-bench: pinned needs two cores, this machine has $(nproc)" >&2; exit 3; }
    command -v taskset >/dev/null || { echo "peer-bench: taskset not found (util-linux)" >&2; exit 3; }
    LAUNCH_PREFIX=(taskset -c 0)
    DRIVER_PREFIX=(taskset -c 1)
fi
# shellcheck source=lib/throwaway-server.sh
source "$ROOT/ops/bench/lib/throwaway-server.sh"

# ejabberd and its MariaDB driver from the OS packages (the driver is erlang-p1-mysql).
if ! command -v ejabberdctl >/dev/null 2>&1 || ! dpkg -s erlang-p1-mysql >/dev/null 2>&1; then
    say "installing ejabberd and erlang-p1-mysql from the OS packages"
    SUDO=()
    [[ "$(id -u)" -eq 0 ]] || SUDO=(sudo -n)
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get install -y -q ejabberd erlang-p1-mysql >"/tmp/peer-bench-apt.log" 2>&1 \
        || { "${SUDO[@]}" apt-get update -q >>"/tmp/peer-bench-apt.log" 2>&1 \
            && "${SUDO[@]}" apt-get install -y -q ejabberd erlang-p1-mysql >>"/tmp/peer-bench-apt.log" 2>&1; } \
        || { tail -n 20 /tmp/peer-bench-apt.log >&2; die "cannot install ejabberd (apt-get, as root)"; }
fi
EJ_VERSION="$(dpkg-query -W -f='${Version}' ejabberd 2>/dev/null || echo '?')"
[[ "$(id -u)" -eq 0 || "$(id -un)" == ejabberd ]] || die "ejabberdctl runs as root or as the ejabberd user only"

start_throwaway_server

mysql_root() { mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$DB_PORT" -uroot "$@"; }
if [[ -z "$(mysql_root -N -e "SHOW DATABASES LIKE 'ejabberd'")" ]]; then
    say "creating ejabberd's database (the stock schema, /usr/share/ejabberd/sql/mysql.sql)"
    mysql_root <<SQL
CREATE DATABASE ejabberd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'ejabberd'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON ejabberd.* TO 'ejabberd'@'127.0.0.1';
SQL
    mysql_root ejabberd </usr/share/ejabberd/sql/mysql.sql
fi
echo "Kairan $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') on $("$SERVER_JAVA" -version 2>&1 | head -n1 | tr -d '"'), ${SERVER_OPTS[*]}; ejabberd $EJ_VERSION (Debian, Erlang/OTP $(erl -noshell -eval 'io:format("~s",[erlang:system_info(otp_release)]),halt().' 2>/dev/null || echo '?')); $(mariadbd --version | sed 's/ *for .*//'); Gatling 3.15.1 driver on $(java -version 2>&1 | head -n1 | tr -d '"')" >"$INNER_OUT/versions.txt"

run_bench() { # target, extra PeerBench arguments...
    local target="$1"
    shift
    set +e
    timeout --kill-after=30 "$BENCH_TIMEOUT" "${DRIVER_PREFIX[@]}" \
        java "${DRIVER_OPTS[@]}" --add-opens=java.base/java.lang=ALL-UNNAMED \
        -cp "$BENCH_JAR:$(cat "$BENCH_CLASSPATH")" jp.kairan.bench.PeerBench \
        --target "$target" --placement "$PLACEMENT" --db-pid "$DB_PID" \
        --out "$INNER_OUT/result-$target-$PLACEMENT.json" "${PRESET[@]}" "$@" "${PASS[@]}"
    local st=$?
    set -e
    return "$st"
}

# --- Kairan ----------------------------------------------------------------------------------------------------

status=0
if [[ ",$TARGETS," == *,kairan,* ]]; then
run_bench kairan --base-url "http://127.0.0.1:$HTTP_PORT" --gateway-url "ws://127.0.0.1:$GATEWAY_PORT/ws" \
    --operator-password-file "$PASSWORD_FILE" --users-file "$STATE/users.json" --server-pid "$SERVER_PID" \
    --count-rows "mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P$DB_PORT -uroot -N -e 'SELECT COUNT(*) FROM kairan.messages'" \
    || status=$?
server_log_problems
((status >= 2)) && exit "$status"
fi
say "stopping Kairan"
kill -TERM "$SERVER_PID"
for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
kill -KILL "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
[[ ",$TARGETS," == *,ejabberd,* ]] || exit "$status"

# --- ejabberd --------------------------------------------------------------------------------------------------

EJ_DIR="$(mktemp -d /tmp/kairan-peer-ejabberd.XXXXXX)" # readable by the ejabberd user, unlike $WORK
EJ_NODE="kbench$$@localhost"
EJ_PORT="$(free_port)"
EJ_PID=""
# As the ejabberd user, keeping this shell's limits (ejabberdctl would otherwise su, and PAM would cut the open
# files to 1,024: 2,000 connections need more).
AS_EJ=()
[[ "$(id -u)" -eq 0 ]] && AS_EJ=(setpriv --reuid=ejabberd --regid=ejabberd --init-groups env HOME=/var/lib/ejabberd)
ejctl() { "${AS_EJ[@]}" ejabberdctl --config-dir "$EJ_DIR" -c "$EJ_DIR/ejabberdctl.cfg" --spool "$EJ_DIR/spool" --logs "$EJ_DIR/logs" "$@"; }
stop_ejabberd() {
    if [[ -n "$EJ_PID" ]] && kill -0 "$EJ_PID" 2>/dev/null; then
        ejctl stop >/dev/null 2>&1 || true
        for _ in $(seq 1 100); do kill -0 "$EJ_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$EJ_PID" 2>/dev/null || true
    fi
    if [[ -d "$EJ_DIR" ]]; then
        mkdir -p "$LOG_DIR"
        cp -f "$EJ_DIR"/logs/*.log "$LOG_DIR"/ 2>/dev/null || true
        rm -rf "$EJ_DIR"
    fi
}
peer_cleanup() {
    local st=$?
    set +e
    stop_ejabberd
    (exit "$st")
    cleanup
}
trap peer_cleanup EXIT

mkdir -p "$EJ_DIR/spool" "$EJ_DIR/logs"
cp /etc/ejabberd/inetrc "$EJ_DIR/inetrc" 2>/dev/null || echo '{lookup,["file","native"]}.' >"$EJ_DIR/inetrc"
cat >"$EJ_DIR/ejabberdctl.cfg" <<CFG
ERLANG_NODE=$EJ_NODE
INET_DIST_INTERFACE=127.0.0.1
ERL_EPMD_ADDRESS=127.0.0.1
EJABBERD_CONFIG_PATH=$EJ_DIR/ejabberd.yml
EJABBERD_PID_PATH=$EJ_DIR/ejabberd.pid
CFG
# Loopback only; XMPP over WebSocket and the admin API on one HTTP listener, no TLS, no c2s or s2s ports.
# SQL for everything (users as SCRAM-SHA-1, rooms, the archive), no traffic shaping, no extras: the modules a
# group chat with archiving needs, and the admin API for provisioning.
cat >"$EJ_DIR/ejabberd.yml" <<YML
hosts:
  - $XMPP_DOMAIN
loglevel: warning
certfiles: []
listen:
  -
    port: $EJ_PORT
    ip: "127.0.0.1"
    module: ejabberd_http
    tls: false
    request_handlers:
      /ws: ejabberd_http_ws
      /api: mod_http_api
sql_type: mysql
sql_server: "127.0.0.1"
sql_port: $DB_PORT
sql_database: ejabberd
sql_username: ejabberd
sql_password: "$DB_PASSWORD"
sql_pool_size: 10
default_db: sql
auth_method: sql
auth_password_format: scram
new_sql_schema: false
shaper: {}
shaper_rules: {}
max_fsm_queue: 100000
acl:
  loopback:
    ip:
      - 127.0.0.0/8
access_rules:
  local:
    allow: all
api_permissions:
  "bench provisioning":
    from:
      - ejabberd_ctl
      - mod_http_api
    who:
      ip: 127.0.0.1/8
    what: "*"
modules:
  mod_admin_extra: {}
  mod_muc:
    db_type: sql
    ram_db_type: mnesia
    access: all
    access_create: all
    access_persistent: all
    history_size: 0
    max_users: 1000
    default_room_options:
      mam: true
      persistent: true
      members_only: true
      allow_subscription: false
  mod_muc_admin: {}
  mod_mam:
    db_type: sql
    default: never
    assume_mam_usage: false
    use_cache: false
YML
chown -R ejabberd: "$EJ_DIR" 2>/dev/null || true
say "starting ejabberd $EJ_VERSION on 127.0.0.1:$EJ_PORT (${LAUNCH_PREFIX[*]:-not pinned})"
(cd "$EJ_DIR" && exec "${LAUNCH_PREFIX[@]}" "${AS_EJ[@]}" ejabberdctl --config-dir "$EJ_DIR" -c "$EJ_DIR/ejabberdctl.cfg" \
    --spool "$EJ_DIR/spool" --logs "$EJ_DIR/logs" foreground) >"$WORK/ejabberd-console.log" 2>&1 &
EJ_LAUNCHER=$!
for i in $(seq 1 600); do
    [[ "$(http_status "$EJ_PORT" /api/status)" != 000 ]] && break
    kill -0 "$EJ_LAUNCHER" 2>/dev/null || { tail -n 30 "$WORK/ejabberd-console.log" "$EJ_DIR"/logs/*.log >&2; die "ejabberd exited"; }
    ((i < 600)) || { tail -n 30 "$EJ_DIR"/logs/*.log >&2; die "ejabberd not listening after 60 s"; }
    sleep 0.1
done
EJ_PID="$(pgrep -f -- "-sname $EJ_NODE" | while read -r p; do [[ "$(cat /proc/"$p"/comm 2>/dev/null)" == beam.smp ]] && echo "$p"; done | head -n1)"
[[ -n "$EJ_PID" ]] || die "ejabberd's beam.smp not found"
say "ejabberd ready (beam.smp pid $EJ_PID, affinity $(taskset -pc "$EJ_PID" 2>/dev/null | sed 's/.*: //'), $(grep 'open files' /proc/"$EJ_PID"/limits | awk '{print $4}') open files)"

ej_status=0
run_bench ejabberd --xmpp-url "ws://127.0.0.1:$EJ_PORT/ws" --xmpp-api "http://127.0.0.1:$EJ_PORT/api" \
    --xmpp-domain "$XMPP_DOMAIN" --server-pid "$EJ_PID" \
    --count-rows "mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P$DB_PORT -uroot -N -e 'SELECT COUNT(*) FROM ejabberd.archive'" \
    || ej_status=$?
grep -h -E '\[(error|critical)\]' "$EJ_DIR"/logs/*.log 2>/dev/null | cut -c1-300 | head -n 20 | sed "s/^/[$BENCH_NAME] ejabberd log: /" || true
((ej_status > status)) && status=$ej_status
exit "$status"
