package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Believable fake credentials: each has the shape of the real thing (prefix, alphabet, length) so that recon
 * tools and attackers take it for real, and is random so every container's token is unique.
 */
final class BaitGenerators {
    private static final String UPPER_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String AWS_SECRET = ALNUM + "/+";
    private static final String HEX = "0123456789abcdef";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    BaitGenerators(SecureRandom random) {
        this.random = random;
    }

    /** An IAM user access key id: AKIA + 16 characters of upper-case base32. */
    String awsAccessKeyId() {
        return "AKIA" + pick(UPPER_BASE32, 16);
    }

    /** A 40-character secret access key. */
    String awsSecretAccessKey() {
        return pick(AWS_SECRET, 40);
    }

    /** A classic GitHub personal access token: ghp_ + 36 alphanumerics. */
    String githubToken() {
        return "ghp_" + pick(ALNUM, 36);
    }

    /** A JWT shaped like a Kubernetes service account token of the pod (signature is random bytes). */
    String serviceAccountJwt(Workload workload) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + pick(ALNUM, 43) + "\"}";
        String payload = "{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],\"exp\":" + (now + 31_536_000)
                + ",\"iat\":" + now + ",\"iss\":\"https://kubernetes.default.svc.cluster.local\",\"kubernetes.io\":"
                + "{\"namespace\":\"" + json(workload.namespace()) + "\",\"pod\":{\"name\":\""
                + json(workload.pod()) + "\",\"uid\":\"" + json(workload.podUid()) + "\"},\"serviceaccount\":"
                + "{\"name\":\"default\",\"uid\":\"" + UUID.randomUUID() + "\"}},\"nbf\":" + now + ",\"sub\":"
                + "\"system:serviceaccount:" + json(workload.namespace()) + ":default\"}";
        byte[] signature = new byte[256];
        random.nextBytes(signature);
        return B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(signature);
    }

    String uuid() {
        return new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & ~(3L << 62) | (1L << 63))
                .toString();
    }

    String hex(int length) {
        return pick(HEX, length);
    }

    String alnum(int length) {
        return pick(ALNUM, length);
    }

    private String pick(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String json(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
