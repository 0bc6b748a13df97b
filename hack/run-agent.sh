#!/usr/bin/env bash
# The README's first command: builds the agent (tests skipped) and runs it standalone on this machine with
# config/samples/standalone.yaml. Needs root. In another shell, `cat` a planted file to see a JSON line.
# Extra arguments go to the agent, e.g. `hack/run-agent.sh --tier fanotify`.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh

beesting::install_build_deps
beesting::java_home

./mvnw -B -q -ntp -pl node-agent -am package -DskipTests
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar node-agent/target/beesting-agent.jar \
    standalone --config config/samples/standalone.yaml "$@"
