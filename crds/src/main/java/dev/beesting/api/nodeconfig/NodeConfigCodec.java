package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Deterministic JSON for {@link NodeConfig}, and for format v4's {@link NodeConfigIndex} and per-policy documents:
 * the same content always gives the same bytes, so the operator rewrites an object only when its content changed.
 */
public final class NodeConfigCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // newer writers may add fields; an older agent ignores what it does not know
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    // format v4's objects travel on every policy edit: no indentation (v1 and v2 keep theirs, byte for byte)
    private static final ObjectMapper COMPACT = MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

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

    /** The document of one policy object (format v4): the compiled policy in its v2 shape. */
    public static String writePolicy(CompiledPolicy policy) {
        try {
            return COMPACT.writeValueAsString(policy) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("compiled policy cannot be serialised", e);
        }
    }

    /** Parses a policy object's document; throws {@link IllegalArgumentException} for a bad one. */
    public static CompiledPolicy readPolicy(String json) {
        try {
            return MAPPER.readValue(json, CompiledPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("policy object is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String writeIndex(NodeConfigIndex index) {
        try {
            return COMPACT.writeValueAsString(index) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("node config index cannot be serialised", e);
        }
    }

    /** Parses a format v4 index; throws {@link IllegalArgumentException} naming the problem for a bad document. */
    public static NodeConfigIndex readIndex(String json) {
        try {
            // the version first: another format's index has another shape, and its version is the clearer message
            var tree = MAPPER.readTree(json);
            String apiVersion = tree.path("apiVersion").asText(null);
            if (!NodeConfigIndex.API_VERSION.equals(apiVersion)) {
                throw new IllegalArgumentException("node config index apiVersion '" + apiVersion
                        + "' is not supported (expected " + NodeConfigIndex.API_VERSION + ")");
            }
            return MAPPER.treeToValue(tree, NodeConfigIndex.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("node config index is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Hex SHA-256 of a document's UTF-8 bytes: how the operator tells policy versions apart. */
    public static String sha256(String document) {
        return PolicyObject.sha256Hex(document);
    }
}
