package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** What a node's agent reports about itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneytokenNodeStatus {
    /** Container runtime name and version, for example "containerd 2.1.9". */
    @JsonPropertyDescription("Container runtime name and version, for example \"containerd 2.1.9\".")
    public String runtime;

    /** Container runtime name as NRI reports it. */
    @JsonPropertyDescription("Container runtime name as NRI reports it.")
    public String runtimeName;

    /** Container runtime version as NRI reports it. */
    @JsonPropertyDescription("Container runtime version as NRI reports it.")
    public String runtimeVersion;

    /** Whether the agent is registered with the runtime's NRI socket. */
    @JsonPropertyDescription("Whether the agent is registered with the runtime's NRI socket.")
    public Boolean nriConnected;

    /** Detector tier in use: lsm, fentry, kprobe, fanotify or syscall. */
    @JsonPropertyDescription("Detector tier in use: lsm, fentry, kprobe, fanotify or syscall.")
    public String detector;

    /**
     * Newest node configuration format the agent reads: v2 (namespace selectors, matched on the node). Absent from
     * agents that read only v1; the operator keeps writing v1 while any node lacks it.
     */
    @JsonPropertyDescription("Newest node configuration format the agent reads: v2 (namespace selectors, matched on"
            + " the node). Absent from agents that read only v1; the operator keeps writing v1 while any node lacks"
            + " it.")
    public String configFormat;

    /** Generation of the node configuration the agent applied. */
    @JsonPropertyDescription("Generation of the node configuration the agent applied.")
    public Long configGeneration;

    /** Token files armed on this node. */
    @JsonPropertyDescription("Token files armed on this node.")
    public Integer armedTokens;

    /** Tokens that could not be planted (for example a read-only folder in a running container). */
    @JsonPropertyDescription(
            "Tokens that could not be planted (for example a read-only folder in a running container).")
    public Integer failedTokens;

    /**
     * Tokens not planted because the container mounts that path (a token must never replace or hide a file the
     * pod really mounts), in containers that still exist.
     */
    @JsonPropertyDescription("Tokens not planted because the container mounts that path (a token must never replace"
            + " or hide a file the pod really mounts), in containers that still exist.")
    public Integer skippedTokens;

    /** {@link #skippedTokens} by policy name. */
    @JsonPropertyDescription("skippedTokens by policy name.")
    public Map<String, Integer> skippedTokensByPolicy;

    /** Agent version. */
    @JsonPropertyDescription("Agent version.")
    public String agentVersion;

    /** Last time the agent reported (RFC 3339). */
    @JsonPropertyDescription("Last time the agent reported (RFC 3339).")
    public String lastHeartbeat;
}
