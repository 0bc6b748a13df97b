package dev.beesting.e2e.fleet;

import dev.beesting.agent.kube.KubeClients;
import dev.beesting.agent.kube.NamespaceLabels;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.e2e.ServiceAccounts;
import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Benchmark command ({@code hack/bench-fleet.sh NODES NAMESPACES POLICIES}, not a test): the real operator (its own
 * JVM) and NODES simulated agents ({@link SimulatedNode}, all in this JVM) against a real kube-apiserver on loopback.
 * Prints one {@code FLEET} line per figure; nothing is asserted but that every phase completes and no alert is lost.
 *
 * <p>System properties: {@code beesting.fleet.steadySeconds} (120), {@code beesting.fleet.edits} (3), {@code
 * beesting.fleet.stormPerNode} (10 accesses per node, as 10,000 across 1,000), {@code beesting.fleet.stormSeconds}
 * (60), {@code beesting.fleet.operatorHeap} (256m), {@code beesting.fleet.patienceSeconds} (600).
 */
public final class FleetBench {
    private static final String NS = ServiceAccounts.NAMESPACE;

    private final int nodes;
    private final int namespaces;
    private final int policies;
    // -Dbeesting.fleet.format=v2: an installation without the v4 namespace and agents that read v2, for comparison
    private final boolean v4 = !"v2".equals(System.getProperty("beesting.fleet.format", "v4"));
    private final Optional<String> policyNamespace =
            v4 ? Optional.of(PolicyObject.DEFAULT_NAMESPACE) : Optional.empty();
    private final Duration patience = Duration.ofSeconds(Long.getLong("beesting.fleet.patienceSeconds", 600));
    private final long started = System.nanoTime();
    private final List<SimulatedNode> fleet = new ArrayList<>();
    private final RequestCounter agents = new RequestCounter();
    private KubernetesClient admin;
    private FleetCluster cluster;
    private OperatorChild operator;
    private ConfigEvents configEvents;
    private NamespaceEvents namespaceEvents;
    /** The one namespace view of every simulated node (see SimulatedNode), on the first node's credentials. */
    private NamespaceLabels namespaceView;

    private KubernetesClient namespaceClient;

    private FleetBench(int nodes, int namespaces, int policies) {
        this.nodes = nodes;
        this.namespaces = namespaces;
        this.policies = policies;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FleetBench NODES NAMESPACES POLICIES");
            System.exit(2);
        }
        System.setProperty(KubeApi.MODE_PROPERTY, "real");
        FleetBench bench =
                new FleetBench(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        int status = 1;
        try (KubeApi api = KubeApi.start(NS)) {
            bench.admin = api.client();
            bench.cluster = new FleetCluster(api.client());
            try {
                bench.run();
                status = 0;
            } finally {
                bench.stop();
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            // informers and the API server leave non-daemon threads behind
            System.exit(status);
        }
    }

    private void run() throws Exception {
        print("size", "%d nodes, %d namespaces, %d policies", nodes, namespaces, policies);
        long t = System.nanoTime();
        cluster.installRbac(v4);
        cluster.createNamespaces(namespaces);
        cluster.createPolicies(policies);
        print("setup", "API server, RBAC, namespaces and policies in %.1f s", seconds(t));

        t = System.nanoTime();
        startOperator();
        awaitApi("every policy compiled", this::policiesSettled);
        long[] bytes = cluster.configBytes();
        print(
                "node config",
                "generation %d, %d of %d policies accepted, document %d bytes, Secret as JSON %d bytes; compiled in"
                        + " %.1f s from operator start",
                cluster.configGeneration(),
                acceptedPolicies(),
                policies,
                bytes[0],
                bytes[1],
                seconds(t));

        long heapBefore = heapAfterGc();
        int threadsBefore = Thread.activeCount();
        t = System.nanoTime();
        startFleet();
        // read while a thousand agents start: the API server may time a request out, so ask until it answers
        long[] current = new long[1];
        awaitApi("the node config generation", () -> {
            current[0] = cluster.configGeneration();
            return true;
        });
        long generation = current[0];
        awaitApi("every HoneytokenNode at the current generation", () -> nodesAtLeast(generation) == nodes);
        print(
                "fleet up",
                "%d simulated agents reporting generation %d %.1f s after start",
                nodes,
                generation,
                seconds(t));
        long heapAfter = heapAfterGc();
        print(
                "agent heap",
                "%.1f KiB per simulated node after GC (%d nodes: %.1f MiB; %d threads more); shared JVM, see notes",
                (heapAfter - heapBefore) / 1024.0 / nodes,
                nodes,
                (heapAfter - heapBefore) / 1048576.0,
                Thread.activeCount() - threadsBefore);

        // every simulated agent reports the newest format it reads, so the operator stops storing older ones
        String alone = v4 ? "v4" : "v2";
        await(
                "the node config stored as " + alone + " alone",
                () -> cluster.storedFormats().equals(alone));
        steadyState();
        NodeGenerations reports = NodeGenerations.start(admin);
        configEvents = ConfigEvents.start(admin, NS, policyNamespace);
        namespaceEvents = NamespaceEvents.start(admin);
        try {
            policyEdits(reports);
            namespaceRelabel();
        } finally {
            reports.close();
            configEvents.close();
            namespaceEvents.close();
        }
        alertStorm();
        Map<String, Object> stats = operator.stats();
        print(
                "operator",
                "heap after GC %.1f MiB, heap peak %.1f MiB, CPU %.1f s over the whole run",
                mib(stats.get("heapUsed")),
                mib(stats.get("heapPeak")),
                ((Number) stats.get("cpuNanos")).longValue() / 1e9);
        ProcessHandle.current().descendants().forEach(FleetBench::printServerProcess);
        print("run", "%.0f s in all", seconds(started));
    }

    private void startOperator() throws Exception {
        Path dir = Files.createTempDirectory("beesting-fleet-");
        Path ca = dir.resolve("ca.crt");
        String caData = admin.getConfiguration().getCaCertData();
        if (caData != null) {
            Files.write(ca, Base64.getDecoder().decode(caData));
        } else {
            Files.copy(Path.of(admin.getConfiguration().getCaCertFile()), ca);
        }
        Path token = dir.resolve("token");
        Files.writeString(token, cluster.operatorToken());
        operator = OperatorChild.start(
                admin.getConfiguration().getMasterUrl(),
                ca,
                token,
                NS,
                System.getProperty("beesting.fleet.operatorHeap", "256m"),
                dir.resolve("operator.log"));
    }

    private void startFleet() throws Exception {
        List<String> tokens = cluster.agentTokens(nodes);
        print(
                "auth",
                "each simulated agent holds a token of ServiceAccount %s/beesting-agent bound to its own pod",
                NS);
        Path stateDirs = Files.createTempDirectory("beesting-fleet-nodes-");
        namespaceClient = agents.client(KubeClients.agentConfig(cluster.withToken(tokens.getFirst())));
        namespaceView = NamespaceLabels.start(namespaceClient);
        List<SimulatedNode> started = FleetCluster.parallel(nodes, n -> () -> {
            Path stateDir = Files.createDirectories(stateDirs.resolve(FleetCluster.node(n)));
            KubernetesClient client = agents.client(KubeClients.agentConfig(cluster.withToken(tokens.get(n))));
            return SimulatedNode.start(FleetCluster.node(n), client, NS, policyNamespace, stateDir, namespaceView);
        });
        fleet.addAll(started);
    }

    private void steadyState() throws Exception {
        Duration window = Duration.ofSeconds(Long.getLong("beesting.fleet.steadySeconds", 120));
        // let the start-up writes settle: every node has written its first status and waits for its heartbeat
        Thread.sleep(Duration.ofSeconds(10));
        RequestCounter.Snapshot agentsBefore = agents.snapshot();
        Map<String, Object> operatorBefore = operator.stats();
        long t = System.nanoTime();
        Thread.sleep(window);
        double s = seconds(t);
        RequestCounter.Snapshot agentDelta = agents.snapshot().minus(agentsBefore);
        Map<String, Object> operatorAfter = operator.stats();
        RequestCounter.Snapshot operatorDelta =
                RequestCounter.Snapshot.fromMap(operatorAfter).minus(RequestCounter.Snapshot.fromMap(operatorBefore));
        print(
                "steady requests",
                "over %.0f s: agents %.2f req/s total, %.4f req/s per node (writes %.4f/s per node); operator %.2f req/s"
                        + " (writes %.2f/s); Beesting total %.2f req/s",
                s,
                agentDelta.total() / s,
                agentDelta.total() / s / nodes,
                agentDelta.writes() / s / nodes,
                operatorDelta.total() / s,
                operatorDelta.writes() / s,
                (agentDelta.total() + operatorDelta.total()) / s);
        print("steady agents by verb and resource", "%s", rates(agentDelta.requests(), s));
        print("steady operator by verb and resource", "%s", rates(operatorDelta.requests(), s));
        double cpu = (((Number) operatorAfter.get("cpuNanos")).longValue()
                        - ((Number) operatorBefore.get("cpuNanos")).longValue())
                / 1e9;
        print(
                "operator steady",
                "CPU %.1f %% of a core, heap after GC %.1f MiB",
                100 * cpu / s,
                mib(operatorAfter.get("heapUsed")));
    }

    private void policyEdits(NodeGenerations reports) throws Exception {
        int edits = Integer.getInteger("beesting.fleet.edits", 3);
        List<Long> applied = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        long bytes = 0;
        long events = 0;
        for (int edit = 1; edit <= edits; edit++) {
            int policy = (edit * 7 + 1) % policies;
            int content = edit;
            long[] sample = configChange(reports, () -> cluster.editPolicy(policy, content), applied, received);
            bytes += sample[0];
            events += sample[1];
        }
        long[] size = cluster.configBytes();
        long[] policySize = cluster.policyBytes((edits * 7 + 1) % policies);
        print(
                "policy size",
                "%d bytes: the edited HoneytokenPolicy as the API server serves it (%d without status and managed"
                        + " fields); its compiled document %d bytes",
                policySize[0],
                policySize[1],
                policySize[2]);
        print(
                "bytes per node, policy edit",
                "%d bytes per node per edit (%d Secret watch events per edit; the node config Secret %d bytes as JSON,"
                        + " its documents %d bytes; config stored as %s); fleet-wide %.1f MiB per edit",
                bytes / edits,
                events / edits,
                size[1],
                size[0],
                cluster.storedFormats(),
                bytes / edits * (double) nodes / 1048576);
        print(
                "edit -> received",
                "%s (%d samples: %d nodes x %d edits)",
                percentiles(received),
                received.size(),
                nodes,
                edits);
        print("edit -> applied", "%s (every HoneytokenNode reports the new generation)", percentiles(applied));
    }

    /**
     * One {@code kubectl label ns}: with config v2 stored alone it changes nothing in the node config, so what a node
     * receives is the Namespace watch event of its namespace view. Measured until the agents' view holds the new
     * labels (the moment live planting may act on them); while v1 is still stored (some node reads only v1) the
     * relabel is also a new config generation, and the Secret events count too.
     */
    private void namespaceRelabel() throws Exception {
        String formats = cluster.storedFormats();
        long namespaceBytes = namespaceEvents.bytes();
        long namespaceEventCount = namespaceEvents.events();
        long configBytes = configEvents.bytes();
        long configEventCount = configEvents.events();
        long generation = cluster.configGeneration();
        String namespace = FleetCluster.namespace(0);
        long t0 = System.nanoTime();
        cluster.relabel(0, 1);
        await(
                "the agents' namespace view holds the new labels",
                () -> FleetCluster.group(1)
                        .equals(fleet.getFirst().namespaceLabels(namespace).get(FleetCluster.GROUP_LABEL)));
        long viewMillis = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(Duration.ofSeconds(3)); // any config write the relabel causes is counted too
        long secretBytes = configEvents.bytes() - configBytes;
        long viewBytes = namespaceEvents.bytes() - namespaceBytes;
        print(
                "bytes per node, namespace relabel",
                "%d bytes per node for one kubectl label ns (%d Secret watch events, %d bytes; %d Namespace watch"
                        + " events, %d bytes, for the v2 namespace view); fleet-wide %.1f MiB; config stored as %s",
                secretBytes + viewBytes,
                configEvents.events() - configEventCount,
                secretBytes,
                namespaceEvents.events() - namespaceEventCount,
                viewBytes,
                (secretBytes + viewBytes) * (double) nodes / 1048576,
                formats);
        print(
                "relabel -> node view",
                "%d ms until the agents' namespace view held the new labels (%d namespaces in it); node config"
                        + " generation %s",
                viewMillis,
                namespaceView.size(),
                cluster.configGeneration() == generation ? "unchanged" : "changed (v1 still stored)");
    }

    /**
     * Makes one change, waits until every node received and reported the next generation; adds each node's times
     * (ms) to the lists and returns the config watch bytes the fleet received.
     */
    private long[] configChange(NodeGenerations reports, Runnable change, List<Long> applied, List<Long> received)
            throws Exception {
        long before = cluster.configGeneration();
        long bytesBefore = configEvents.bytes();
        long eventsBefore = configEvents.events();
        long t0 = System.nanoTime();
        change.run();
        long[] receivedAt = new long[nodes];
        await("a new node config generation", () -> fleet.getFirst().generation() > before);
        long target = fleet.getFirst().generation();
        await("every simulated agent received generation " + target, () -> {
            boolean all = true;
            long now = System.nanoTime();
            for (int n = 0; n < nodes; n++) {
                if (receivedAt[n] == 0) {
                    if (fleet.get(n).generation() >= target) {
                        receivedAt[n] = now;
                    } else {
                        all = false;
                    }
                }
            }
            return all;
        });
        await("every HoneytokenNode reporting generation " + target, () -> reports.countAtLeast(target) == nodes);
        for (int n = 0; n < nodes; n++) {
            received.add((receivedAt[n] - t0) / 1_000_000);
            applied.add((reports.firstAtLeast(FleetCluster.node(n), target) - t0) / 1_000_000);
        }
        Thread.sleep(Duration.ofSeconds(2)); // any trailing event of the same change is counted too
        return new long[] {configEvents.bytes() - bytesBefore, configEvents.events() - eventsBefore};
    }

    private void alertStorm() throws Exception {
        int accesses = nodes * Integer.getInteger("beesting.fleet.stormPerNode", 10);
        Duration spread = Duration.ofSeconds(Long.getLong("beesting.fleet.stormSeconds", 60));
        Map<String, Long> visible = new ConcurrentHashMap<>();
        SharedIndexInformer<HoneytokenAlert> watch =
                admin.resources(HoneytokenAlert.class).inAnyNamespace().inform(new AlertArrivals(visible));
        try {
            Random random = new Random(16);
            long[] offsets = new long[accesses];
            for (int i = 0; i < accesses; i++) {
                offsets[i] = (long) (random.nextDouble() * spread.toNanos());
            }
            Arrays.sort(offsets);
            RequestCounter.Snapshot before = agents.snapshot();
            long t0 = System.nanoTime();
            long peak = 0;
            long last = agents.total();
            long nextSample = t0 + 1_000_000_000L;
            for (int i = 0; i < accesses; i++) {
                while (System.nanoTime() - t0 < offsets[i]) {
                    Thread.sleep(1);
                    if (System.nanoTime() >= nextSample) {
                        long now = agents.total();
                        peak = Math.max(peak, now - last);
                        last = now;
                        nextSample += 1_000_000_000L;
                    }
                }
                SimulatedNode node = fleet.get(i % nodes);
                node.access(
                        FleetCluster.namespace(i % namespaces),
                        "storm-" + i,
                        UUID.randomUUID().toString(),
                        FleetCluster.policy(0),
                        10_000 + i);
            }
            long published = System.nanoTime();
            long deadline = published + patience.toNanos();
            while (visible.size() < accesses && System.nanoTime() < deadline) {
                Thread.sleep(Duration.ofMillis(200));
                if (System.nanoTime() >= nextSample) {
                    long now = agents.total();
                    peak = Math.max(peak, now - last);
                    last = now;
                    nextSample += 1_000_000_000L;
                }
            }
            long done = System.nanoTime();
            RequestCounter.Snapshot delta = agents.snapshot().minus(before);
            long stored = admin.resources(HoneytokenAlert.class).inAnyNamespace().list().getItems().stream()
                    .filter(a -> a.getMetadata().getName().startsWith("storm-"))
                    .filter(a -> a.getStatus() != null && a.getStatus().count != null)
                    .count();
            print(
                    "alert storm",
                    "%d accesses over %d s across %d nodes: all visible %.1f s after the first (%.1f s after the last);"
                            + " %d of %d HoneytokenAlerts stored, lost %d",
                    accesses,
                    spread.toSeconds(),
                    nodes,
                    (done - t0) / 1e9,
                    (done - published) / 1e9,
                    stored,
                    accesses,
                    accesses - visible.size());
            print(
                    "alert storm requests",
                    "%d requests (%d writes), peak %d req/s, mean %.0f req/s; responses 429: %d, 5xx: %d, other"
                            + " errors: %s",
                    delta.total(),
                    delta.writes(),
                    peak,
                    delta.total() / ((done - t0) / 1e9),
                    delta.codes().getOrDefault("429", 0L),
                    delta.codes().entrySet().stream()
                            .filter(e -> e.getKey().startsWith("5"))
                            .mapToLong(Map.Entry::getValue)
                            .sum(),
                    errors(delta.codes()));
            print("alert storm by verb and resource", "%s", delta.requests());
            if (visible.size() < accesses) {
                throw new IllegalStateException(
                        (accesses - visible.size()) + " alerts not visible after " + patience.toSeconds() + " s");
            }
        } finally {
            watch.close();
        }
    }

    /** CPU and peak RSS of the kube-apiserver and etcd that kube-api-test started, for scale. */
    private static void printServerProcess(ProcessHandle process) {
        String command = process.info().command().orElse("");
        String name = Path.of(command).getFileName() == null
                ? ""
                : Path.of(command).getFileName().toString();
        if (!name.equals("kube-apiserver") && !name.equals("etcd")) {
            return;
        }
        String peak = "?";
        try {
            peak = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.replaceAll("\\s+", " ").substring(7))
                    .findFirst()
                    .orElse("?");
        } catch (java.io.IOException e) {
            // gone already: no figure
        }
        print(
                name,
                "CPU %.1f s over the whole run, peak RSS %s",
                process.info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1e3,
                peak);
    }

    private static String errors(Map<String, Long> codes) {
        StringBuilder out = new StringBuilder();
        codes.forEach((code, count) -> {
            if (code.compareTo("400") >= 0 && !code.equals("429") && !code.startsWith("5")) {
                out.append(code).append('=').append(count).append(' ');
            }
        });
        return out.isEmpty() ? "none" : out.toString().strip();
    }

    private boolean policiesSettled() {
        long generation = cluster.configGeneration();
        List<HoneytokenPolicy> items =
                admin.resources(HoneytokenPolicy.class).list().getItems();
        // settled: every policy has an Accepted condition for its generation and the config did not move meanwhile
        return items.size() == policies
                && generation > 0
                && items.stream()
                        .allMatch(p -> p.getStatus() != null
                                && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration)
                                && condition(p, "Accepted") != null)
                && generation == cluster.configGeneration();
    }

    private long acceptedPolicies() {
        return admin.resources(HoneytokenPolicy.class).list().getItems().stream()
                .filter(p -> {
                    Condition c = condition(p, "Accepted");
                    return c != null && "True".equals(c.getStatus());
                })
                .count();
    }

    private static Condition condition(HoneytokenPolicy policy, String type) {
        return policy.getStatus().conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    private long nodesAtLeast(long generation) {
        return admin.resources(HoneytokenNode.class).list().getItems().stream()
                .filter(n -> n.getStatus() != null
                        && n.getStatus().configGeneration != null
                        && n.getStatus().configGeneration >= generation)
                .count();
    }

    /** Waits for a condition on local state, looking every 20 ms. */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, Duration.ofMillis(20));
    }

    /** Waits for a condition that reads from the API server, once a second so the wait itself costs little. */
    private void awaitApi(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, Duration.ofSeconds(1));
    }

    private void await(String what, BooleanSupplier condition, Duration poll) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!answered(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gave up waiting for " + what + " after " + patience.toSeconds() + " s");
            }
            Thread.sleep(poll);
        }
    }

    /** The condition; false when the API server timed out or refused the read it makes (asked again next poll). */
    private static boolean answered(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            System.err.println("FleetBench: an API read failed, asking again: " + e.getMessage());
            return false;
        }
    }

    private void stop() {
        FleetCluster.parallel(fleet.size(), n -> () -> {
            fleet.get(n).close();
            return null;
        });
        if (namespaceView != null) {
            namespaceView.close();
            namespaceClient.close();
        }
        if (operator != null) {
            operator.close();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String rates(Map<String, Long> requests, double seconds) {
        StringBuilder out = new StringBuilder();
        requests.forEach((k, v) -> out.append(String.format("%s=%.3f/s ", k, v / seconds)));
        return out.isEmpty() ? "none" : out.toString().strip();
    }

    private static String percentiles(List<Long> millis) {
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(
                "p50 %d ms, p99 %d ms, max %d ms",
                sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, sorted.length * 99L / 100)],
                sorted[sorted.length - 1]);
    }

    private static double mib(Object bytes) {
        return ((Number) bytes).longValue() / 1048576.0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void print(String figure, String format, Object... args) {
        System.out.println("FLEET " + figure + ": " + String.format(format, args));
        System.out.flush();
    }

    /** Records when each storm alert first shows a count to a watcher of the API. */
    private record AlertArrivals(Map<String, Long> visible) implements ResourceEventHandler<HoneytokenAlert> {
        @Override
        public void onAdd(HoneytokenAlert alert) {
            seen(alert);
        }

        @Override
        public void onUpdate(HoneytokenAlert before, HoneytokenAlert after) {
            seen(after);
        }

        @Override
        public void onDelete(HoneytokenAlert alert, boolean unknown) {}

        private void seen(HoneytokenAlert alert) {
            if (alert.getStatus() != null
                    && alert.getStatus().count != null
                    && alert.getSpec() != null
                    && alert.getSpec().pod != null
                    && alert.getMetadata().getName().startsWith("storm-")) {
                visible.putIfAbsent(alert.getSpec().pod.uid, System.nanoTime());
            }
        }
    }
}
