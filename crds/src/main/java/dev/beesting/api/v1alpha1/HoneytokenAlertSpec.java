package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What was touched and where; fixed when the alert is created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneytokenAlertSpec {
    /** Name of the HoneytokenPolicy that planted the token. */
    @JsonPropertyDescription("Name of the HoneytokenPolicy that planted the token.")
    public String policy;

    /** Path of the token inside the container. */
    @JsonPropertyDescription("Path of the token inside the container.")
    public String path;

    /** The policy's severity. */
    @JsonPropertyDescription("The policy's severity.")
    public Severity severity;

    /** Node the container ran on. */
    @JsonPropertyDescription("Node the container ran on.")
    public String node;

    /** The pod. */
    @JsonPropertyDescription("The pod.")
    public PodRef pod;

    /** The container. */
    @JsonPropertyDescription("The container.")
    public ContainerRef container;

    /**
     * Open (a process read the token file) or Use (its decoy credential was presented to the decoy). Absent means
     * Open: the node agent leaves it out, so its alerts read back exactly as it wrote them (no schema default, which
     * the API server would add and the agent's spec comparison would then see as a foreign object).
     */
    @JsonPropertyDescription("Open (a process read the token file) or Use (its decoy credential was presented to the"
            + " decoy API server); absent means Open.")
    public Access access;

    /** For a Use: the first request that presented the credential. */
    @JsonPropertyDescription("For a Use: the first request that presented the credential.")
    public CredentialUse use;

    /** Detector tier that saw the access: lsm, fentry, kprobe, fanotify or syscall. */
    @JsonPropertyDescription("Detector tier that saw the access: lsm, fentry, kprobe, fanotify or syscall.")
    public String detector;
}
