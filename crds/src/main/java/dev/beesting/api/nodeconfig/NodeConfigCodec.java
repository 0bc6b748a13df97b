package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Deterministic JSON for {@link NodeConfig}: the same config always gives the same bytes. */
public final class NodeConfigCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // newer writers may add fields; an older agent ignores what it does not know
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private NodeConfigCodec() {}

    public static String write(NodeConfig config) {
        try {
            return MAPPER.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("node config cannot be serialised", e);
        }
    }

    /** Parses a node config; throws {@link IllegalArgumentException} naming the problem for a bad document. */
    public static NodeConfig read(String json) {
        NodeConfig config;
        try {
            config = MAPPER.readValue(json, NodeConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("node config is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!NodeConfig.API_VERSION.equals(config.apiVersion())
                && !NodeConfig.API_VERSION_V2.equals(config.apiVersion())) {
            throw new IllegalArgumentException("node config apiVersion '" + config.apiVersion()
                    + "' is not supported (expected " + NodeConfig.API_VERSION + " or " + NodeConfig.API_VERSION_V2
                    + ")");
        }
        return config;
    }
}
