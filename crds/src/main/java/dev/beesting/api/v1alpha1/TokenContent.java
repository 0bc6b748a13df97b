package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What a token file contains: exactly one of a literal, a per-container template or a Secret key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "(has(self.value) ? 1 : 0) + (has(self.template) ? 1 : 0) + (has(self.secretKeyRef) ? 1 : 0) == 1",
        message = PolicyRules.EXACTLY_ONE_CONTENT)
public class TokenContent {
    /** Literal content, at most 64 KiB. */
    @Size(max = 65536)
    @JsonPropertyDescription("Literal content, at most 64 KiB.")
    public String value;

    /**
     * Content rendered for each container, so that every container gets a unique token. Placeholders such as
     * {@code {{awsAccessKeyId}}}, {@code {{uuid}}}, {@code {{hex 32}}} or {@code {{pod.name}}} are replaced; at most
     * 64 KiB.
     */
    @Size(max = 65536)
    @JsonPropertyDescription(
            "Content rendered for each container, so that every container gets a unique token. Placeholders such as"
                    + " {{awsAccessKeyId}}, {{uuid}}, {{hex 32}} or {{pod.name}} are replaced; at most 64 KiB.")
    public String template;

    /** A key of a Secret in the operator's namespace; its value is the content. */
    @JsonPropertyDescription("A key of a Secret in the operator's namespace; its value is the content.")
    public SecretKeyRef secretKeyRef;

    public static TokenContent literal(String value) {
        TokenContent content = new TokenContent();
        content.value = value;
        return content;
    }

    public static TokenContent template(String template) {
        TokenContent content = new TokenContent();
        content.template = template;
        return content;
    }

    public static TokenContent secret(String name, String key) {
        TokenContent content = new TokenContent();
        content.secretKeyRef = new SecretKeyRef(name, key);
        return content;
    }
}
