package dev.beesting.operator.decoy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the decoy ever answers: discovery documents of a plausible API server and kube-apiserver's Status
 * bodies. All are fixed bytes, loaded once: nothing of a request is ever written back to its sender.
 */
final class DecoyResponses {
    static final byte[] VERSION = resource("version.json");
    static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
    static final byte[] UNAUTHORIZED = status(401, "Unauthorized", "Unauthorized");
    static final byte[] FORBIDDEN =
            status(403, "Forbidden", "forbidden: User cannot perform this action: RBAC: access denied");
    static final byte[] TOO_MANY_REQUESTS =
            status(429, "TooManyRequests", "Too many requests, please try again later.");
    static final byte[] HEADERS_TOO_LARGE = status(431, "RequestHeaderFieldsTooLarge", "request headers too large");
    static final byte[] BODY_TOO_LARGE = status(413, "RequestEntityTooLarge", "the request body is too large");

    /** Discovery paths a caller with a valid token is shown, as an RBAC-restricted service account sees them. */
    private static final Map<String, byte[]> DISCOVERY = Map.of(
            "/api", resource("api.json"),
            "/api/v1", resource("api-v1.json"),
            "/apis", resource("apis.json"),
            "/apis/apps/v1", resource("apis-apps-v1.json"),
            "/apis/rbac.authorization.k8s.io/v1", resource("apis-rbac-v1.json"));

    private DecoyResponses() {}

    static Optional<byte[]> discovery(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Optional.ofNullable(DISCOVERY.get(trimmed));
    }

    static boolean health(String path) {
        return path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz");
    }

    private static byte[] status(int code, String reason, String message) {
        return ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                        + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DecoyResponses.class.getResourceAsStream("/decoy/" + name)) {
            if (in == null) {
                throw new IllegalStateException("decoy resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
