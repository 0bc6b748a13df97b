package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One process up the opener's parent chain, at the time of the open. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AncestorInfo {
    /** Process id in the node's PID namespace. */
    @JsonPropertyDescription("Process id in the node's PID namespace.")
    public Integer pid;

    /** Command name (at most 15 characters). */
    @JsonPropertyDescription("Command name (at most 15 characters).")
    public String comm;
}
