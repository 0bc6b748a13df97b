package dev.beesting.agent.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.standalone.StandaloneConfig.Content;
import dev.beesting.agent.standalone.StandaloneConfig.TokenSpec;
import dev.beesting.agent.tokens.TemplateException;
import dev.beesting.agent.tokens.TemplateRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads and validates a standalone YAML config; every error names the field the way a user would write it. */
public final class StandaloneConfigParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP_LEVEL = Set.of("tokens", "severity", "action", "ignoreProcesses");
    private static final Set<String> TOKEN_FIELDS = Set.of("path", "content", "mode");
    private static final Set<String> CONTENT_FIELDS = Set.of("value", "template", "secretKeyRef");
    private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    private StandaloneConfigParser() {}

    public static StandaloneConfig parse(String yaml) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", "not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config", "must be a mapping with a tokens list");
        }
        rejectUnknown(root, TOP_LEVEL, "");
        JsonNode tokens = root.path("tokens");
        if (!tokens.isArray() || tokens.isEmpty()) {
            throw new ConfigException("tokens", "must be a non-empty list");
        }
        List<TokenSpec> specs = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            TokenSpec spec = token(tokens.get(i), "tokens[" + i + "]");
            if (!seen.add(spec.path())) {
                throw new ConfigException("tokens[" + i + "].path", "duplicate path " + spec.path());
            }
            specs.add(spec);
        }
        String severity = text(root, "severity", "severity", "high");
        if (!SEVERITIES.contains(severity)) {
            throw new ConfigException("severity", "must be one of " + SEVERITIES + ", got '" + severity + "'");
        }
        String action = text(root, "action", "action", "Alert");
        AccessAction accessAction = switch (action) {
            case "Alert" -> AccessAction.ALERT;
            case "Block" -> AccessAction.BLOCK;
            default -> throw new ConfigException("action", "must be Alert or Block, got '" + action + "'");
        };
        return new StandaloneConfig(List.copyOf(specs), severity, accessAction, ignoreProcesses(root));
    }

    private static TokenSpec token(JsonNode node, String field) throws ConfigException {
        if (!node.isObject()) {
            throw new ConfigException(field, "must be a mapping with path and content");
        }
        rejectUnknown(node, TOKEN_FIELDS, field + ".");
        String rawPath = text(node, "path", field + ".path", null);
        if (rawPath == null || rawPath.isBlank()) {
            throw new ConfigException(field + ".path", "is required");
        }
        Path path = Path.of(rawPath);
        if (!path.isAbsolute()) {
            throw new ConfigException(field + ".path", "must be absolute");
        }
        if (!path.normalize().equals(path) || path.getParent() == null) {
            throw new ConfigException(field + ".path", "must be a normalized file path below /");
        }
        return new TokenSpec(path, content(node.path("content"), field + ".content"), mode(node, field + ".mode"));
    }

    private static Content content(JsonNode node, String field) throws ConfigException {
        if (!node.isObject()) {
            throw new ConfigException(field, "is required, with value or template");
        }
        rejectUnknown(node, CONTENT_FIELDS, field + ".");
        if (node.has("secretKeyRef")) {
            throw new ConfigException(
                    field + ".secretKeyRef", "needs Kubernetes; use value or template in standalone mode");
        }
        boolean hasValue = node.has("value");
        boolean hasTemplate = node.has("template");
        if (hasValue == hasTemplate) {
            throw new ConfigException(field, "needs exactly one of value and template");
        }
        if (hasValue) {
            return new Content.Value(text(node, "value", field + ".value", ""));
        }
        String template = text(node, "template", field + ".template", "");
        try {
            new TemplateRenderer().forContainer(StandaloneAgent.HOST).render(template);
        } catch (TemplateException e) {
            throw new ConfigException(field + ".template", e.getMessage());
        }
        return new Content.Template(template);
    }

    private static int mode(JsonNode node, String field) throws ConfigException {
        JsonNode mode = node.get("mode");
        if (mode == null) {
            return 0444;
        }
        // an unquoted 0444 is the YAML 1.1 octal 292 for some parsers and decimal 444 for others: insist on a string
        if (!mode.isTextual() || !mode.asText().matches("0?[0-7]{3}")) {
            throw new ConfigException(field, "must be an octal string such as \"0444\"");
        }
        return Integer.parseInt(mode.asText(), 8);
    }

    private static List<String> ignoreProcesses(JsonNode root) throws ConfigException {
        JsonNode list = root.get("ignoreProcesses");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ConfigException("ignoreProcesses", "must be a list of executable paths");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isTextual() || !item.asText().startsWith("/")) {
                throw new ConfigException("ignoreProcesses[" + i + "]", "must be an absolute executable path");
            }
            result.add(item.asText());
        }
        return List.copyOf(result);
    }

    private static String text(JsonNode node, String name, String field, String fallback) throws ConfigException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new ConfigException(field, "must be a string");
        }
        return value.asText();
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) throws ConfigException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(prefix + name, "unknown field (expected one of " + known + ")");
            }
        }
    }
}
