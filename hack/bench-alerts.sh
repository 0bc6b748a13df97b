#!/usr/bin/env bash
# Benchmark command: access -> HoneytokenAlert visible in the API (p50/p99, target p99 <= 1 s) and the cost of
# publishing a flood to the alert writer, against the in-process fabric8 mock API server. Prints numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
beesting::java_home

./mvnw -B -q -ntp -pl node-agent -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# from node-agent/, as under Maven: the mock API server reads the CRDs from ../crds
cd node-agent
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Djava.util.logging.config.file=/dev/null \
    -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    dev.beesting.agent.kube.AlertLatencyBench
