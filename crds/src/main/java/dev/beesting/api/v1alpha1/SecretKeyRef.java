package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A key of a Secret in the operator's namespace whose value becomes a token's content. Only Secrets labelled {@value
 * #TOKEN_SOURCE_LABEL}{@code =true} can be used, so a policy cannot copy the operator namespace's other Secrets into
 * pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
    /** The label a Secret must carry, with the value {@code "true"}, to be usable as token content. */
    public static final String TOKEN_SOURCE_LABEL = "beesting.dev/token-source";

    /** Name of the Secret, in the operator's namespace. */
    @Required
    @Size(max = 253)
    @ValidationRule(
            value =
                    "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$') && size(self) <= 253",
            message = PolicyRules.SECRET_NAME)
    @JsonPropertyDescription("Name of the Secret, in the operator's namespace; it must carry the label"
            + " beesting.dev/token-source=true.")
    public String name;

    /** Key within the Secret's data. */
    @Required
    @Size(max = 253)
    @ValidationRule(value = "self.matches('^[-._a-zA-Z0-9]+$') && size(self) <= 253", message = PolicyRules.SECRET_KEY)
    @JsonPropertyDescription("Key within the Secret's data.")
    public String key;

    public SecretKeyRef() {}

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
