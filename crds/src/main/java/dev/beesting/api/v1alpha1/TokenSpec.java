package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One bait file planted into every matching container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenSpec {
    /**
     * Absolute, normalized path of the file inside the container; not under /proc, /sys, /dev or the service-account
     * token mount.
     */
    @Required
    @Size(max = 4096)
    @ValidationRule(value = "self.startsWith('/')", message = PolicyRules.PATH_ABSOLUTE)
    @ValidationRule(value = "!self.endsWith('/')", message = PolicyRules.PATH_NOT_DIRECTORY)
    @ValidationRule(value = "!self.split('/').exists(s, s == '..')", message = PolicyRules.PATH_NO_DOTDOT)
    // a check on the text must see the path the runtime resolves: //proc/x is /proc/x, /./dev/null is /dev/null
    @ValidationRule(
            value = "!self.contains('//') && !self.split('/').exists(s, s == '.')",
            message = PolicyRules.PATH_NORMALIZED)
    @ValidationRule(
            value = "!['/var/run/secrets/kubernetes.io', '/run/secrets/kubernetes.io']"
                    + ".exists(p, self == p || self.startsWith(p + '/'))",
            message = PolicyRules.PATH_NOT_SERVICE_ACCOUNT)
    @ValidationRule(
            value = "!['/proc', '/sys', '/dev'].exists(p, self == p || self.startsWith(p + '/'))",
            message = PolicyRules.PATH_NOT_KERNEL)
    @JsonPropertyDescription(
            "Absolute, normalized path of the file inside the container (no '.', '..' or empty segment); not under"
                    + " /proc, /sys, /dev or the service-account token mount /var/run/secrets/kubernetes.io.")
    public String path;

    /** What the file contains. */
    @Required
    @JsonPropertyDescription("What the file contains.")
    public TokenContent content;

    /** File mode as an octal string between 0400 and 0777; default 0444. */
    @Default("0444")
    @Size(max = 4) // bounds the CEL rule's estimated cost
    @ValidationRule(value = "self.matches('^0[4-7][0-7][0-7]$')", message = PolicyRules.MODE_OCTAL)
    @JsonPropertyDescription("File mode as an octal string between 0400 and 0777; default 0444.")
    public String mode;

    /**
     * URL of the decoy API server that this token's {{kubeconfig}} and {{serviceAccountToken}} name, for a decoy
     * reachable from outside the cluster; default: the decoy's in-cluster Service.
     */
    @Size(max = PolicyRules.MAX_URL_LENGTH)
    @ValidationRule(
            value = "self.matches('" + PolicyRules.HTTPS_URL_CEL + "')",
            message = PolicyRules.DECOY_SERVER_HTTPS)
    @JsonPropertyDescription("URL of the decoy API server that this token's {{kubeconfig}} and {{serviceAccountToken}}"
            + " name, for a decoy reachable from outside the cluster (https only); default: the decoy's in-cluster"
            + " Service.")
    public String decoyServer;

    public TokenSpec() {}

    public TokenSpec(String path, TokenContent content) {
        this.path = path;
        this.content = content;
    }
}
