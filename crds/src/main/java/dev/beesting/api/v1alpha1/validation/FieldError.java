package dev.beesting.api.v1alpha1.validation;

/**
 * One reason a policy is invalid, naming the field as Kubernetes does ({@code spec.tokens[1].path}).
 *
 * @param field the field path
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {
    public static final String REQUIRED = "Required value";
    public static final String UNKNOWN_FIELD = "unknown field";

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
