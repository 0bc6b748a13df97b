package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A key of a Secret in the operator's namespace whose value becomes a token's content. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
    /** Name of the Secret, in the operator's namespace. */
    @Required
    @Size(max = 253)
    @ValidationRule(
            value =
                    "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$') && size(self) <= 253",
            message = PolicyRules.SECRET_NAME)
    @JsonPropertyDescription("Name of the Secret, in the operator's namespace.")
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
