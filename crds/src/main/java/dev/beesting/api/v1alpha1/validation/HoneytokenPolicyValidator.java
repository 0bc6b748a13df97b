package dev.beesting.api.v1alpha1.validation;

import static dev.beesting.api.v1alpha1.validation.PolicyRules.*;

import dev.beesting.api.v1alpha1.HoneytokenPolicySpec;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.LabelSelectorRequirement;
import dev.beesting.api.v1alpha1.SecretKeyRef;
import dev.beesting.api.v1alpha1.TokenContent;
import dev.beesting.api.v1alpha1.TokenSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CRD's validation rules in Java, for the operator: the fabric8 mock server and old API servers do not evaluate
 * CEL. A corpus test holds it and the generated schema to the same verdicts.
 */
public final class HoneytokenPolicyValidator {
    private HoneytokenPolicyValidator() {}

    /** Every rule the spec breaks; empty when the spec is valid. */
    public static List<FieldError> validate(HoneytokenPolicySpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            errors.add(new FieldError("spec", FieldError.REQUIRED));
            return errors;
        }
        selector("spec.namespaceSelector", spec.namespaceSelector, errors);
        selector("spec.podSelector", spec.podSelector, errors);
        tokens(spec.tokens, errors);
        if (spec.ignoreProcesses != null) {
            if (spec.ignoreProcesses.size() > MAX_IGNORED_PROCESSES) {
                errors.add(tooMany("spec.ignoreProcesses", MAX_IGNORED_PROCESSES));
            }
            if (!spec.ignoreProcesses.stream().allMatch(p -> p != null && p.startsWith("/"))) {
                errors.add(new FieldError("spec.ignoreProcesses", IGNORE_ABSOLUTE));
            }
        }
        return errors;
    }

    private static void tokens(List<TokenSpec> tokens, List<FieldError> errors) {
        if (tokens == null) {
            errors.add(new FieldError("spec.tokens", FieldError.REQUIRED));
            return;
        }
        if (tokens.isEmpty()) {
            errors.add(new FieldError("spec.tokens", "must have at least 1 items"));
            errors.add(new FieldError("spec.tokens", AT_LEAST_ONE_TOKEN));
        }
        if (tokens.size() > MAX_TOKENS) {
            errors.add(tooMany("spec.tokens", MAX_TOKENS));
        }
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < tokens.size(); i++) {
            TokenSpec token = tokens.get(i);
            String field = "spec.tokens[" + i + "]";
            if (token == null) {
                errors.add(new FieldError(field, "must be of type object"));
                continue;
            }
            path(field + ".path", token.path, errors);
            content(field + ".content", token.content, errors);
            if (token.mode != null && !MODE.matcher(token.mode).matches()) {
                errors.add(new FieldError(field + ".mode", MODE_OCTAL));
            }
            decoyServer(field + ".decoyServer", token.decoyServer, errors);
            unique &= seen.add(token.path);
        }
        if (!unique) {
            errors.add(new FieldError("spec.tokens", PATHS_UNIQUE));
        }
    }

    private static void decoyServer(String field, String url, List<FieldError> errors) {
        if (url == null) {
            return;
        }
        if (url.length() > MAX_URL_LENGTH) {
            errors.add(tooLong(field, MAX_URL_LENGTH));
        } else if (!HTTPS_URL_RE.matcher(url).matches()) {
            errors.add(new FieldError(field, DECOY_SERVER_HTTPS));
        }
    }

    private static void path(String field, String path, List<FieldError> errors) {
        if (path == null) {
            errors.add(new FieldError(field, FieldError.REQUIRED));
            return;
        }
        if (path.length() > MAX_PATH_LENGTH) {
            errors.add(tooLong(field, MAX_PATH_LENGTH));
        }
        if (!path.startsWith("/")) {
            errors.add(new FieldError(field, PATH_ABSOLUTE));
        }
        if (path.endsWith("/")) {
            errors.add(new FieldError(field, PATH_NOT_DIRECTORY));
        }
        if (List.of(path.split("/", -1)).contains("..")) {
            errors.add(new FieldError(field, PATH_NO_DOTDOT));
        }
        if (path.contains("//") || List.of(path.split("/", -1)).contains(".")) {
            errors.add(new FieldError(field, PATH_NORMALIZED));
        }
        if (under(path, FORBIDDEN_ROOTS)) {
            errors.add(new FieldError(field, PATH_NOT_KERNEL));
        }
        if (under(path, SERVICE_ACCOUNT_ROOTS)) {
            errors.add(new FieldError(field, PATH_NOT_SERVICE_ACCOUNT));
        }
    }

    private static void content(String field, TokenContent content, List<FieldError> errors) {
        if (content == null) {
            errors.add(new FieldError(field, FieldError.REQUIRED));
            return;
        }
        int set = (content.value != null ? 1 : 0)
                + (content.template != null ? 1 : 0)
                + (content.secretKeyRef != null ? 1 : 0);
        if (set != 1) {
            errors.add(new FieldError(field, EXACTLY_ONE_CONTENT));
        }
        contentLength(field + ".value", content.value, errors);
        contentLength(field + ".template", content.template, errors);
        SecretKeyRef ref = content.secretKeyRef;
        if (ref != null) {
            secretPart(field + ".secretKeyRef.name", ref.name, DNS_SUBDOMAIN.asMatchPredicate(), SECRET_NAME, errors);
            secretPart(field + ".secretKeyRef.key", ref.key, SECRET_KEY_CHARS.asMatchPredicate(), SECRET_KEY, errors);
        }
    }

    private static void contentLength(String field, String text, List<FieldError> errors) {
        if (text != null && text.length() > MAX_CONTENT_LENGTH) {
            errors.add(tooLong(field, MAX_CONTENT_LENGTH));
        }
    }

    private static void secretPart(
            String field,
            String value,
            java.util.function.Predicate<String> syntax,
            String message,
            List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, FieldError.REQUIRED));
        } else if (value.length() > 253 || !syntax.test(value)) {
            errors.add(new FieldError(field, message));
        }
    }

    private static void selector(String field, LabelSelector selector, List<FieldError> errors) {
        if (selector == null) {
            return;
        }
        Map<String, String> labels = selector.matchLabels;
        if (labels != null) {
            if (!labels.keySet().stream().allMatch(PolicyRules::validLabelKey)) {
                errors.add(new FieldError(field + ".matchLabels", LABEL_KEYS));
            }
            if (!labels.values().stream().allMatch(v -> v != null && validLabelValue(v))) {
                errors.add(new FieldError(field + ".matchLabels", LABEL_VALUES));
            }
        }
        List<LabelSelectorRequirement> expressions = selector.matchExpressions;
        if (expressions == null) {
            return;
        }
        for (int i = 0; i < expressions.size(); i++) {
            requirement(field + ".matchExpressions[" + i + "]", expressions.get(i), errors);
        }
    }

    private static void requirement(String field, LabelSelectorRequirement requirement, List<FieldError> errors) {
        if (requirement.key == null) {
            errors.add(new FieldError(field + ".key", FieldError.REQUIRED));
        } else if (!validLabelKey(requirement.key)) {
            errors.add(new FieldError(field + ".key", LABEL_KEY));
        }
        if (requirement.operator == null) {
            errors.add(new FieldError(field + ".operator", FieldError.REQUIRED));
            return;
        }
        boolean hasValues = requirement.values != null && !requirement.values.isEmpty();
        switch (requirement.operator) {
            case "In", "NotIn" -> {
                if (!hasValues) {
                    errors.add(new FieldError(field, OPERATOR_VALUES));
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (hasValues) {
                    errors.add(new FieldError(field, OPERATOR_VALUES));
                }
            }
            default -> errors.add(new FieldError(field + ".operator", OPERATOR));
        }
        if (requirement.values == null) {
            return;
        }
        for (int i = 0; i < requirement.values.size(); i++) {
            String value = requirement.values.get(i);
            if (value != null && value.length() > MAX_LABEL_VALUE_LENGTH) {
                // the schema's maxLength, which the API server checks before any CEL rule
                errors.add(tooLong(field + ".values[" + i + "]", MAX_LABEL_VALUE_LENGTH));
                return;
            }
        }
        if (!requirement.values.stream().allMatch(v -> v != null && validLabelValue(v))) {
            errors.add(new FieldError(field + ".values", LABEL_VALUE_LIST));
        }
    }

    private static FieldError tooMany(String field, int max) {
        return new FieldError(field, "must have at most " + max + " items");
    }

    private static boolean under(String path, List<String> roots) {
        return roots.stream().anyMatch(root -> path.equals(root) || path.startsWith(root + "/"));
    }

    private static FieldError tooLong(String field, int max) {
        return new FieldError(field, PolicyRules.tooLong(max));
    }
}
