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
     * Open (a process read the token file) or Use (its decoy credential was presented to the decoy). Agents write
     * Open; alerts written by agents of earlier releases have none, which means Open (no schema default: the API
     * server would add it to those objects and their spec would no longer read back as written).
     */
    @JsonPropertyDescription("Open (a process read the token file) or Use (its decoy credential was presented to the"
            + " decoy API server); absent (alerts of earlier agents) means Open.")
    public Access access;

    /** For a Use: the first request that presented the credential. */
    @JsonPropertyDescription("For a Use: the first request that presented the credential.")
    public CredentialUse use;

    /** Detector tier that saw the access: lsm, fentry, kprobe, fanotify or syscall. */
    @JsonPropertyDescription("Detector tier that saw the access: lsm, fentry, kprobe, fanotify or syscall.")
    public String detector;
}
