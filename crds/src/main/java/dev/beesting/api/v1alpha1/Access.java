package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a honeytoken was touched. */
public enum Access {
    /** A process opened the token file (the node agent saw it). */
    @JsonProperty("Open")
    OPEN,
    /** Someone presented the token's decoy credential to the decoy API server. */
    @JsonProperty("Use")
    USE
}
