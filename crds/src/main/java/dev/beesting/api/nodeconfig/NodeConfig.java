package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything a node agent needs to plant tokens: every accepted policy with namespaces and Secret values resolved.
 *
 * @param apiVersion format version, {@link #API_VERSION}
 * @param generation increases by one whenever the content changes
 * @param policies accepted policies, sorted by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfig(String apiVersion, long generation, List<CompiledPolicy> policies) {
    public static final String API_VERSION = "beesting.dev/nodeconfig/v1";
    public static final String SECRET_NAME = "beesting-node-config";
    public static final String SECRET_KEY = "config.json";

    public NodeConfig {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public static NodeConfig empty() {
        return new NodeConfig(API_VERSION, 0, List.of());
    }
}
