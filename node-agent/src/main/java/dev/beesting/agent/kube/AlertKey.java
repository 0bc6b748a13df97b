package dev.beesting.agent.kube;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.beesting.agent.model.Workload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What one HoneytokenAlert stands for: a token path in one container of one pod. The pod name and namespace ride
 * along because the object's name and place derive from them.
 *
 * @param namespace pod namespace
 * @param pod pod name
 * @param podUid pod uid
 * @param container container name
 * @param path token path in the container
 */
public record AlertKey(String namespace, String pod, String podUid, String container, String path) {
    private static final int NAME_PREFIX_MAX = 54;

    static AlertKey of(Workload workload, String path) {
        return new AlertKey(workload.namespace(), workload.pod(), workload.podUid(), workload.container(), path);
    }

    /**
     * The HoneytokenAlert's (and its Event's) name: pod name plus a short hash of (pod uid, container, path).
     * Deterministic, so a restarted agent finds the object it wrote before; at most 63 characters, so it is
     * also a valid label and reads well in {@code kubectl get}.
     */
    @JsonIgnore
    public String objectName() {
        String prefix = pod.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (prefix.length() > NAME_PREFIX_MAX) {
            prefix = prefix.substring(0, NAME_PREFIX_MAX);
        }
        prefix = prefix.replaceAll("^-+|-+$", "");
        String hash = shortHash(podUid + "\n" + container + "\n" + path);
        return prefix.isEmpty() ? "hta-" + hash : prefix + "-" + hash;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
