#!/usr/bin/env bash
# Benchmarks the operator's compilation: N policies against M namespaces (default 1000 5000), printing time and
# memory. Usage: hack/bench-operator.sh [policies] [namespaces] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
beesting::java_home

./mvnw -B -q -ntp -pl crds,operator test-compile
./mvnw -B -q -ntp -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
classpath="crds/target/classes:operator/target/classes:operator/target/test-classes:$(cat operator/target/bench.classpath)"
# a fixed heap like a pod limit: the numbers then say whether 512 MiB is enough
/usr/bin/time -f "wall=%es peakRSS=%MKiB" \
    "$JAVA_HOME/bin/java" -Xmx512m -cp "$classpath" dev.beesting.operator.bench.CompileBenchmark "$@"
