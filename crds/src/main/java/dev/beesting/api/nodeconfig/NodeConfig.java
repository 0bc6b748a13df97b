package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything a node agent needs to plant tokens: every accepted policy with namespaces and Secret values resolved.
 *
 * @param apiVersion format version, {@link #API_VERSION}
 * @param generation increases by one whenever the content changes
 * @param policies accepted policies, sorted by name
 * @param decoy how to mint decoy credentials; null when the operator has no decoy key (older operators never write
 *     it, older agents ignore it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfig(String apiVersion, long generation, List<CompiledPolicy> policies, DecoySettings decoy) {
    public static final String API_VERSION = "beesting.dev/nodeconfig/v1";
    public static final String SECRET_NAME = "beesting-node-config";
    public static final String SECRET_KEY = "config.json";

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
}
