package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Node config format v4: a small index naming the accepted policies, whose compiled documents travel one per Secret
 * ({@link PolicyObject}). The index changes only when the set of policies or the decoy settings change, so a policy
 * edit sends each node that policy's object and nothing else.
 *
 * <p>Every write of the operator, of an object or of the index, takes the next generation, and the objects are written
 * in that order within one watch, so an agent can tell what it holds is whole without the index naming versions:
 * it applies when it holds every object the index names, no object needs a newer index than the one it holds
 * ({@link PolicyObject.Stored#indexGeneration()}), and the newest object it holds is at least as new as the newest the
 * index saw ({@link #newestObject()}). What it then runs is the operator's config at {@link Assembly.Complete}'s
 * generation: the higher of the index's and the newest object's.
 *
 * @param apiVersion {@link #API_VERSION}
 * @param generation the generation of this index's write
 * @param newestObject the highest generation among the objects it names, when it was written (0 for none)
 * @param policies the names of the accepted policies, sorted
 * @param decoy how to mint decoy credentials; null when the operator has no decoy key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfigIndex(
        String apiVersion, long generation, long newestObject, List<String> policies, DecoySettings decoy) {
    public static final String API_VERSION = "beesting.dev/nodeconfig/v4";

    public NodeConfigIndex {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    /** What the objects at hand make of this index: a whole config, or the first reason it is not whole yet. */
    public sealed interface Assembly {
        /** Every object is there and consistent with the index; the config (format v2) at its generation. */
        record Complete(NodeConfig config) implements Assembly {}

        /** Some object is missing or needs a newer index; apply nothing yet. */
        record Waiting(String policy, String reason) implements Assembly {}
    }

    /**
     * Assembles the config in format v2 from the policy objects.
     *
     * @param objects Secret name of a policy object to what it stores, if held
     */
    public Assembly assemble(Function<String, Optional<PolicyObject.Stored>> objects) {
        List<CompiledPolicy> assembled = new ArrayList<>(policies.size());
        long newest = 0;
        for (String name : policies) {
            String secret = PolicyObject.secretName(name);
            Optional<PolicyObject.Stored> held = objects.apply(secret);
            if (held.isEmpty()) {
                return new Assembly.Waiting(name, "object " + secret + " is missing");
            }
            PolicyObject.Stored object = held.get();
            if (object.indexGeneration() > generation) {
                return new Assembly.Waiting(
                        name,
                        "object " + secret + " needs index generation " + object.indexGeneration() + ", this is "
                                + generation);
            }
            CompiledPolicy policy;
            try {
                policy = NodeConfigCodec.readPolicy(object.document());
            } catch (IllegalArgumentException e) {
                return new Assembly.Waiting(name, "object " + secret + " is unreadable: " + e.getMessage());
            }
            if (!name.equals(policy.name())) {
                return new Assembly.Waiting(name, "object " + secret + " holds policy " + policy.name());
            }
            newest = Math.max(newest, object.generation());
            assembled.add(policy);
        }
        if (newest < newestObject) {
            return new Assembly.Waiting(
                    "", "the newest object held is at generation " + newest + ", the index saw one at " + newestObject);
        }
        return new Assembly.Complete(
                new NodeConfig(NodeConfig.API_VERSION_V2, Math.max(generation, newest), assembled, decoy));
    }
}
