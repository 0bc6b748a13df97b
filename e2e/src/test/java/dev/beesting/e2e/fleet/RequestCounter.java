package dev.beesting.e2e.fleet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, on the client side, the API requests of every client built through it: by verb and resource (RBAC terms),
 * and by response code. One instance may serve many clients (all simulated agents share one). Watches run over a
 * WebSocket, so a watch counts as its one opening request and its traffic is not seen here ({@link ConfigEvents}).
 */
final class RequestCounter {
    private final Map<String, LongAdder> byVerbResource = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder writes = new LongAdder();

    /** A client with {@code config} whose requests this counter sees. */
    KubernetesClient client(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("fleet-count", interceptor()))
                .build();
    }

    private Interceptor interceptor() {
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String key = key(request.method(), request.uri());
                byVerbResource.computeIfAbsent(key, k -> new LongAdder()).increment();
                total.increment();
                if (!request.method().equals("GET")) {
                    writes.increment();
                }
            }

            @Override
            public void after(
                    HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                byCode.computeIfAbsent(response.code(), k -> new LongAdder()).increment();
            }
        };
    }

    /** A snapshot: "verb resource" → count, plus "code NNN" → count and the totals. */
    Snapshot snapshot() {
        Map<String, Long> requests = new TreeMap<>();
        byVerbResource.forEach((k, v) -> requests.put(k, v.sum()));
        Map<String, Long> codes = new TreeMap<>();
        byCode.forEach((k, v) -> codes.put(String.valueOf(k), v.sum()));
        return new Snapshot(requests, codes, total.sum(), writes.sum());
    }

    long total() {
        return total.sum();
    }

    long writes() {
        return writes.sum();
    }

    long code(int code) {
        LongAdder adder = byCode.get(code);
        return adder == null ? 0 : adder.sum();
    }

    /** "verb resource" in RBAC terms, with the subresource; a watch is a GET with watch=true. */
    static String key(String method, URI uri) {
        List<String> parts = List.of(uri.getPath().replaceFirst("^/", "").split("/"));
        int i = parts.getFirst().equals("api") ? 2 : 3;
        if (parts.size() > i + 2 && parts.get(i).equals("namespaces")) {
            i += 2;
        }
        String resource = parts.size() > i ? parts.get(i) : "?";
        boolean named = parts.size() > i + 1;
        if (parts.size() > i + 2) {
            resource = resource + "/" + parts.get(i + 2);
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return verb + " " + resource;
    }

    /**
     * Counts at one moment.
     *
     * @param requests "verb resource" → requests
     * @param codes response code → responses
     * @param total all requests
     * @param writes requests other than GET
     */
    record Snapshot(Map<String, Long> requests, Map<String, Long> codes, long total, long writes) {
        /** What happened between {@code earlier} and this. */
        Snapshot minus(Snapshot earlier) {
            Map<String, Long> requestDelta = new TreeMap<>();
            requests.forEach((k, v) -> {
                long d = v - earlier.requests.getOrDefault(k, 0L);
                if (d != 0) {
                    requestDelta.put(k, d);
                }
            });
            Map<String, Long> codeDelta = new TreeMap<>();
            codes.forEach((k, v) -> {
                long d = v - earlier.codes.getOrDefault(k, 0L);
                if (d != 0) {
                    codeDelta.put(k, d);
                }
            });
            return new Snapshot(requestDelta, codeDelta, total - earlier.total, writes - earlier.writes);
        }

        static Snapshot fromMap(Map<String, Object> map) {
            return new Snapshot(
                    longs(map.get("requests")),
                    longs(map.get("codes")),
                    ((Number) map.get("total")).longValue(),
                    ((Number) map.get("writes")).longValue());
        }

        private static Map<String, Long> longs(Object value) {
            Map<String, Long> out = new TreeMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
            return out;
        }
    }
}
