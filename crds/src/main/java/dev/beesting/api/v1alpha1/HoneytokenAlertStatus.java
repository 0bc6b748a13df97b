package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Who touched the token, how often and when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneytokenAlertStatus {
    /** The latest process that opened the token. */
    @JsonPropertyDescription("The latest process that opened the token.")
    public ProcessInfo process;

    /** The most recent distinct processes that opened the token, newest first, at most 10. */
    @JsonPropertyDescription("The most recent distinct processes that opened the token, newest first, at most 10.")
    public List<ProcessInfo> recentProcesses = new ArrayList<>();

    /** Total opens seen. */
    @JsonPropertyDescription("Total opens seen.")
    public Long count;

    /** First open (RFC 3339). */
    @JsonPropertyDescription("First open (RFC 3339).")
    public String firstSeen;

    /** Latest open (RFC 3339). */
    @JsonPropertyDescription("Latest open (RFC 3339).")
    public String lastSeen;

    /** Whether the latest open was denied (action Block). */
    @JsonPropertyDescription("Whether the latest open was denied (action Block).")
    public Boolean denied;
}
