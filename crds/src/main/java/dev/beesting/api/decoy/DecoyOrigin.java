package dev.beesting.api.decoy;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a decoy credential was planted: enough to name the container it was stolen from after that pod is gone.
 * Strings are empty, never null.
 *
 * @param cluster the cluster's name as the operator was told it, may be empty
 * @param node node the container ran on
 * @param namespace pod namespace
 * @param pod pod name
 * @param podUid pod uid
 * @param container container name
 * @param path the token file's path inside the container
 * @param policy the HoneytokenPolicy that planted it
 * @param severity that policy's severity when the credential was minted ({@code low} ... {@code critical})
 * @param issuedAt when the credential was minted, to the second
 */
public record DecoyOrigin(
        String cluster,
        String node,
        String namespace,
        String pod,
        String podUid,
        String container,
        String path,
        String policy,
        String severity,
        Instant issuedAt) {
    public DecoyOrigin {
        cluster = orEmpty(cluster);
        node = orEmpty(node);
        namespace = orEmpty(namespace);
        pod = orEmpty(pod);
        podUid = orEmpty(podUid);
        container = orEmpty(container);
        path = orEmpty(path);
        policy = orEmpty(policy);
        severity = orEmpty(severity);
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
