package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.PolicyMatcher.WantedToken;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tokens out of the paths a container really mounts. A token at a mount's destination would replace the
 * mounted file, and one inside a mounted folder would hide the file there (a Secret volume holding real
 * credentials): an outage caused by the security tool. Such a token is skipped, logged once per container,
 * counted, and reported per policy in the node's status until its container goes.
 */
final class SkippedTokens {
    private static final Logger LOG = LoggerFactory.getLogger(SkippedTokens.class);

    /** container id → token path → policy, for the tokens skipped there now. */
    private final Map<String, Map<String, String>> byContainer = new ConcurrentHashMap<>();

    private final AtomicLong total = new AtomicLong();

    /**
     * The wanted tokens minus those that would replace or hide one of {@code mountPoints}, the destinations of the
     * container's mounts (Beesting's own left out).
     */
    Map<String, WantedToken> withoutShadowing(
            Workload workload, Collection<String> mountPoints, Map<String, WantedToken> wanted) {
        if (mountPoints.isEmpty()) {
            return wanted;
        }
        Map<String, WantedToken> kept = new LinkedHashMap<>();
        for (Map.Entry<String, WantedToken> entry : wanted.entrySet()) {
            Optional<String> mount = shadowedMount(entry.getKey(), mountPoints);
            if (mount.isEmpty()) {
                kept.put(entry.getKey(), entry.getValue());
                continue;
            }
            String policy = entry.getValue().policy().name();
            Map<String, String> skipped = byContainer.computeIfAbsent(workload.containerId(), id -> new TreeMap<>());
            synchronized (skipped) {
                if (skipped.put(entry.getKey(), policy) == null) {
                    total.incrementAndGet();
                    LOG.warn(
                            "token skipped, the container mounts that path namespace={} pod={} container={} path={}"
                                    + " mount={} policy={}",
                            workload.namespace(),
                            workload.pod(),
                            workload.container(),
                            entry.getKey(),
                            mount.get(),
                            policy);
                }
            }
        }
        return kept;
    }

    /**
     * The mount a token at {@code path} would replace (same destination) or hide (a folder it lies in), if any. Both
     * sides are absolute; a trailing slash or repeated slashes in a destination do not matter; the root is never
     * a mount here.
     */
    static Optional<String> shadowedMount(String path, Collection<String> mountPoints) {
        for (String mountPoint : mountPoints) {
            String destination = normalize(mountPoint);
            if (destination.equals("/") || destination.isEmpty()) {
                continue;
            }
            if (path.equals(destination) || path.startsWith(destination + "/")) {
                return Optional.of(destination);
            }
        }
        return Optional.empty();
    }

    private static String normalize(String destination) {
        String collapsed = destination.replaceAll("/+", "/").replace("/./", "/");
        while (collapsed.length() > 1 && (collapsed.endsWith("/") || collapsed.endsWith("/."))) {
            collapsed = collapsed.endsWith("/")
                    ? collapsed.substring(0, collapsed.length() - 1)
                    : collapsed.substring(0, collapsed.length() - 2);
        }
        return collapsed;
    }

    void forget(String containerId) {
        byContainer.remove(containerId);
    }

    /** Tokens skipped in containers that still exist, by policy. */
    Map<String, Integer> byPolicy() {
        Map<String, Integer> counts = new TreeMap<>();
        byContainer.values().forEach(skipped -> {
            synchronized (skipped) {
                skipped.values().forEach(policy -> counts.merge(policy, 1, Integer::sum));
            }
        });
        return counts;
    }

    /** Every token skipped since the agent started (once per container and path). */
    long total() {
        return total.get();
    }
}
