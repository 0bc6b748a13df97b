#!/usr/bin/env bash
# Runs the node agent's detection tests inside qemu guests with stock Debian kernels (hack/vmtest.sh), for
# the tiers this machine's kernel refuses. Maven runs only on the host: it compiles the tests and writes
# their classpath; the guest runs them with the host's JDK and the agent's GuestTestRunner.
#
#   hack/vmtest-detect.sh [--kernel 6.1|6.12|all] [--tiers lsm,fentry,kprobe] [--tests CLASS_REGEX]
#                         [--timeout SECONDS] [--no-build] [-Dname=value]...
#
# The tests run in node-agent/ (as under Maven) and see the tier list as -Dbeesting.test.tiers and each
# -Dname=value given here. JUnit XML
# reports land in .build/vmtest/detect/<kernel>/junit. Exits non-zero if a guest failed, a test failed, or nothing passed.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
source hack/lib/env.sh

kernels=all tiers=lsm,fentry,kprobe tests='dev\.beesting\.agent\.detect\..*IT' timeout=600 build=1
properties=()
while (($#)); do
    case $1 in
        --kernel) kernels=$2 && shift 2 ;;
        --tiers) tiers=$2 && shift 2 ;;
        --tests) tests=$2 && shift 2 ;;
        --timeout) timeout=$2 && shift 2 ;;
        --no-build) build=0 && shift ;;
        -D?*=*) properties+=("$1") && shift ;;
        *) sed -n '6,7p' "$0" | sed 's/^# *//' >&2 && exit 2 ;;
    esac
done

beesting::install_vm_deps
beesting::java_home
out=$PWD/.build/vmtest/detect
mkdir -p "$out"

if ((build)); then
    # Reactor modules resolve to their target/classes, so nothing needs installing.
    ./mvnw -B -q -pl node-agent -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/vmtest.classpath -Dmdep.includeScope=test
fi
agent=$PWD/node-agent
echo "-cp $agent/target/test-classes:$agent/target/classes:$(cat node-agent/target/vmtest.classpath)" \
    >"$out/classpath.args"

vm_rc=0
# Surefire's argLine plus what makes a short JVM run cheaper under emulation, where compiling costs ~10x:
# C1 only (the test run took 66 s instead of 101 s on 6.1 with C1 only) and one GC thread.
# The reports directory exists only in the guest, hence bash -c.
hack/vmtest.sh --kernel "$kernels" --timeout "$timeout" --results "$out" -- \
    bash -c 'cd node-agent && exec "$@" "$BEESTING_VM_RESULTS/junit"' _ \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    "-Dbeesting.test.tiers=$tiers" "${properties[@]}" "@$out/classpath.args" \
    dev.beesting.agent.testing.GuestTestRunner "$agent/target/test-classes" "$tests" ||
    vm_rc=$?

# One line per kernel from the JUnit XML report, then the tests that failed.
overall=$vm_rc
[[ $kernels == all ]] && kernels="6.1 6.12"
for series in $kernels; do
    report=$out/$series/junit/TEST-junit-jupiter.xml
    release=$(cat "$out/$series/kernel" 2>/dev/null || echo "$series")
    guest_rc=$(cat "$out/$series/exit-code" 2>/dev/null || echo none)
    if [[ ! -s $report ]]; then
        echo "vmtest-detect: $release tiers $tiers: no JUnit report (guest exit $guest_rc)"
        overall=1
        continue
    fi
    read -r total skipped failures errors < <(sed -nE \
        's/^<testsuite .*tests="([0-9]+)" skipped="([0-9]+)" failures="([0-9]+)" errors="([0-9]+)".*/\1 \2 \3 \4/p' \
        "$report")
    passed=$((total - skipped - failures - errors))
    printf 'vmtest-detect: %-22s tiers %s: %d tests, %d passed, %d failed, %d skipped (guest exit %s)\n' \
        "$release" "$tiers" "$total" "$passed" "$((failures + errors))" "$skipped" "$guest_rc"
    awk '/<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7);
                        match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
         /<(failure|error)[ >]/ { print "vmtest-detect:   FAILED " cls "." name }' "$report"
    if ((failures + errors > 0 || passed == 0)); then
        overall=1
    fi
done
exit "$overall"
