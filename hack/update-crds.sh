#!/usr/bin/env bash
# Regenerates the CRD YAML under crds/ from the Java model (crds/src/main/java). Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
beesting::java_home
./mvnw -B -q -ntp -pl crds process-test-classes
cp crds/target/generated-crds/*.yml crds/
cp crds/target/generated-crds/*.yml config/crd/bases/
# written by hand, not generated: only copied
cp crds/honeytokenpolicies.beesting.dev-admission.yaml config/crd/bases/
echo "updated: $(cd crds && ls ./*.yml | tr '\n' ' ')"
