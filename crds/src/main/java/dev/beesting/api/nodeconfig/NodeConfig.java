package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything a node agent needs to plant tokens: every accepted policy with its Secret values resolved.
 *
 * <p>Two formats, in two keys of the same Secret. {@link #API_VERSION} (v1, key {@link #SECRET_KEY}) names, per
 * policy, every namespace its selector matched, so it grows with the cluster's namespaces and changes with every
 * namespace label. {@link #API_VERSION_V2} (v2, key {@link #SECRET_KEY_V2}) carries the namespace selector itself;
 * agents match it against the namespace labels they watch, so a namespace change rewrites nothing. The operator
 * writes v2 always and v1 while some node has not reported reading v2 ({@code HoneytokenNode.status.configFormat}).
 * Format v4 ({@link NodeConfigIndex}, key {@link #SECRET_KEY_V4}) is an index of per-policy objects; an agent
 * assembles it into this record in format v2, so the rest of the agent knows only v1 and v2. (Format v3, an index
 * naming each object by hash, was never released; agents that report it are served v2.)
 *
 * @param apiVersion format version, {@link #API_VERSION} or {@link #API_VERSION_V2}
 * @param generation increases by one whenever the content changes (shared by both formats of one Secret)
 * @param policies accepted policies, sorted by name
 * @param decoy how to mint decoy credentials; null when the operator has no decoy key (older operators never write
 *     it, older agents ignore it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfig(String apiVersion, long generation, List<CompiledPolicy> policies, DecoySettings decoy) {
    public static final String API_VERSION = "beesting.dev/nodeconfig/v1";
    public static final String API_VERSION_V2 = "beesting.dev/nodeconfig/v2";
    public static final String SECRET_NAME = "beesting-node-config";
    public static final String SECRET_KEY = "config.json";
    public static final String SECRET_KEY_V2 = "config-v2.json";
    /** Key of the format v4 index ({@link NodeConfigIndex}) in the same Secret. */
    public static final String SECRET_KEY_V4 = "config-v4.json";
    /** What {@code HoneytokenNode.status.configFormat} says of an agent that reads v2. */
    public static final String FORMAT_V2 = "v2";
    /** What {@code HoneytokenNode.status.configFormat} said of an unreleased agent that read v3 (it also reads v2). */
    public static final String FORMAT_V3 = "v3";
    /** What {@code HoneytokenNode.status.configFormat} says of an agent that reads v4 (and v2). */
    public static final String FORMAT_V4 = "v4";

    public NodeConfig {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public NodeConfig(String apiVersion, long generation, List<CompiledPolicy> policies) {
        this(apiVersion, generation, policies, null);
    }

    /** The same config with other decoy settings. */
    public NodeConfig withDecoy(DecoySettings settings) {
        return new NodeConfig(apiVersion, generation, policies, settings);
    }

    public static NodeConfig empty() {
        return new NodeConfig(API_VERSION, 0, List.of());
    }

    /** Whether policies select namespaces by selector (v2) rather than by name (v1). */
    public boolean bySelector() {
        return API_VERSION_V2.equals(apiVersion);
    }
}
