#!/usr/bin/env bash
# JMH microbenchmarks of what device binding (issue #4) costs the server: access-token and DPoP proof
# verification per HTTP request and per gateway authentication, with the server's own TokenService and
# DpopVerifier; and what classifying a message costs the send path (issue #5, ClassifierBench)
# (module ops/bench/jmh). Prints a markdown table and writes it, with JMH's JSON, to
# ops/bench/results/.
#
#   ops/bench/jmh-bench.sh --smoke                 # 1 fork, 1 + 1 short iterations: under a minute of JMH
#   ops/bench/jmh-bench.sh                         # 2 forks, 3 warm-up + 5 measured iterations of 2 s: ~5 minutes
#   ops/bench/jmh-bench.sh -t 2 'httpRequest'      # anything else goes to JMH (here: 2 threads, one benchmark)
#   KAIRAN_BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ops/bench/jmh-bench.sh
#
# Environment:
#   KAIRAN_BENCH_JAVA       the JVM to measure (default: java on PATH); JMH's forks use the same one
#   KAIRAN_BENCH_REBUILD=1  rebuild even if target/jmh.classpath exists
#   KAIRAN_BENCH_RESULTS    where the results go (default ops/bench/results; CI: under target/)
#
# Exit status: non-zero when a benchmark fails (-foe: a proof or token refused), never on timings.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT="$PWD"
MODULE="$ROOT/ops/bench/jmh"
JAVA="${KAIRAN_BENCH_JAVA:-java}"
RESULTS_DIR="${KAIRAN_BENCH_RESULTS:-$ROOT/ops/bench/results}"

say() { printf '[jmh-bench] %s\n' "$*"; }

SMOKE=0
ARGS=()
for arg in "$@"; do
    if [[ "$arg" == --smoke ]]; then SMOKE=1; else ARGS+=("$arg"); fi
done

if [[ "${KAIRAN_BENCH_REBUILD:-0}" == 1 || ! -f "$MODULE/target/jmh.classpath" || ! -d "$MODULE/target/classes/META-INF" ]]; then
    say "building: mvn -B -ntp -q -DskipTests package -pl ops/bench/jmh -am"
    mvn -B -ntp -q -DskipTests package -pl ops/bench/jmh -am
fi
CP="$MODULE/target/classes:$(cat "$MODULE/target/jmh.classpath")"

version="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p' | head -n1)"
stamp="$(date -u +%Y%m%d-%H%M%S)"
mode=full
JMH_OPTS=()
if ((SMOKE)); then
    mode=smoke
    JMH_OPTS=(-f 1 -wi 1 -w 1s -i 1 -r 1s -p pool=1024)
fi
mkdir -p "$RESULTS_DIR"
json="$RESULTS_DIR/jmh-$mode-java$version-$stamp.json"
md="${json%.json}.md"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
say "JMH on Java $version ($JAVA), $mode; load $load_before"
"$JAVA" -cp "$CP" org.openjdk.jmh.Main ProofVerificationBench -foe true "${JMH_OPTS[@]}" "${ARGS[@]}" \
    -rf json -rff "$json"
# Classification (issue #5): its own run, as it takes no pool parameter.
json_c="${json%.json}-classifier.json"
CLASSIFY_OPTS=()
if ((SMOKE)); then CLASSIFY_OPTS=(-f 1 -wi 1 -w 1s -i 1 -r 1s); fi
"$JAVA" -cp "$CP" org.openjdk.jmh.Main ClassifierBench -foe true "${CLASSIFY_OPTS[@]}" "${ARGS[@]}" \
    -rf json -rff "$json_c"
{
    echo "## JMH: proof verification, Java $version, $mode ($(date -u +%Y-%m-%dT%H:%MZ))"
    echo
    echo "Load average (1/5/15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores."
    echo
    "$JAVA" -cp "$CP" jp.kairan.bench.jmh.JmhSummary "$json"
    echo
    echo "### Classification (ClassifierBench)"
    echo
    "$JAVA" -cp "$CP" jp.kairan.bench.jmh.JmhSummary "$json_c"
} | tee "$md"
say "results: ${md#"$ROOT"/} and ${json#"$ROOT"/}"
