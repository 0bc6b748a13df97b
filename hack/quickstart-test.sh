#!/usr/bin/env bash
# Follows docs/quickstart.md, then the upgrade and uninstall of docs/operations.md, on a real single-node cluster
# (hack/kube-cluster.sh) with the images hack/build-images.sh builds, asserting what each step promises.
#
#   hack/quickstart-test.sh 1.7|2
#
# One JUnit testcase per step in $QUICKSTART_REPORTS (default .build/quickstart/<version>/junit), so
# hack/lib/summary.sh counts them; a step after a failed one is reported as skipped. The cluster is always torn
# down (and checked to leave nothing behind), whatever happens. Needs root and the Kubernetes binaries of
# hack/kube-build.sh; builds the images when node-agent/target/jib-image.tar or operator/... is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source hack/lib/env.sh
source hack/lib/kube.sh
source hack/lib/busybox-image.sh

VERSION=${1:-}
[[ "$VERSION" == 1.7 || "$VERSION" == 2 ]] || { sed -n '2,10p' "$0" >&2; exit 2; }
REPORTS=${QUICKSTART_REPORTS:-.build/quickstart/$VERSION/junit}
mkdir -p "$REPORTS"
REPORTS=$(cd "$REPORTS" && pwd)
# short: unix socket paths under it must stay below 108 bytes
CLUSTER_DIR=$(mktemp -d /tmp/beesting-cluster.XXXXXX)
WORK=$(mktemp -d)
RESOURCES=e2e/src/test/resources/quickstart
TOKEN_PATH=/var/run/secrets/eks.amazonaws.com/access_key_token
UPGRADE_TAG=0.1.1-upgrade

export PATH="$(beesting::kube_bin_dir):$PATH"
unset KUBECONFIG

# --- steps and the report ---------------------------------------------------------------------------------------

CASES=()
FAILED=""
RUN_STARTED=$(date +%s.%N)

elapsed() {
    awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'
}

xml_escape() {
    sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' | tr -d '\000-\010\013\014\016-\037'
}

# Runs step NAME (the function step_NAME) with `set -e` in a subshell, its output in WORK/NAME.log; records
# passed / failed / skipped and the time.
step() {
    local name=$1 started rc
    if [[ -n "$FAILED" ]]; then
        CASES+=("$name|skipped|0|not run: step $FAILED failed")
        printf 'quickstart: %-32s skipped\n' "$name"
        return
    fi
    started=$(date +%s.%N)
    (set -e; "step_$name") >"$WORK/$name.log" 2>&1
    rc=$?
    local took
    took=$(elapsed "$started")
    if ((rc == 0)); then
        CASES+=("$name|passed|$took|")
        printf 'quickstart: %-32s passed  %6s s\n' "$name" "$took"
    else
        FAILED=$name
        CASES+=("$name|failed|$took|$(tail -40 "$WORK/$name.log")")
        printf 'quickstart: %-32s FAILED  %6s s\n' "$name" "$took"
        tail -40 "$WORK/$name.log" | sed 's/^/    /'
    fi
}

write_report() {
    local file="$REPORTS/TEST-quickstart-containerd-$VERSION.xml" entry name result took text
    local tests=0 failures=0 skipped=0
    for entry in "${CASES[@]}"; do
        tests=$((tests + 1))
        result=${entry#*|}
        result=${result%%|*}
        [[ "$result" == failed ]] && failures=$((failures + 1))
        [[ "$result" == skipped ]] && skipped=$((skipped + 1))
    done
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo "<testsuite name=\"quickstart.containerd-$VERSION\" tests=\"$tests\" failures=\"$failures\" errors=\"0\" skipped=\"$skipped\" time=\"$(elapsed "$RUN_STARTED")\">"
        for entry in "${CASES[@]}"; do
            IFS='|' read -r name result took text <<<"$entry"
            text=${entry#*|*|*|}
            echo "  <testcase classname=\"quickstart.containerd-$VERSION\" name=\"$name\" time=\"$took\">"
            case "$result" in
                failed) echo "    <failure message=\"step $name failed\">$(xml_escape <<<"$text")</failure>" ;;
                skipped) echo "    <skipped message=\"$(xml_escape <<<"$text")\"/>" ;;
            esac
            # what the step printed (kubectl's answers), also when it passed
            if [[ -s "$WORK/$name.log" ]]; then
                echo "    <system-out>$(tail -c 16000 "$WORK/$name.log" | xml_escape)</system-out>"
            fi
            echo "  </testcase>"
        done
        echo "</testsuite>"
    } >"$file"
    echo "quickstart: report $file"
    echo "quickstart containerd-$VERSION: $((tests - failures - skipped)) passed, $failures failed, $skipped skipped"
}

teardown() {
    trap - EXIT INT TERM
    if [[ -n "$FAILED" && -d "$CLUSTER_DIR/logs" ]]; then
        # the cluster's logs outlive it when something failed
        rm -rf "$REPORTS/../logs"
        cp -r "$CLUSTER_DIR/logs" "$REPORTS/../logs"
        cp "$WORK"/*.log "$REPORTS/../logs/" 2>/dev/null
        cp "$CLUSTER_DIR/containerd/containerd.log" "$REPORTS/../logs/" 2>/dev/null
        cp -r "$CLUSTER_DIR/pod-logs" "$REPORTS/../logs/pods" 2>/dev/null
        echo "quickstart: logs in $(cd "$REPORTS/.." && pwd)/logs"
    fi
    FAILED="" # teardown runs and is judged whatever happened before
    step cluster_down
    write_report
    rm -rf "$WORK"
    local failures
    failures=$(grep -c '|failed|' <<<"$(printf '%s\n' "${CASES[@]}")")
    exit $((failures > 0 ? 1 : 0))
}
trap teardown EXIT
trap 'exit 130' INT TERM

# --- assertion helpers -------------------------------------------------------------------------------------------

# Polls CMD... every second until it succeeds, at most TIMEOUT seconds.
await() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@"; do
        if ((SECONDS >= deadline)); then
            echo "timed out after ${timeout}s: $what"
            return 1
        fi
        sleep 1
    done
}

fail() {
    echo "assertion failed: $*"
    return 1
}

save() { echo "$2" >"$WORK/var.$1"; }
load() { cat "$WORK/var.$1"; }

# Prints column COL of the row whose column KEYCOL is KEY in FILE, a table kubectl printed. Columns are cut at the
# header's offsets (kubectl aligns every cell under its header), so an empty cell stays a cell; the order of a
# CRD's printer columns is whatever its generator chose.
cell() {
    awk -v keycol="$2" -v key="$3" -v col="$4" '
        function trim(s) { gsub(/^ +| +$/, "", s); return s }
        NR == 1 {
            n = 0
            for (i = 1; i <= length($0); i++) {
                if (substr($0, i, 1) != " " && (i == 1 || substr($0, i - 2, 2) == "  ")) start[++n] = i
            }
            start[n + 1] = 100000
            for (c = 1; c <= n; c++) idx[trim(substr($0, start[c], start[c + 1] - start[c]))] = c
            next
        }
        {
            k = idx[keycol]; v = idx[col]
            if (trim(substr($0, start[k], start[k + 1] - start[k])) == key) print trim(substr($0, start[v], start[v + 1] - start[v]))
        }' "$1"
}

# The running simplecms pod that is not being deleted.
cms_pod() {
    kubectl -n cms get pods -l app=simplecms \
        -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.metadata.deletionTimestamp}{"\n"}{end}' \
        | awk '$2 == "Running" && NF == 2 {print $1}'
}

# --- the steps ---------------------------------------------------------------------------------------------------

step_cluster_up() {
    hack/kube-cluster.sh up "$CLUSTER_DIR" "$VERSION" | tee "$WORK/cluster.env"
}

step_images() {
    if [[ ! -s node-agent/target/jib-image.tar || ! -s operator/target/jib-image.tar ]]; then
        hack/build-images.sh
    fi
    local agent operator
    agent=$(hack/containerd.sh import "$CLUSTER_DIR/containerd" node-agent/target/jib-image.tar)
    operator=$(hack/containerd.sh import "$CLUSTER_DIR/containerd" operator/target/jib-image.tar)
    echo "imported $agent $operator"
    # the names config/default uses: localhost/, so that no kubelet ever pulls them from a public registry
    [[ "$agent" == localhost/beesting/node-agent:0.1.0 ]] || fail "agent image is $agent"
    [[ "$operator" == localhost/beesting/operator:0.1.0 ]] || fail "operator image is $operator"
    # listed into a variable first: grep -q quitting early must not fail the pipeline under pipefail
    local images
    images=$("$CTR" -a "$CONTAINERD_SOCKET" -n k8s.io images ls -q)
    if ! grep -qx "$BEESTING_TEST_IMAGE" <<<"$images"; then
        # seen once in CI right after the other containerd line's teardown: say what was there, import it again
        echo "the test image is missing, images: $(tr '\n' ' ' <<<"$images")"
        local tar=.build/images/beesting-busybox.tar
        beesting::busybox_image "$tar"
        hack/containerd.sh import "$CLUSTER_DIR/containerd" "$tar"
        images=$("$CTR" -a "$CONTAINERD_SOCKET" -n k8s.io images ls -q)
        grep -qx "$BEESTING_TEST_IMAGE" <<<"$images" || fail "$BEESTING_TEST_IMAGE not in the cluster's containerd"
    fi
}

# quick start 1: "Check: ls -l /var/run/nri/nri.sock shows a socket on the node."
step_nri_socket() {
    ls -l /var/run/nri/nri.sock
    [[ "$(ls -l /var/run/nri/nri.sock)" == s* ]] || fail "/var/run/nri/nri.sock is not a socket"
}

# quick start 2: kubectl apply -k config/default, every object accepted
step_install() {
    local expected applied
    expected=$(kubectl kustomize config/default | grep -c '^kind:')
    kubectl apply --server-side -k config/default | tee "$WORK/apply.out"
    applied=$(grep -c 'serverside-applied' "$WORK/apply.out")
    ((applied == expected)) || fail "$applied of $expected objects applied"
}

all_beesting_pods_running() {
    local lines
    # the operator's and the agent's pods; the decoy (config/decoy) is proven by its own tests, not this step
    lines=$(kubectl -n beesting-system get pods -l 'app.kubernetes.io/name in (beesting-operator,beesting-agent)' -o \
        jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.status.containerStatuses[0].ready} {.status.containerStatuses[0].restartCount}{"\n"}{end}')
    echo "$lines" >"$WORK/pods.now"
    [[ $(grep -c . <<<"$lines") -eq 3 ]] && ! grep -qv ' Running true 0$' <<<"$lines"
}

# quick start 2: the operator (two replicas) and the agent (one per node) run, and keep running
step_install_running() {
    kubectl -n beesting-system rollout status deployment/beesting-operator --timeout=180s
    kubectl -n beesting-system rollout status daemonset/beesting-agent --timeout=180s
    await 60 "3 pods Running and ready" all_beesting_pods_running || { cat "$WORK/pods.now"; return 1; }
    # no restarts for 60 s
    local until=$((SECONDS + 60))
    while ((SECONDS < until)); do
        all_beesting_pods_running || { cat "$WORK/pods.now"; kubectl -n beesting-system describe pods; fail "a pod restarted or stopped"; }
        sleep 5
    done
    kubectl -n beesting-system get pods -o wide
}

node_reports_nri() {
    [[ "$(kubectl get honeytokennode "$NODE_NAME" -o jsonpath='{.status.nriConnected}' 2>/dev/null)" == true ]]
}

# quick start 2: kubectl get honeytokennodes shows the node, its runtime and NRI connected
step_honeytokennode() {
    await 60 "HoneytokenNode $NODE_NAME with NRI connected" node_reports_nri || { kubectl get honeytokennodes -o yaml; return 1; }
    kubectl get honeytokennodes | tee "$WORK/htn.out"
    [[ "$(cell "$WORK/htn.out" NAME "$NODE_NAME" RUNTIME)" == "containerd $CONTAINERD_VERSION" ]] \
        || fail "RUNTIME is not containerd $CONTAINERD_VERSION"
    [[ "$(cell "$WORK/htn.out" NAME "$NODE_NAME" NRI)" == true ]] || fail "NRI is not true"
}

# quick start 3
step_label_namespace() {
    # the quick start assumes the namespace of the workload exists
    kubectl create namespace cms
    kubectl label namespace cms beesting.dev/protect=true
}

step_apply_policy() {
    kubectl apply -f config/samples/fake-aws-credentials.yaml
    kubectl wait --for=condition=Ready honeytokenpolicy/fake-aws-credentials --timeout=120s \
        || { kubectl get htp fake-aws-credentials -o yaml; return 1; }
    kubectl get htp | tee "$WORK/htp.out"
    local column expected
    for column in READY=True NAMESPACES=1 NODES=1/1 ALERTS=0; do
        expected=${column#*=}
        column=${column%%=*}
        [[ "$(cell "$WORK/htp.out" NAME fake-aws-credentials "$column")" == "$expected" ]] \
            || fail "kubectl get htp: $column is not $expected"
    done
}

step_deploy_simplecms() {
    kubectl apply -f "$RESOURCES/simplecms.yaml"
    kubectl -n cms rollout status deployment/simplecms --timeout=120s
    save pod "$(cms_pod)"
    echo "pod $(load pod)"
}

# "Pods created from then on get their own fake AWS credentials at the policy's paths (a read-only bind mount)"
step_token_planted() {
    local pod listing
    pod=$(load pod)
    # ls reads the file's metadata only: it does not open the token (that would raise an alert)
    listing=$(kubectl -n cms exec "$pod" -- ls -ln "$TOKEN_PATH" /root/.aws/credentials)
    echo "$listing"
    grep -q "^-r--r--r-- .* $TOKEN_PATH\$" <<<"$listing" || fail "no 0444 token at $TOKEN_PATH"
    grep -q '^-r-------- .* /root/.aws/credentials$' <<<"$listing" || fail "no 0400 token at /root/.aws/credentials"
    kubectl -n cms get pod "$pod" -o yaml | grep -q "$TOKEN_PATH" && fail "the token path appears in the pod spec"
    return 0
}

# quick start 4
step_exec_cat() {
    local key
    key=$(kubectl -n cms exec deploy/simplecms -- cat "$TOKEN_PATH")
    echo "$key"
    [[ "$key" =~ ^AKIA[A-Z2-7]{16}$ ]] || fail "not a fake AWS access key id: $key"
    save key "$key"
}

alert_count() {
    kubectl -n cms get hta -o jsonpath="{range .items[?(@.spec.path==\"$TOKEN_PATH\")]}{.status.count}{end}" 2>/dev/null
}

step_alert() {
    local pod
    pod=$(load pod)
    await 30 "a HoneytokenAlert in cms" alert_present || { kubectl get hta -A -o yaml; return 1; }
    kubectl get hta -A | tee "$WORK/hta.out"
    local column expected
    # kubectl exec started cat in the container from outside its own process tree
    for column in NAMESPACE=cms CONTAINER=cms PROCESS=cat ORIGIN=exec "PATH=$TOKEN_PATH" COUNT=1; do
        expected=${column#*=}
        column=${column%%=*}
        [[ "$(cell "$WORK/hta.out" POD "$pod" "$column")" == "$expected" ]] \
            || fail "kubectl get hta -A: $column of the alert for pod $pod is not $expected"
    done
}

alert_present() {
    [[ -n "$(alert_count)" ]]
}

event_recorded() {
    kubectl -n cms get events --field-selector "reason=HoneytokenAccessed,involvedObject.name=$(load pod)" \
        -o jsonpath='{.items[*].type}' | grep -q Warning
}

step_event() {
    local pod
    pod=$(load pod)
    await 30 "a Warning Event HoneytokenAccessed on $pod" event_recorded
    kubectl describe pod -n cms "$pod" | tail -2 | tee "$WORK/describe.out"
    grep -qE "Warning +HoneytokenAccessed .*beesting-agent +process cat \(pid [0-9]+, uid 0, parent [^ ]+ \(pid [0-9]+\), origin exec\) opened honeytoken $TOKEN_PATH \(policy fake-aws-credentials\)" \
        "$WORK/describe.out" || fail "the pod's events do not end with the HoneytokenAccessed warning"
}

rolled_to_upgrade() {
    local images
    images=$(kubectl -n beesting-system get pods -l 'app.kubernetes.io/name in (beesting-operator,beesting-agent)' \
        -o jsonpath='{range .items[*]}{.spec.containers[0].image}{"\n"}{end}')
    [[ $(grep -c . <<<"$images") -eq 3 && $(grep -c ":$UPGRADE_TAG\$" <<<"$images") -eq 3 ]] && all_beesting_pods_running
}

lease_held_by_current_pod() {
    local holder
    holder=$(kubectl -n beesting-system get lease beesting-operator -o jsonpath='{.spec.holderIdentity}')
    [[ -n "$holder" ]] && kubectl -n beesting-system get pods -l app.kubernetes.io/name=beesting-operator \
        -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\n' | grep -qxF "$holder"
}

# operations: "Apply the new config/default" (the same manifests with the next image tag)
step_upgrade() {
    local image
    for image in localhost/beesting/node-agent localhost/beesting/operator; do
        "$CTR" -a "$CONTAINERD_SOCKET" -n k8s.io images tag --force "$image:0.1.0" "$image:$UPGRADE_TAG"
    done
    kubectl apply --server-side -k "$RESOURCES/upgrade"
    kubectl -n beesting-system rollout status daemonset/beesting-agent --timeout=180s
    kubectl -n beesting-system rollout status deployment/beesting-operator --timeout=180s
    await 120 "every beesting pod on $UPGRADE_TAG, Running, no restarts" rolled_to_upgrade \
        || { cat "$WORK/pods.now"; return 1; }
    # "The operator's two replicas hand over the Lease."
    await 60 "the Lease beesting-operator held by a running operator pod" lease_held_by_current_pod
    kubectl -n beesting-system get pods,lease
    kubectl wait --for=condition=Ready honeytokenpolicy/fake-aws-credentials --timeout=120s
}

count_is() {
    [[ "$(alert_count)" == "$1" ]]
}

# "a restarting agent re-arms the tokens of running containers from its state dir ... so nothing planted is lost"
step_upgrade_keeps_tokens() {
    local key
    await 60 "the new agent connected to NRI" node_reports_nri
    key=$(kubectl -n cms exec deploy/simplecms -- cat "$TOKEN_PATH")
    [[ "$key" == "$(load key)" ]] || fail "the token changed across the upgrade: $key"
    await 30 "the alert's count at 2 (the new agent saw the open)" count_is 2 || { kubectl get hta -A; return 1; }
    kubectl get hta -A
}

registrations() {
    kubectl -n beesting-system logs daemonset/beesting-agent | grep -c "registered with NRI"
}

registered_again() {
    (($(registrations) > $(load registrations)))
}

# quick start 1: NRI is switched on by "a restart of containerd (running containers keep running)"; a runtime
# restart must not leave the agent on a dead socket: pods created afterwards get their tokens too
step_runtime_restart() {
    local before pod
    before=$(load pod)
    save registrations "$(registrations)"
    hack/containerd.sh restart "$CLUSTER_DIR/containerd"
    # a container created before the agent is back on NRI starts without tokens (the runtime does not wait for
    # plugins): wait for the agent to say it registered again
    await 60 "the agent registered with the restarted runtime" registered_again
    kubectl -n beesting-system get pods
    # the kubelet reconnects to the runtime with a backoff
    await 60 "exec into pod $before, which was running across the runtime restart" \
        kubectl -n cms exec "$before" -- true
    kubectl -n cms rollout restart deployment/simplecms
    kubectl -n cms rollout status deployment/simplecms --timeout=120s
    pod=$(cms_pod)
    [[ -n "$pod" && "$pod" != "$before" ]] || fail "no new simplecms pod"
    save pod "$pod"
    if ! kubectl -n cms exec "$pod" -- ls -ln "$TOKEN_PATH"; then
        kubectl -n beesting-system logs daemonset/beesting-agent --tail=20
        fail "pod $pod, created after the runtime restart, has no token"
    fi
    kubectl -n beesting-system get pods
}

# --- quick start 6: a credential that alerts when it is used (docs/quickstart.md, docs/decoy.md) -----------------

DECOY_NAME=beesting-decoy.beesting-system.svc
KUBECONFIG_PATH=/root/.kube/config

decoy_running() {
    [[ "$(kubectl -n beesting-system get deployment beesting-decoy -o jsonpath='{.status.readyReplicas}')" == 1 ]]
}

# the decoy runs as its own Deployment and the operator hands its key and CA to the nodes
step_decoy_policy() {
    kubectl -n beesting-system rollout status deployment/beesting-decoy --timeout=180s
    await 60 "the decoy ready" decoy_running || { kubectl -n beesting-system describe pods -l app.kubernetes.io/name=beesting-decoy; return 1; }
    kubectl apply -f config/samples/decoy-kubeconfig.yaml
    kubectl wait --for=condition=Ready honeytokenpolicy/decoy-kubeconfig --timeout=120s \
        || { kubectl get htp decoy-kubeconfig -o yaml; return 1; }
    kubectl -n cms rollout restart deployment/simplecms
    kubectl -n cms rollout status deployment/simplecms --timeout=120s
    local pod
    pod=$(cms_pod)
    [[ -n "$pod" && "$pod" != "$(load pod)" ]] || fail "no new simplecms pod"
    save pod "$pod"
    save decoy_pod "$pod"
}

# the thief's copy: kubectl exec ... cat (itself an Open alert, as for every token)
alerts_of() {
    kubectl -n cms get hta -o jsonpath="{range .items[?(@.spec.pod.name==\"$(load decoy_pod)\")]}{.spec.access} {.spec.path} {.spec.container.name} {.spec.use.source} {.status.count}{\"\\n\"}{end}" 2>/dev/null
}

open_alert_for_kubeconfig() {
    alerts_of | grep -q "^Open $KUBECONFIG_PATH cms "
}

step_decoy_read() {
    kubectl -n cms exec "$(load decoy_pod)" -- cat "$KUBECONFIG_PATH" >"$WORK/stolen-kubeconfig"
    grep -q "server: https://$DECOY_NAME\$" "$WORK/stolen-kubeconfig" || { cat "$WORK/stolen-kubeconfig"; fail "not a kubeconfig of the decoy"; }
    grep -q 'certificate-authority-data: ' "$WORK/stolen-kubeconfig" || fail "no CA in the kubeconfig"
    await 30 "an Open alert for $KUBECONFIG_PATH" open_alert_for_kubeconfig || { kubectl get hta -A -o yaml; return 1; }
    alerts_of
}

use_alerts() {
    alerts_of | grep "^Use $KUBECONFIG_PATH cms " || true
}

use_alert_count_is() {
    [[ "$(use_alerts | grep -c .)" == "$1" ]]
}

# "kubectl --kubeconfig stolen get pods" from the node: the Service's name does not resolve on a node, so the
# client is told the Service's address and keeps checking the certificate against the name
step_decoy_use_host() {
    local ip output
    ip=$(kubectl -n beesting-system get service beesting-decoy -o jsonpath='{.spec.clusterIP}')
    save decoy_ip "$ip"
    if output=$(kubectl --kubeconfig "$WORK/stolen-kubeconfig" --server "https://$ip" --tls-server-name "$DECOY_NAME" \
        --request-timeout=20s get pods 2>&1); then
        fail "the decoy answered kubectl get pods: $output"
    fi
    echo "$output"
    grep -q 'Forbidden' <<<"$output" || fail "kubectl was not forbidden: $output"
    await 30 "a Use alert for the pod the kubeconfig was planted in" use_alert_count_is 1 \
        || { kubectl get hta -A -o yaml; kubectl -n beesting-system logs deployment/beesting-decoy --tail=20; return 1; }
    use_alerts | tee "$WORK/use.host"
    save host_source "$(awk '{print $4}' "$WORK/use.host")"
    kubectl get hta -A
}

thief_done() {
    local phase
    phase=$(kubectl get pod thief -o jsonpath='{.status.phase}')
    [[ "$phase" == Failed || "$phase" == Succeeded ]]
}

# the same kubeconfig used unchanged from another pod, which knows the Service's name (as cluster DNS would tell
# it): kubectl is mounted from the node, the busybox test image has none
step_decoy_use_pod() {
    kubectl create secret generic stolen-kubeconfig --from-file=config="$WORK/stolen-kubeconfig"
    kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: thief
  namespace: default
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  hostAliases:
    - ip: "$(load decoy_ip)"
      hostnames: ["$DECOY_NAME"]
  containers:
    - name: thief
      image: $BEESTING_TEST_IMAGE
      imagePullPolicy: Never
      env:
        - {name: HOME, value: /tmp}
      command: [/opt/kubectl, --kubeconfig, /stolen/config, --request-timeout=20s, get, pods]
      volumeMounts:
        - {name: kubectl, mountPath: /opt/kubectl, readOnly: true}
        - {name: stolen, mountPath: /stolen, readOnly: true}
  volumes:
    - name: kubectl
      hostPath: {path: "$(command -v kubectl)", type: File}
    - name: stolen
      secret: {secretName: stolen-kubeconfig}
YAML
    await 120 "the thief pod finished" thief_done || { kubectl describe pod thief; return 1; }
    local output thief_ip
    output=$(kubectl logs thief)
    echo "$output"
    grep -q 'Forbidden' <<<"$output" || fail "kubectl in the thief pod was not forbidden"
    thief_ip=$(kubectl get pod thief -o jsonpath='{.status.podIP}')
    await 30 "a second Use alert, from the thief pod" use_alert_count_is 2 || { kubectl get hta -A -o yaml; return 1; }
    use_alerts | tee "$WORK/use.both"
    grep -q "^Use $KUBECONFIG_PATH cms $thief_ip [0-9]" "$WORK/use.both" || fail "no Use alert from the thief pod at $thief_ip"
    [[ "$thief_ip" != "$(load host_source)" ]] || fail "both uses came from $thief_ip"
    kubectl delete pod thief --wait=false
    kubectl delete secret stolen-kubeconfig
}

use_event_recorded() {
    kubectl -n cms get events --field-selector "reason=HoneytokenUsed,involvedObject.name=$(load decoy_pod)" \
        -o jsonpath='{.items[*].type}' | grep -q Warning
}

step_decoy_event() {
    await 30 "a Warning Event HoneytokenUsed on $(load decoy_pod)" use_event_recorded \
        || { kubectl -n cms get events; return 1; }
    kubectl -n cms get events --field-selector "reason=HoneytokenUsed,involvedObject.name=$(load decoy_pod)"
    kubectl get hta -A | tee "$WORK/hta.decoy"
    grep -E " Use +" "$WORK/hta.decoy" | grep -q "$(load host_source)" || fail "kubectl get hta shows no ACCESS Use row with its SOURCE"
}

token_emptied() {
    [[ "$(kubectl -n cms exec "$(load pod)" -- stat -c %s "$TOKEN_PATH")" == 0 ]]
}

# operations, uninstall: "policies first: agents disarm and remove their tokens"
step_uninstall_policy() {
    kubectl delete -f config/samples/fake-aws-credentials.yaml
    # "Containers that already run keep their bind-mounted token (emptied when its policy goes away)"
    await 60 "the running container's token emptied" token_emptied
    # "Tokens are removed from new containers at once."
    kubectl -n cms rollout restart deployment/simplecms
    kubectl -n cms rollout status deployment/simplecms --timeout=120s
    local pod
    pod=$(cms_pod)
    [[ -n "$pod" && "$pod" != "$(load pod)" ]] || fail "no new simplecms pod"
    if kubectl -n cms exec "$pod" -- ls "$TOKEN_PATH"; then
        fail "new pod $pod still gets $TOKEN_PATH"
    fi
    return 0
}

namespace_gone() {
    ! kubectl get namespace beesting-system >/dev/null 2>&1
}

step_uninstall() {
    # alerts are evidence: they outlive the policy and its pod, until the CRDs go (save them first)
    kubectl get hta -A -o yaml >"$WORK/honeytokenalerts.yaml"
    grep -q "path: $TOKEN_PATH" "$WORK/honeytokenalerts.yaml" || fail "the alert did not outlive its policy"
    kubectl delete -k config/default
    await 120 "namespace beesting-system gone" namespace_gone || { kubectl get namespace beesting-system -o yaml; return 1; }
    if kubectl get crd -o name | grep beesting.dev; then fail "CRDs left"; fi
    if kubectl get clusterroles,clusterrolebindings -o name | grep beesting; then fail "cluster RBAC left"; fi
    if kubectl get hta -A; then fail "HoneytokenAlerts still served after the CRDs were deleted"; fi
    return 0
}

# the cluster is gone and nothing is left on the machine
step_cluster_down() {
    hack/kube-cluster.sh down "$CLUSTER_DIR"
    [[ ! -e "$CLUSTER_DIR" ]] || fail "$CLUSTER_DIR left"
    if grep -E " ($CLUSTER_DIR|/var/run/nri|/run/nri)[/ ]" /proc/self/mounts; then fail "mounts left"; fi
    local chains
    chains=$({ iptables-save; ip6tables-save; } 2>/dev/null | grep -E '^:(KUBE|CNI)-' | cut -d' ' -f1 | sort \
        | comm -23 - "$WORK/chains.before" || true)
    [[ -z "$chains" ]] || fail "iptables chains left: $chains"
    local path
    for path in "${HOST_PATHS[@]}"; do
        [[ ! -e "$path" ]] || grep -qxF "$path" "$WORK/host-paths.before" || fail "$path left"
    done
    if ip link show beesting0 2>/dev/null; then fail "bridge beesting0 left"; fi
    return 0
}

# what the teardown must leave as it found it
HOST_PATHS=(/var/lib/kubelet /var/log/containers /var/log/pods /var/lib/cni /run/netns /var/run/nri /var/lib/beesting)
for path in "${HOST_PATHS[@]}"; do
    [[ -e "$path" ]] && echo "$path"
done >"$WORK/host-paths.before"
{ iptables-save; ip6tables-save; } 2>/dev/null | grep -E '^:(KUBE|CNI)-' | cut -d' ' -f1 | sort >"$WORK/chains.before"

echo "quickstart: containerd $VERSION, cluster in $CLUSTER_DIR"
step cluster_up
if [[ -z "$FAILED" ]]; then
    set -a
    source "$WORK/cluster.env"
    set +a
fi
step images
step nri_socket
step install
step install_running
step honeytokennode
step label_namespace
step apply_policy
step deploy_simplecms
step token_planted
step exec_cat
step alert
step event
step upgrade
step upgrade_keeps_tokens
step runtime_restart
step decoy_policy
step decoy_read
step decoy_use_host
step decoy_use_pod
step decoy_event
step uninstall_policy
step uninstall
echo "quickstart: all steps in $(elapsed "$RUN_STARTED") s"
