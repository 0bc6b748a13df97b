package dev.beesting.operator.policy;

/** Condition types and reasons of HoneytokenPolicy status; reasons are CamelCase as Kubernetes API conventions ask. */
public final class PolicyConditions {
    private PolicyConditions() {}

    public static final String ACCEPTED = "Accepted";
    public static final String READY = "Ready";

    /** Accepted=True: the policy is in the node config. */
    public static final String COMPILED = "Compiled";
    /** Accepted=False: the spec breaks a schema rule. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** Accepted=False: a referenced Secret or key does not exist. */
    public static final String SECRET_REFERENCE_UNRESOLVED = "SecretReferenceUnresolved";
    /** Accepted=False: with this policy the node config would exceed the Secret size limit. */
    public static final String CONFIG_TOO_LARGE = "ConfigTooLarge";

    /** Ready=True: every node applied a config containing the policy's generation. */
    public static final String ALL_NODES_READY = "AllNodesReady";
    /** Ready=False: some nodes still run an older config. */
    public static final String NODES_PENDING = "NodesPending";
    /** Ready=False: no node agent reports yet. */
    public static final String NO_NODES = "NoNodes";
    /** Ready=False: the policy is not accepted, so no node runs it. */
    public static final String NOT_ACCEPTED = "NotAccepted";
}
