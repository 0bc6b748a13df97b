package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the stored node config holds, in a form every format gives: per policy a hash of its compiled document (v2
 * shape), the decoy settings, and the generation. The compiler compares it with what it compiles (same content keeps
 * the generation) and the reconciler asks it whether a policy version was already stored.
 *
 * @param generation the generation the stored config is at
 * @param hashes policy name to the SHA-256 of its compiled document
 * @param decoy the stored decoy settings
 */
record StoredConfig(long generation, Map<String, String> hashes, DecoySettings decoy) {
    StoredConfig {
        hashes = Map.copyOf(hashes);
    }

    /** A stored document in format v2 (v1 documents name other content: their hashes match nothing compiled). */
    static StoredConfig of(NodeConfig config) {
        Map<String, String> hashes = new TreeMap<>();
        config.policies().forEach(p -> hashes.put(p.name(), hash(p)));
        return new StoredConfig(config.generation(), hashes, config.decoy());
    }

    /**
     * A stored v4 index and its objects, at the generation an agent holding them all reports; a policy whose object
     * is missing or unreadable has no hash, so it counts as changed.
     */
    static StoredConfig of(NodeConfigIndex index, Map<String, PolicyObject.Stored> objects) {
        Map<String, String> hashes = new TreeMap<>();
        long generation = index.generation();
        for (String name : index.policies()) {
            PolicyObject.Stored object = objects.get(PolicyObject.secretName(name));
            if (object != null) {
                hashes.put(name, NodeConfigCodec.sha256(object.document()));
                generation = Math.max(generation, object.generation());
            }
        }
        return new StoredConfig(generation, hashes, index.decoy());
    }

    /** Whether the stored config holds exactly this version of the policy. */
    boolean holds(CompiledPolicy v2Form) {
        return hash(v2Form).equals(hashes.get(v2Form.name()));
    }

    static String hash(CompiledPolicy v2Form) {
        return NodeConfigCodec.sha256(NodeConfigCodec.writePolicy(v2Form));
    }

    /** The v4 view when a v4 index is stored, else the stored v2 document's. */
    static Optional<StoredConfig> of(
            Optional<NodeConfig> current, Optional<NodeConfigIndex> index, Map<String, PolicyObject.Stored> objects) {
        return index.map(i -> of(i, objects)).or(() -> current.map(StoredConfig::of));
    }
}
