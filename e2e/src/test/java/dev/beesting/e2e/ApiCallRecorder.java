package dev.beesting.e2e;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A client that remembers every API request it makes, as the RBAC verb, group, resource and name it needs. */
final class ApiCallRecorder {
    /**
     * One request in RBAC terms.
     *
     * @param verb get, list, watch, create, update, patch or delete
     * @param group API group ("" for core)
     * @param resource resource, with "/subresource" when there is one
     * @param namespace namespace, or "" for cluster-scoped
     * @param name object name, or "" for collections
     */
    record Call(String verb, String group, String resource, String namespace, String name) {}

    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final Set<Call> forbidden = ConcurrentHashMap.newKeySet();

    KubernetesClient wrap(KubernetesClient client) {
        return new KubernetesClientBuilder()
                .withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("record", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest http, Interceptor.RequestTags tags) {
                        calls.add(call(http.method(), http.uri()));
                    }

                    @Override
                    public void after(
                            HttpRequest http, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                        if (response.code() == 403) {
                            forbidden.add(call(http.method(), http.uri()));
                        }
                    }

                    @Override
                    public CompletableFuture<Boolean> afterFailure(
                            BasicBuilder request, HttpResponse<?> response, Interceptor.RequestTags tags) {
                        if (response.code() == 403) {
                            forbidden.add(call(
                                    response.request().method(),
                                    response.request().uri()));
                        }
                        return CompletableFuture.completedFuture(false);
                    }
                }))
                .build();
    }

    Set<Call> calls() {
        return Set.copyOf(calls);
    }

    /** The requests a real API server answered with 403 Forbidden. */
    Set<Call> forbidden() {
        return Set.copyOf(forbidden);
    }

    static Call call(String method, URI uri) {
        List<String> parts = List.of(uri.getPath().replaceFirst("^/", "").split("/"));
        int i;
        String group;
        if (parts.getFirst().equals("api")) {
            group = "";
            i = 2;
        } else {
            group = parts.get(1);
            i = 3;
        }
        String namespace = "";
        if (parts.size() > i + 1 && parts.get(i).equals("namespaces") && parts.size() > i + 2) {
            namespace = parts.get(i + 1);
            i += 2;
        }
        String resource = parts.get(i);
        String name = parts.size() > i + 1 ? parts.get(i + 1) : "";
        if (parts.size() > i + 2) {
            resource = resource + "/" + parts.get(i + 2);
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : name.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        if (name.isEmpty() && query.contains("fieldSelector=metadata.name")) {
            // list/watch of one object by name: RBAC checks it against resourceNames
            name = java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8)
                    .replaceFirst(".*fieldSelector=metadata\\.name=([^&]*).*", "$1");
        }
        return new Call(verb, group, resource, namespace, name);
    }
}
