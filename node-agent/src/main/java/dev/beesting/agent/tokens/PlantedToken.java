package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import java.nio.file.Path;

/**
 * One armed token: which file on the host, where it appears in which container, and the policy it came from.
 *
 * @param tokenId the detector's id for the file
 * @param hostFile the file on the host that the detector watches
 * @param path the token's path inside the container
 * @param workload the container and its pod
 * @param policy the policy that planted it
 */
public record PlantedToken(long tokenId, Path hostFile, String path, Workload workload, CompiledPolicy policy) {}
