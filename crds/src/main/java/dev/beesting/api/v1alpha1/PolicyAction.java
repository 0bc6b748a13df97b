package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the detector does on an open of a token. */
public enum PolicyAction {
    /** Report the open; it succeeds. */
    @JsonProperty("Alert")
    ALERT,
    /** Report the open and deny it where the node's detector tier can (lsm, fanotify). */
    @JsonProperty("Block")
    BLOCK
}
