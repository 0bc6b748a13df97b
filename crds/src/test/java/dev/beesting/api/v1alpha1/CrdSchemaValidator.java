package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beesting.api.v1alpha1.validation.FieldError;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a generated CRD's structural schema and its CEL rules ({@code x-kubernetes-validations}) against an
 * object the way the API server does, producing the same {@code field: message} errors as the Java validator.
 */
final class CrdSchemaValidator {
    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addLibraries(CelExtensions.strings())
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build();
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();
    private final JsonNode rootSchema;
    private final List<JsonNode> admissionValidations = new ArrayList<>();

    /**
     * @param crd the generated CRD
     * @param admissionPolicies the ValidatingAdmissionPolicies installed beside it, whose validations the server runs
     *     once the schema holds; each message is {@code field: text}
     */
    CrdSchemaValidator(JsonNode crd, List<JsonNode> admissionPolicies) {
        this.rootSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
        admissionPolicies.stream()
                .filter(p -> "ValidatingAdmissionPolicy".equals(p.path("kind").asText()))
                .forEach(p -> p.at("/spec/validations").forEach(admissionValidations::add));
    }

    /** Every error for the object's spec; empty when valid. */
    List<FieldError> validateSpec(JsonNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = object.get("spec");
        if (spec == null) {
            errors.add(new FieldError("spec", FieldError.REQUIRED));
        } else {
            validate(spec, rootSchema.at("/properties/spec"), "spec", errors);
        }
        if (errors.isEmpty()) {
            admit(object, errors);
        }
        return errors;
    }

    private void admit(JsonNode object, List<FieldError> errors) {
        for (JsonNode validation : admissionValidations) {
            String message = validation.get("message").asText();
            int colon = message.indexOf(": ");
            try {
                if (!Boolean.TRUE.equals(
                        program(validation.get("expression").asText()).eval(Map.of("object", toCel(object))))) {
                    errors.add(new FieldError(message.substring(0, colon), message.substring(colon + 2)));
                }
            } catch (CelEvaluationException e) {
                errors.add(new FieldError(message.substring(0, colon), "admission error: " + e.getMessage()));
            }
        }
    }

    /** Compiles every CEL rule of the CRD, so that a rule the API server would refuse fails a test. */
    List<String> compileAllRules() {
        List<String> rules = new ArrayList<>();
        rootSchema
                .findValues("x-kubernetes-validations")
                .forEach(list -> list.forEach(rule -> {
                    program(rule.get("rule").asText());
                    rules.add(rule.get("rule").asText());
                }));
        admissionValidations.forEach(v -> {
            program(v.get("expression").asText());
            rules.add(v.get("expression").asText());
        });
        return rules;
    }

    private void validate(JsonNode node, JsonNode schema, String path, List<FieldError> errors) {
        String type = schema.path("type").asText("");
        if (!type.isEmpty() && !hasType(node, type)) {
            errors.add(new FieldError(path, "must be of type " + type));
            return;
        }
        switch (type) {
            case "object" -> validateObject(node, schema, path, errors);
            case "array" -> validateArray(node, schema, path, errors);
            case "string" -> validateString(node, schema, path, errors);
            default -> {}
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String field = path + rule.path("fieldPath").asText("");
            try {
                if (!Boolean.TRUE.equals(program(rule.get("rule").asText()).eval(Map.of("self", toCel(node))))) {
                    errors.add(new FieldError(field, rule.get("message").asText()));
                }
            } catch (CelEvaluationException e) {
                // the API server reports a rule that fails at run time as an invalid value too
                errors.add(new FieldError(field, "rule evaluation error: " + e.getMessage()));
            }
        }
    }

    private void validateObject(JsonNode node, JsonNode schema, String path, List<FieldError> errors) {
        for (JsonNode required : schema.path("required")) {
            if (!node.has(required.asText())) {
                errors.add(new FieldError(path + "." + required.asText(), FieldError.REQUIRED));
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                validate(field.getValue(), properties.get(field.getKey()), fieldPath, errors);
            } else if (additional != null && additional.isObject()) {
                validate(field.getValue(), additional, fieldPath, errors);
            } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                errors.add(new FieldError(fieldPath, FieldError.UNKNOWN_FIELD));
            }
        }
    }

    private void validateArray(JsonNode node, JsonNode schema, String path, List<FieldError> errors) {
        if (schema.has("minItems") && node.size() < schema.get("minItems").asInt()) {
            errors.add(new FieldError(
                    path, "must have at least " + schema.get("minItems").asInt() + " items"));
        }
        if (schema.has("maxItems") && node.size() > schema.get("maxItems").asInt()) {
            errors.add(new FieldError(
                    path, "must have at most " + schema.get("maxItems").asInt() + " items"));
        }
        for (int i = 0; i < node.size(); i++) {
            validate(node.get(i), schema.path("items"), path + "[" + i + "]", errors);
        }
    }

    private void validateString(JsonNode node, JsonNode schema, String path, List<FieldError> errors) {
        String text = node.asText();
        if (schema.has("maxLength")
                && text.codePointCount(0, text.length())
                        > schema.get("maxLength").asInt()) {
            errors.add(new FieldError(
                    path, PolicyRules.tooLong(schema.get("maxLength").asInt())));
        }
        if (schema.has("enum")) {
            List<String> supported = new ArrayList<>();
            schema.get("enum").forEach(value -> supported.add('"' + value.asText() + '"'));
            if (!supported.contains('"' + text + '"')) {
                errors.add(new FieldError(
                        path,
                        "Unsupported value: \"" + text + "\": supported values: " + String.join(", ", supported)));
            }
        }
    }

    private static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            default -> true;
        };
    }

    private CelRuntime.Program program(String rule) {
        return programs.computeIfAbsent(rule, text -> {
            try {
                CelAbstractSyntaxTree ast = compiler.compile(text).getAst();
                return runtime.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException e) {
                throw new IllegalStateException("CEL rule does not compile: " + text, e);
            }
        });
    }

    private static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
