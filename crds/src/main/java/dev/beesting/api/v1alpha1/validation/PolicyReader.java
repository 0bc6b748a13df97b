package dev.beesting.api.v1alpha1.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a HoneytokenPolicy document as strictly as the API server does (unknown fields, wrong types and unknown enum
 * values are errors), then applies {@link HoneytokenPolicyValidator}.
 */
public final class PolicyReader {
    private static final ObjectMapper MAPPER = strictMapper();

    private PolicyReader() {}

    /** The policy, or every reason the document is not a valid policy. */
    public sealed interface Result {
        record Valid(HoneytokenPolicy policy) implements Result {}

        record Invalid(List<FieldError> errors) implements Result {}
    }

    public static Result readYaml(String yaml) {
        try {
            return read(MAPPER.readTree(yaml));
        } catch (JsonProcessingException e) {
            return new Result.Invalid(
                    List.of(new FieldError("<document>", "not valid YAML: " + e.getOriginalMessage())));
        }
    }

    public static Result read(JsonNode document) {
        HoneytokenPolicy policy;
        try {
            policy = MAPPER.treeToValue(document, HoneytokenPolicy.class);
        } catch (JsonProcessingException e) {
            return new Result.Invalid(List.of(bindingError(e)));
        }
        List<FieldError> errors = HoneytokenPolicyValidator.validate(policy.getSpec());
        return errors.isEmpty() ? new Result.Valid(policy) : new Result.Invalid(errors);
    }

    private static FieldError bindingError(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return new FieldError("<document>", e.getOriginalMessage());
        }
        List<JsonMappingException.Reference> path = new ArrayList<>(mapping.getPath());
        return switch (mapping) {
            case UnrecognizedPropertyException unknown -> new FieldError(fieldPath(path), FieldError.UNKNOWN_FIELD);
            case InvalidFormatException format
            when format.getTargetType().isEnum() -> new FieldError(fieldPath(path), unsupported(format));
            case MismatchedInputException mismatch ->
                new FieldError(fieldPath(path), "must be of type " + typeName(mismatch.getTargetType()));
            default -> new FieldError(fieldPath(path), mapping.getOriginalMessage());
        };
    }

    private static String unsupported(InvalidFormatException format) {
        String supported = Arrays.stream(format.getTargetType().getEnumConstants())
                .map(constant -> '"' + MAPPER.convertValue(constant, String.class) + '"')
                .collect(Collectors.joining(", "));
        return "Unsupported value: \"" + format.getValue() + "\": supported values: " + supported;
    }

    private static String typeName(Class<?> type) {
        return type == String.class ? "string" : type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static ObjectMapper strictMapper() {
        YAMLMapper mapper = new YAMLMapper();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // a YAML 1.1 number where the schema says string (mode: 0444 unquoted) is an error, as in Kubernetes
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
