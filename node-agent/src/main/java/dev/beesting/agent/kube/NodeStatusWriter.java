package dev.beesting.agent.kube;

import static dev.beesting.agent.retry.Backoff.min;

import dev.beesting.agent.retry.Backoff;
import dev.beesting.agent.retry.PacedLoop;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenNodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's HoneytokenNode current: writes its status when what the agent reports changes and otherwise
 * only at a slow heartbeat, so a quiet node costs the API server one request a minute.
 */
public final class NodeStatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusWriter.class);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    /**
     * Pacing.
     *
     * @param heartbeat rewrite the status this often even when nothing changed
     * @param checkInterval how often the inputs are compared with what was written (a local read, no API call)
     * @param minInterval at least this long between two writes, however often the inputs change
     * @param retryMax longest delay between attempts while the API server fails
     */
    public record Settings(Duration heartbeat, Duration checkInterval, Duration minInterval, Duration retryMax) {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final String agentVersion;
    private final Supplier<NodeState> inputs;
    private final Settings settings;
    private final Clock clock;
    private final PacedLoop loop;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();

    // worker thread only
    private NodeState written;
    private Instant writtenAt;
    private long writtenAtNanos;
    private boolean exists;
    private final Backoff backoff;

    private NodeStatusWriter(
            KubernetesClient client,
            String nodeName,
            String agentVersion,
            Supplier<NodeState> inputs,
            Settings settings,
            Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.agentVersion = agentVersion;
        this.inputs = inputs;
        this.settings = settings;
        this.clock = clock;
        this.backoff = new Backoff(settings.minInterval(), settings.retryMax());
        this.loop = new PacedLoop("node-status", this::guardedStep, () -> {}).start();
    }

    public static NodeStatusWriter start(
            KubernetesClient client,
            String nodeName,
            String agentVersion,
            Supplier<NodeState> inputs,
            Settings settings,
            Clock clock) {
        return new NodeStatusWriter(client, nodeName, agentVersion, inputs, settings, clock);
    }

    /** Tells the writer the inputs changed, so it need not wait for its next check. */
    public void changed() {
        loop.wake();
    }

    /** Status writes made. */
    public long writes() {
        return writes.get();
    }

    /** API calls that failed. */
    public long writeErrors() {
        return writeErrors.get();
    }

    private Duration guardedStep() {
        try {
            return step();
        } catch (RuntimeException e) {
            LOG.error("node status step failed node={} error={}", nodeName, e.toString(), e);
            return settings.checkInterval();
        }
    }

    /** Writes if due; returns how long to wait before looking again. */
    private Duration step() {
        Duration untilRetry = backoff.untilRetry();
        if (untilRetry.isPositive()) {
            return untilRetry;
        }
        long nanos = System.nanoTime();
        NodeState state = inputs.get();
        Instant now = clock.instant();
        Duration untilHeartbeat =
                writtenAt == null ? Duration.ZERO : Duration.between(now, writtenAt.plus(settings.heartbeat()));
        boolean changed = !state.equals(written);
        if (!changed && untilHeartbeat.isPositive()) {
            return min(settings.checkInterval(), untilHeartbeat);
        }
        long sinceLast = nanos - writtenAtNanos;
        if (written != null && sinceLast < settings.minInterval().toNanos()) {
            return Duration.ofNanos(settings.minInterval().toNanos() - sinceLast);
        }
        try {
            write(state, now);
        } catch (KubernetesClientException e) {
            writeErrors.incrementAndGet();
            Duration wait = backoff.failed();
            LOG.warn("node status not written, retrying node={} in={} error={}", nodeName, wait, e.getMessage());
            return wait;
        }
        if (changed) {
            LOG.info(
                    "node status written node={} runtime=\"{}\" nri={} detector={} config={} armed={} failed={}",
                    nodeName,
                    state.runtime(),
                    state.nriConnected(),
                    state.detector(),
                    state.configGeneration(),
                    state.armedTokens(),
                    state.failedTokens());
        }
        written = state;
        writtenAt = now;
        writtenAtNanos = System.nanoTime();
        backoff.succeeded();
        return min(settings.checkInterval(), settings.heartbeat());
    }

    private void write(NodeState state, Instant now) {
        if (!exists) {
            HoneytokenNode node = new HoneytokenNode();
            node.setMetadata(new ObjectMetaBuilder()
                    .withName(nodeName)
                    .withLabels(Map.of(Labels.MANAGED_BY, Labels.AGENT))
                    .build());
            try {
                client.resource(node).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
            exists = true;
        }
        String patch =
                Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", status(state, now))));
        // patched through an object holding only the name: selected withName, fabric8 would GET the node first
        HoneytokenNode target = new HoneytokenNode();
        target.setMetadata(new ObjectMetaBuilder().withName(nodeName).build());
        try {
            client.resources(HoneytokenNode.class)
                    .resource(target)
                    .subresource("status")
                    .patch(JSON_PATCH, patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                exists = false; // deleted by someone: created again on the next attempt
            }
            throw e;
        }
        writes.incrementAndGet();
    }

    private HoneytokenNodeStatus status(NodeState state, Instant now) {
        HoneytokenNodeStatus status = new HoneytokenNodeStatus();
        status.runtime = state.runtime();
        status.runtimeName = state.runtimeName();
        status.runtimeVersion = state.runtimeVersion();
        status.nriConnected = state.nriConnected();
        status.detector = state.detector();
        // v2, or v4 once the agent can read the per-policy objects: the operator stops writing an older format once
        // every node reads a newer one
        status.configFormat = state.configFormat();
        status.configGeneration = state.configGeneration();
        status.armedTokens = state.armedTokens();
        status.failedTokens = state.failedTokens();
        status.skippedTokens = state.skippedTokens().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        status.skippedTokensByPolicy = state.skippedTokens().isEmpty() ? null : new TreeMap<>(state.skippedTokens());
        status.agentVersion = agentVersion;
        status.lastHeartbeat = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return status;
    }

    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(10));
    }
}
