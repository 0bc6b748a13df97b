package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The process that opened a token, as seen from the node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProcessInfo {
    /** Process id in the node's PID namespace. */
    @JsonPropertyDescription("Process id in the node's PID namespace.")
    public Integer pid;

    /** Command name (at most 15 characters). */
    @JsonPropertyDescription("Command name (at most 15 characters).")
    public String comm;

    /** Executable path, as the process sees it. */
    @JsonPropertyDescription("Executable path, as the process sees it.")
    public String exe;

    /** Command line, arguments separated by spaces. */
    @JsonPropertyDescription("Command line, arguments separated by spaces.")
    public String cmdline;

    /** Real user id. */
    @JsonPropertyDescription("Real user id.")
    public Integer uid;

    /** Real group id. */
    @JsonPropertyDescription("Real group id.")
    public Integer gid;

    /** When this process opened the token (last time). */
    @JsonPropertyDescription("When this process opened the token (last time).")
    public String time;
}
