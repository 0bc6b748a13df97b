# shellcheck shell=bash
# Builds a tiny OCI image by hand from this system's busybox-static, so tests need no registry:
# one uncompressed layer with /bin/busybox and its applet links, entrypoint "sleep infinity".

BEESTING_TEST_IMAGE="docker.io/library/beesting-busybox:latest"

# Writes the OCI layout tar of the test image to OUT unless it is there already.
beesting::busybox_image() {
    local out=$1
    [[ -s "$out" ]] && return 0
    local work
    work=$(mktemp -d)
    local rootfs="$work/rootfs" layout="$work/layout"
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" \
        "$layout/blobs/sha256"
    chmod 1777 "$rootfs/tmp"
    cp /usr/bin/busybox "$rootfs/bin/busybox"
    local applet
    for applet in $(/usr/bin/busybox --list); do
        [[ "$applet" == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
    done
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$work/layer.tar" .

    local layer_digest layer_size config_digest config_size manifest_digest manifest_size
    layer_digest=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
    layer_size=$(stat -c %s "$work/layer.tar")
    mv "$work/layer.tar" "$layout/blobs/sha256/$layer_digest"

    printf '%s' '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Entrypoint":["/bin/sleep"],"Cmd":["infinity"]},"rootfs":{"type":"layers","diff_ids":["sha256:'"$layer_digest"'"]}}' \
        >"$work/config.json"
    config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
    config_size=$(stat -c %s "$work/config.json")
    mv "$work/config.json" "$layout/blobs/sha256/$config_digest"

    printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$config_digest"'","size":'"$config_size"'},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:'"$layer_digest"'","size":'"$layer_size"'}]}' \
        >"$work/manifest.json"
    manifest_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
    manifest_size=$(stat -c %s "$work/manifest.json")
    mv "$work/manifest.json" "$layout/blobs/sha256/$manifest_digest"

    printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    printf '%s' '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$manifest_digest"'","size":'"$manifest_size"',"annotations":{"io.containerd.image.name":"'"$BEESTING_TEST_IMAGE"'","org.opencontainers.image.ref.name":"latest"}}]}' \
        >"$layout/index.json"
    mkdir -p "$(dirname "$out")"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$layout" -cf "$out.tmp" .
    mv "$out.tmp" "$out"
    rm -rf "$work"
}
