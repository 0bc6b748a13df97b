#!/usr/bin/env bash
# Builds the node agent and operator images as OCI tars, without a registry, a container daemon or network
# beyond Maven Central and the Debian archive (only on the first run, to fill the caches):
#
#   hack/build-images.sh          node-agent/target/jib-image.tar, operator/target/jib-image.tar
#
# Import into containerd:  ctr -n k8s.io images import node-agent/target/jib-image.tar
# What the images hold: README.md, section "Images".
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
beesting::java_home

./mvnw -B -ntp -q -Pimages -pl node-agent,operator -am package -DskipTests "$@"

for module in node-agent operator; do
    tar=$module/target/jib-image.tar
    unpacked=$(du -sb "$module/target/image-root" | cut -f1)
    printf 'hack: %s: %s MB compressed, runtime and libraries %s MB unpacked\n' "$tar" \
        "$(($(stat -c %s "$tar") / 1000000))" "$((unpacked / 1000000))" >&2
done
