package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneytokenPolicyStatus {
    /** The policy generation this status describes. */
    @JsonPropertyDescription("The policy generation this status describes.")
    public Long observedGeneration;

    /**
     * Generation of the node configuration that first carried observedGeneration; a node whose HoneytokenNode reports
     * this generation or a later one runs this version of the policy.
     */
    @JsonPropertyDescription("Generation of the node configuration that first carried observedGeneration; a node whose"
            + " HoneytokenNode reports this generation or a later one runs this version of the policy.")
    public Long configGeneration;

    /** Accepted (valid and compiled into the node configuration) and Ready (every node runs it). */
    @JsonPropertyDescription(
            "Accepted (valid and compiled into the node configuration) and Ready (every node runs it).")
    public List<Condition> conditions = new ArrayList<>();

    /** How many namespaces the namespace selector matches. */
    @JsonPropertyDescription("How many namespaces the namespace selector matches.")
    public Integer matchedNamespaces;

    /** Nodes whose agent applied a configuration containing this policy's generation. */
    @JsonPropertyDescription("Nodes whose agent applied a configuration containing this policy's generation.")
    public Integer nodesReady;

    /** Nodes running an agent. */
    @JsonPropertyDescription("Nodes running an agent.")
    public Integer nodesTotal;

    /** nodesReady/nodesTotal, for display. */
    @JsonPropertyDescription("nodesReady/nodesTotal, for display.")
    public String nodes;

    /**
     * Tokens of this policy that nodes did not plant because the container mounts that path (a token never replaces or
     * hides a file the pod really mounts); the agents' logs name each one.
     */
    @JsonPropertyDescription("Tokens of this policy that nodes did not plant because the container mounts that path (a"
            + " token never replaces or hides a file the pod really mounts); the agents' logs name each one.")
    public Integer skippedTokens;

    /** How many HoneytokenAlerts this policy has raised. */
    @JsonPropertyDescription("How many HoneytokenAlerts this policy has raised.")
    public Long alerts;

    /** The most recent access among this policy's alerts, as of the operator's last reconcile; absent without one. */
    @JsonPropertyDescription("The most recent access among this policy's alerts, as of the operator's last reconcile;"
            + " absent while there is none.")
    public LastAlert lastAlert;
}
