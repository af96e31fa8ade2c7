#!/usr/bin/env bash
# Runs Kairan's whole test suite: unit tests, integration tests against a real MariaDB (a
# throwaway mariadbd, or the server named by KAIRAN_TEST_DB_URL), and the web client's tests
# in a real headless Chromium. This is what CI runs (.ci/run) and what the README gives.
#
#   ops/test.sh                 # everything: mvn -B -ntp verify, then the bench smokes (gateway, revocation, JMH,
#                               # export, peer)
#   ops/test.sh -pl server -am  # extra arguments go to Maven (and the smoke is left out)
#
# What the tests need from the OS (mariadbd, Chromium, ChromeDriver; ejabberd for the peer bench smoke) is installed from Debian
# packages when missing and when running as root; otherwise the exact command is printed.
# Java 17+, Maven, Node.js 20+ and npm must already be there. Nothing is ever skipped: a missing
# prerequisite fails the run.
set -euo pipefail

cd "$(dirname "$0")/.."
# mariadbd lives in /usr/sbin, which is not on every PATH (non-login shells, CI runners).
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

say() { printf '[ops/test.sh] %s\n' "$*"; }
die() { # first argument: the error; further arguments: lines of advice
    printf '[ops/test.sh] ERROR: %s\n' "$1" >&2
    shift
    (($# == 0)) || printf '    %s\n' "$@" >&2
    exit 1
}

# --- OS packages the tests need ---------------------------------------------------------------

# command -> Debian package that provides it
declare -A PACKAGE_OF=(
    [mariadbd]=mariadb-server
    [mariadb-install-db]=mariadb-server
    [mariadb-admin]=mariadb-server
    [chromium]=chromium
    [chromedriver]=chromium-driver
    [ejabberdctl]=ejabberd
)
REQUIRED_COMMANDS=(mariadbd mariadb-install-db mariadb-admin chromium chromedriver)
# Packages without a command of their own.
REQUIRED_PACKAGES=()
if (($# == 0)); then
    # The peer benchmark's smoke (below) runs ejabberd, with its MariaDB driver, next to Kairan.
    REQUIRED_COMMANDS+=(ejabberdctl)
    REQUIRED_PACKAGES+=(erlang-p1-mysql)
fi

missing_packages() {
    local cmd pkgs=()
    for cmd in "${REQUIRED_COMMANDS[@]}"; do
        if ! command -v "$cmd" >/dev/null 2>&1; then
            pkgs+=("${PACKAGE_OF[$cmd]}")
        fi
    done
    for pkg in "${REQUIRED_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$pkg")
    done
    if ((${#pkgs[@]})); then
        printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' '
    fi
}

missing="$(missing_packages)"
if [[ -n "$missing" ]]; then
    # shellcheck disable=SC2206 # word splitting of the package list is intended
    pkgs=($missing)
    install_cmd="apt-get update && apt-get install -y --no-install-recommends ${pkgs[*]}"
    if [[ "$(id -u)" -ne 0 ]]; then
        die "the tests need these Debian packages, which are missing: ${pkgs[*]}" \
            "install them as root with:" \
            "    $install_cmd" \
            "(or set KAIRAN_TEST_DB_URL to use an existing MariaDB; the browser tests still need chromium)"
    fi
    say "installing missing packages: ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
    apt-get "${apt_opts[@]}" update </dev/null
    apt-get "${apt_opts[@]}" install -y --no-install-recommends "${pkgs[@]}" </dev/null
    still_missing="$(missing_packages)"
    [[ -z "$still_missing" ]] || die "still missing after apt-get install: $still_missing"
fi

# --- toolchains (never installed here) --------------------------------------------------------

major_of() { # first number of a version string like 17.0.15, v20.20.2 or 1.8.0_392
    sed -E 's/^[^0-9]*([0-9]+).*/\1/' <<<"$1"
}

command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17 or newer (e.g. apt-get install -y openjdk-17-jdk-headless)"
command -v mvn >/dev/null 2>&1 || die "mvn not found: install Apache Maven 3.8+ (e.g. apt-get install -y maven)"
command -v node >/dev/null 2>&1 || die "node not found: install Node.js 20 or newer (the web client is built and tested with it)"
command -v npm >/dev/null 2>&1 || die "npm not found: install npm together with Node.js 20 or newer"

java_version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p' | head -n1)"
[[ -n "$java_version" ]] || java_version="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
mvn_output="$(mvn -v 2>&1)" || die "mvn -v failed:" "$mvn_output"
mvn_java_version="$(sed -n 's/^Java version: \([^,]*\),.*/\1/p' <<<"$mvn_output" | head -n1)"
node_version="$(node -v)"
npm_version="$(npm -v)"

(($(major_of "$java_version") >= 17)) || die "java on PATH is $java_version; Kairan needs Java 17 or newer"
[[ -n "$mvn_java_version" ]] || die "cannot tell which Java Maven uses (mvn -v printed no 'Java version:')"
(($(major_of "$mvn_java_version") >= 17)) || die "Maven runs on Java $mvn_java_version (JAVA_HOME=${JAVA_HOME:-unset}); Kairan needs Java 17 or newer"
(($(major_of "$node_version") >= 20)) || die "node is $node_version; the web client needs Node.js 20 or newer"

say "java:         $java_version (Maven uses $mvn_java_version)"
say "maven:        $(head -n1 <<<"$mvn_output" | sed 's/\x1b\[[0-9;]*m//g')"
say "node / npm:   $node_version / $npm_version"
say "mariadbd:     $(mariadbd --version 2>&1 | head -n1)"
say "chromium:     $(chromium --version 2>/dev/null | head -n1 || echo '?')"
say "chromedriver: $(chromedriver --version 2>/dev/null | head -n1 || echo '?')"
if [[ -n "${KAIRAN_TEST_DB_URL:-}" ]]; then
    say "database:     KAIRAN_TEST_DB_URL is set: integration tests use that server"
else
    say "database:     integration tests start a throwaway mariadbd"
fi

# --- the suite ---------------------------------------------------------------------------------

say "mvn -B -ntp verify $*"
mvn -B -ntp verify "$@"

# With no arguments this is the whole suite, CI's run: also prove that the benchmarks still work, as bounded
# smokes that fail only when they cannot run or find something wrong, never on timings (ops/bench/README.md):
# - the gateway benchmark (200 connections, 100 msgs/s, 20 s; about two minutes): a message lost or duplicated;
# - the revocation benchmark (500 connections, 25 devices revoked; about a minute): a connection of a
#   revoked device not closed with device.revoked and 4004, another connection closed, a revoked device accepted;
# - the JMH proof-verification and classification benchmarks (one short iteration each; about a minute): a proof
#   or token refused;
# - the export benchmark (20,000 messages exported and purged; about a minute): an export that failed or lost
#   messages;
# - the peer benchmark (Kairan, then ejabberd, 50 connections, two low steps; about a minute and a half): a
#   server that could not be started or provisioned, a message lost or duplicated;
# - the search benchmark (20,000 messages indexed, 200 searches, reindex; about a minute): messages left
#   unindexed, a search refused, reindex failing.
# Their reports go under ops/bench/target/ci-results, not into ops/bench/results.
if (($# == 0)); then
    export KAIRAN_BENCH_RESULTS="$PWD/ops/bench/target/ci-results"
    say "gateway benchmark smoke: ops/bench/gateway-bench.sh --ci"
    timeout 900 bash ops/bench/gateway-bench.sh --ci
    say "revocation benchmark smoke: ops/bench/revocation-bench.sh --smoke"
    timeout 600 bash ops/bench/revocation-bench.sh --smoke
    say "JMH smoke: ops/bench/jmh-bench.sh --smoke"
    timeout 300 bash ops/bench/jmh-bench.sh --smoke
    say "export benchmark smoke: ops/bench/export-bench.sh --smoke"
    timeout 400 bash ops/bench/export-bench.sh --smoke
    say "peer benchmark smoke: ops/bench/peer-bench.sh --smoke"
    timeout 600 bash ops/bench/peer-bench.sh --smoke
    say "search benchmark smoke: ops/bench/search-bench.sh --smoke"
    timeout 400 bash ops/bench/search-bench.sh --smoke
fi
