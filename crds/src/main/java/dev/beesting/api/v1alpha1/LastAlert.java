package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The policy's most recent access, copied from its HoneytokenAlert so that it shows where GitOps users look. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastAlert {
    /** Namespace of the HoneytokenAlert (the pod's). */
    @JsonPropertyDescription("Namespace of the HoneytokenAlert (the pod's).")
    public String namespace;

    /** Name of the HoneytokenAlert. */
    @JsonPropertyDescription("Name of the HoneytokenAlert.")
    public String name;

    /** The pod whose token was opened. */
    @JsonPropertyDescription("The pod whose token was opened.")
    public String pod;

    /** The token's path in the container. */
    @JsonPropertyDescription("The token's path in the container.")
    public String path;

    /** Command name of the process that opened it. */
    @JsonPropertyDescription("Command name of the process that opened it.")
    public String process;

    /** When that alert last saw an access (RFC 3339). */
    @JsonPropertyDescription("When that alert last saw an access (RFC 3339).")
    public String lastSeen;

    /** How many accesses that alert counted. */
    @JsonPropertyDescription("How many accesses that alert counted.")
    public Long count;
}
