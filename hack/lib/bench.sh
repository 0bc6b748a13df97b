# shellcheck shell=bash
# The one way the hack/bench-*.sh scripts run a benchmark:
#
#   beesting::bench MODULE CLASS [ARGS...]
#
# A benchmark is a class under MODULE/src/test/java. Maven builds MODULE and what it needs first (-am: this
# checkout's modules, not snapshots from the local repository). A class with a main method runs on the module's
# test classpath from the module's folder, as under Maven, with ARGS as its arguments, the array
# BEESTING_BENCH_JVM_OPTS as extra JVM options and the array BEESTING_BENCH_PREFIX as a command to run the JVM
# under (e.g. /usr/bin/time); a JUnit class (one that uses the test harnesses' extensions) runs under Surefire, with ARGS as
# -D properties, and only its BENCH lines are shown. Either way a build or benchmark that fails ends the script
# with a non-zero exit, the output that explains it, and a line naming the benchmark.

BEESTING_BENCH_PREFIX=()
BEESTING_BENCH_JVM_OPTS=()

# Runs one benchmark; see above.
beesting::bench() {
    local module=$1 class=$2
    shift 2
    local source="$module/src/test/java/${class//.//}.java"
    [[ -f $source ]] || beesting::bench_failed "$class" "no benchmark at $source"
    if grep -q '@Test' "$source"; then
        beesting::bench_junit "$module" "$class" "$@"
    else
        beesting::bench_main "$module" "$class" "$@"
    fi
}

# Ends the script: the benchmark failed.
beesting::bench_failed() {
    echo "hack: benchmark $1 failed${2:+: $2}" >&2
    exit 1
}

# Makes any failing command of a shell-driven benchmark end the script with a line naming it.
beesting::bench_guard() {
    local name=$1
    # shellcheck disable=SC2064 # the name is fixed now
    trap "echo \"hack: benchmark $name failed (line \$LINENO)\" >&2" ERR
}

# Builds MODULE and what it needs, quietly; on failure shows Maven's output.
beesting::bench_build() {
    local module=$1 name=$2
    shift 2
    local log
    log=$(mktemp)
    if ! ./mvnw -B -ntp -pl "$module" -am "$@" >"$log" 2>&1; then
        cat "$log"
        rm -f "$log"
        beesting::bench_failed "$name" "build of $module failed"
    fi
    rm -f "$log"
}

beesting::bench_main() {
    local module=$1 class=$2
    shift 2
    beesting::bench_build "$module" "$class" test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
    local rc=0
    local -a prefix=("${BEESTING_BENCH_PREFIX[@]}") jvm_opts=("${BEESTING_BENCH_JVM_OPTS[@]}")
    # from the module's folder, as under Maven (the mock API server reads the CRDs from ../crds)
    (cd "$module" && "${prefix[@]}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
        -Dbeesting.logLevel=warn -Djava.util.logging.config.file=/dev/null \
        "${jvm_opts[@]}" \
        -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$class" "$@") || rc=$?
    ((rc == 0)) || beesting::bench_failed "$class" "exit $rc"
}

beesting::bench_junit() {
    local module=$1 class=$2
    shift 2
    local log
    log=$(mktemp)
    if ! ./mvnw -B -ntp -pl "$module" -am test -Dtest="${class##*.}" -Dsurefire.failIfNoSpecifiedTests=false \
        -Dbeesting.logLevel=warn "$@" >"$log" 2>&1; then
        cat "$log"
        rm -f "$log"
        beesting::bench_failed "$class"
    fi
    grep -E '^BENCH|Tests run:' "$log"
    rm -f "$log"
}
