package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

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

    /** The parent's process id, at the open. */
    @JsonPropertyDescription("The parent's process id, at the open.")
    public Integer parentPid;

    /** The parent's command name. */
    @JsonPropertyDescription("The parent's command name.")
    public String parentComm;

    /** The parent's executable path, when the agent could read it while the parent ran. */
    @JsonPropertyDescription("The parent's executable path, when the agent could read it while the parent ran.")
    public String parentExe;

    /** The parent's command line, when the agent could read it while the parent ran. */
    @JsonPropertyDescription("The parent's command line, when the agent could read it while the parent ran.")
    public String parentCmdline;

    /** The parent chain at the open, parent first, at most 4. */
    @JsonPropertyDescription("The parent chain at the open, parent first, at most 4.")
    public List<AncestorInfo> ancestors;

    /**
     * How the process came to run in the container: container (its own process tree), exec (started in it from
     * outside, as by kubectl exec), host (a process outside the container) or unknown.
     */
    @JsonPropertyDescription("How the process came to run in the container: container (its own process tree), exec"
            + " (started in it from outside, as by kubectl exec), host (a process outside the container) or unknown.")
    public String origin;

    /** When this process opened the token (last time). */
    @JsonPropertyDescription("When this process opened the token (last time).")
    public String time;
}
