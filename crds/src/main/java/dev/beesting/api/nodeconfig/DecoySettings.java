package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.beesting.api.decoy.DecoyKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What agents need to mint decoy credentials ({@code {{serviceAccountToken}}}, {@code {{kubeconfig}}}): where the
 * decoy API server answers, the CA its certificate chains to, and the key tokens are sealed with. Absent from the
 * node config when the operator has no decoy key yet.
 *
 * @param server the decoy's URL for in-cluster clients, e.g. {@code https://beesting-decoy.beesting-system.svc}
 * @param caCertificate PEM of the CA a kubeconfig trusts for the decoy; may be null (then the kubeconfig skips
 *     verification, as many stolen ones do)
 * @param cluster the cluster's name, sealed into every token; may be empty
 * @param key the key new tokens are sealed with
 * @param previousKey the key before the last rotation, still accepted by the decoy; null when there is none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecoySettings(String server, String caCertificate, String cluster, Key key, Key previousKey) {
    public DecoySettings {
        cluster = cluster == null ? "" : cluster;
    }

    /**
     * One key as the node config carries it.
     *
     * @param id the key's name, for logs and rotation
     * @param value the 32 key bytes, base64
     */
    public record Key(String id, String value) {
        public DecoyKey decoyKey() {
            return DecoyKey.of(id, value);
        }

        public static Key of(DecoyKey key) {
            return new Key(key.id(), key.base64());
        }

        /** Never the key itself. */
        @Override
        public String toString() {
            return "Key[id=" + id + "]";
        }
    }

    /** The keys a reader accepts, current first. */
    @JsonIgnore
    public List<DecoyKey> keys() {
        List<DecoyKey> keys = new ArrayList<>();
        if (key != null) {
            keys.add(key.decoyKey());
        }
        if (previousKey != null) {
            keys.add(previousKey.decoyKey());
        }
        return keys;
    }
}
