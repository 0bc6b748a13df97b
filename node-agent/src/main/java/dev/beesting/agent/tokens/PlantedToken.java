package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One armed token: which file on the host, where it appears in which container, and the policy it came from.
 *
 * @param tokenId the detector's id for the file
 * @param hostFile the file on the host that the detector watches
 * @param path the token's path inside the container
 * @param workload the container and its pod
 * @param policy the policy that planted it
 * @param containerStart when the container started (or, for a container being created, when the agent planted):
 *     an executable that changed later was written by the container and is never trusted by {@code
 *     ignoreProcesses}
 */
public record PlantedToken(
        long tokenId, Path hostFile, String path, Workload workload, CompiledPolicy policy, Instant containerStart) {}
