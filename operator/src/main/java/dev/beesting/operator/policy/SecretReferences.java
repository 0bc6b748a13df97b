package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenPolicySpec;
import dev.beesting.api.v1alpha1.SecretKeyRef;
import dev.beesting.api.v1alpha1.TokenSpec;
import dev.beesting.api.v1alpha1.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the schema cannot check: every Secret a policy references exists in the operator namespace with the key. */
final class SecretReferences {
    private SecretReferences() {}

    static String unavailable(String namespace, SecretKeyRef ref) {
        return "key \"" + ref.key + "\" of Secret " + namespace + "/" + ref.name + " is not available as token content"
                + " (the Secret must exist, hold the key and carry the label " + SecretKeyRef.TOKEN_SOURCE_LABEL
                + "=true)";
    }

    /** Names of the Secrets a spec references, for event mapping. */
    static Set<String> names(HoneytokenPolicySpec spec) {
        Set<String> names = new TreeSet<>();
        if (spec == null || spec.tokens == null) {
            return names;
        }
        for (TokenSpec token : spec.tokens) {
            if (token != null && token.content != null && token.content.secretKeyRef != null) {
                names.add(token.content.secretKeyRef.name);
            }
        }
        return names;
    }

    /**
     * One error per token whose Secret or key is missing or not labelled as a token source. One message for all three,
     * so that a policy's status (readable by anyone who can read policies) does not tell which Secrets or keys exist.
     * Call only on a spec the validator accepted.
     *
     * @param secrets the data of the token-source Secrets only
     */
    static List<FieldError> unresolved(
            HoneytokenPolicySpec spec, String namespace, Map<String, Map<String, String>> secrets) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < spec.tokens.size(); i++) {
            SecretKeyRef ref = spec.tokens.get(i).content.secretKeyRef;
            if (ref == null) {
                continue;
            }
            String field = "spec.tokens[" + i + "].content.secretKeyRef";
            Map<String, String> data = secrets.get(ref.name);
            if (data == null || !data.containsKey(ref.key)) {
                errors.add(new FieldError(field, unavailable(namespace, ref)));
            }
        }
        return errors;
    }
}
