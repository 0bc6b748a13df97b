package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The pod a token was planted into. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodRef {
    /** Pod name. */
    @JsonPropertyDescription("Pod name.")
    public String name;

    /** Pod namespace. */
    @JsonPropertyDescription("Pod namespace.")
    public String namespace;

    /** Pod UID; stays meaningful after the pod is gone. */
    @JsonPropertyDescription("Pod UID; stays meaningful after the pod is gone.")
    public String uid;
}
