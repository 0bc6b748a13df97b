package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How urgent an access to a policy's tokens is. */
public enum Severity {
    @JsonProperty("low")
    LOW,
    @JsonProperty("medium")
    MEDIUM,
    @JsonProperty("high")
    HIGH,
    @JsonProperty("critical")
    CRITICAL
}
