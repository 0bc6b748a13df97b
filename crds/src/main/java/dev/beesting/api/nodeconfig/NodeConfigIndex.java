package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Node config format v3: a small index naming, per accepted policy, the object that holds it and that object's
 * content hash. The policies themselves travel one per Secret ({@link PolicyObject}), so a policy edit sends each
 * node that policy and this index rather than every policy. An agent assembles the index and the objects into a
 * {@link NodeConfig} of format v2, and only when every object is at the hash the index names.
 *
 * @param apiVersion {@link #API_VERSION}
 * @param generation increases by one whenever the content changes (shared with the v1 and v2 documents)
 * @param policies one entry per accepted policy, sorted by name
 * @param decoy how to mint decoy credentials; null when the operator has no decoy key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfigIndex(String apiVersion, long generation, List<Entry> policies, DecoySettings decoy) {
    public static final String API_VERSION = "beesting.dev/nodeconfig/v3";

    public NodeConfigIndex {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    /**
     * One policy in the index: as small as it can be, since the whole index rides along with every policy edit.
     *
     * @param name policy name (its object's name derives from it)
     * @param hash the first {@value #HASH_HEX} hex digits (128 bits) of the SHA-256 of its object's
     *     {@link PolicyObject#DATA_KEY} document: changes with anything in the policy, uid and generation included
     */
    public record Entry(String name, String hash) {
        /** Hex digits of the hash the index keeps. */
        public static final int HASH_HEX = 32;

        /** The entry of a compiled policy (format v2) as its object stores it. */
        public static Entry of(CompiledPolicy policy) {
            return new Entry(policy.name(), hashOf(NodeConfigCodec.writePolicy(policy)));
        }

        /** The hash an entry names for an object's document. */
        static String hashOf(String document) {
            return NodeConfigCodec.sha256(document).substring(0, HASH_HEX);
        }

        /** The name of the Secret holding the policy: derived from its name, so the index need not carry it. */
        public String object() {
            return PolicyObject.secretName(name);
        }
    }

    /** The index of a config of format v2, as the operator stores it beside its per-policy objects. */
    public static NodeConfigIndex of(NodeConfig config) {
        return new NodeConfigIndex(
                API_VERSION,
                config.generation(),
                config.policies().stream().map(Entry::of).toList(),
                config.decoy());
    }

    /** What the objects at hand make of this index: a whole config, or the first reason it is not whole yet. */
    public sealed interface Assembly {
        /** Every object is there at the hash the index names. */
        record Complete(NodeConfig config) implements Assembly {}

        /** Some object is missing or not at its hash yet; apply nothing of this generation. */
        record Waiting(String policy, String reason) implements Assembly {}
    }

    /**
     * Assembles the config in format v2 from the documents of the policy objects.
     *
     * @param documents Secret name of a policy object to its {@link PolicyObject#DATA_KEY} document, if held
     */
    public Assembly assemble(Function<String, Optional<String>> documents) {
        List<CompiledPolicy> assembled = new ArrayList<>(policies.size());
        for (Entry entry : policies) {
            Optional<String> document = documents.apply(entry.object());
            if (document.isEmpty()) {
                return new Assembly.Waiting(entry.name(), "object " + entry.object() + " is missing");
            }
            String hash = Entry.hashOf(document.get());
            if (!hash.equals(entry.hash())) {
                return new Assembly.Waiting(
                        entry.name(),
                        "object " + entry.object() + " has hash " + hash + ", the index names " + entry.hash());
            }
            CompiledPolicy policy = NodeConfigCodec.readPolicy(document.get());
            if (!entry.name().equals(policy.name())) {
                return new Assembly.Waiting(
                        entry.name(), "object " + entry.object() + " holds policy " + policy.name());
            }
            assembled.add(policy);
        }
        return new Assembly.Complete(new NodeConfig(NodeConfig.API_VERSION_V2, generation, assembled, decoy));
    }
}
