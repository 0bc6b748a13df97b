package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The container a token was planted into. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerRef {
    /** Container name in the pod spec. */
    @JsonPropertyDescription("Container name in the pod spec.")
    public String name;

    /** Runtime container id. */
    @JsonPropertyDescription("Runtime container id.")
    public String id;

    /** Image the container runs. */
    @JsonPropertyDescription("Image the container runs.")
    public String image;
}
