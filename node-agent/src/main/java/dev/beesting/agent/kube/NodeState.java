package dev.beesting.agent.kube;

import dev.beesting.api.nodeconfig.NodeConfig;
import java.util.Map;

/**
 * What the agent reports about its node, gathered by whoever runs the NRI plugin and the detector.
 *
 * @param runtimeName container runtime name as NRI reports it (empty until NRI configured the plugin)
 * @param runtimeVersion container runtime version as NRI reports it
 * @param nriConnected whether the plugin is registered with the runtime
 * @param detector detector tier in use (lsm, fentry, kprobe, fanotify, syscall)
 * @param configGeneration generation of the node config the agent has fully applied (matching, live planting
 *     and removal done)
 * @param armedTokens token files armed
 * @param failedTokens tokens that could not be planted
 * @param skippedTokens tokens not planted because their container mounts that path, by policy (containers that
 *     still exist)
 * @param configFormat the newest node config format the agent reads ({@code v2}, or {@code v4} once it can read the
 *     per-policy objects); the operator keeps older formats stored while some node reports an older one
 */
public record NodeState(
        String runtimeName,
        String runtimeVersion,
        boolean nriConnected,
        String detector,
        long configGeneration,
        int armedTokens,
        int failedTokens,
        Map<String, Integer> skippedTokens,
        String configFormat) {
    public NodeState {
        skippedTokens = skippedTokens == null ? Map.of() : Map.copyOf(skippedTokens);
        configFormat = configFormat == null ? NodeConfig.FORMAT_V2 : configFormat;
    }

    /** A node where no token was skipped, whose agent reads format v2 (tests and the fleet's simulated nodes). */
    public NodeState(
            String runtimeName,
            String runtimeVersion,
            boolean nriConnected,
            String detector,
            long configGeneration,
            int armedTokens,
            int failedTokens) {
        this(
                runtimeName,
                runtimeVersion,
                nriConnected,
                detector,
                configGeneration,
                armedTokens,
                failedTokens,
                Map.of(),
                NodeConfig.FORMAT_V2);
    }

    /** The same state, reporting {@code format} as the config format read. */
    public NodeState withConfigFormat(String format) {
        return new NodeState(
                runtimeName,
                runtimeVersion,
                nriConnected,
                detector,
                configGeneration,
                armedTokens,
                failedTokens,
                skippedTokens,
                format);
    }

    /** "name version", as the HoneytokenNode's runtime column shows it. */
    public String runtime() {
        String name = runtimeName == null ? "" : runtimeName;
        String version = runtimeVersion == null ? "" : runtimeVersion;
        return (name + " " + version).strip();
    }
}
