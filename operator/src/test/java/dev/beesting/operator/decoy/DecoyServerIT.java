package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.decoy.DecoyOrigin;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decoy over real TLS on loopback, with the JDK's client trusting only the CA the decoy generated. */
class DecoyServerIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DecoyKey KEY = DecoyKey.generate("k1", RANDOM);
    private static final DecoyOrigin ORIGIN = DecoyFixtures.ORIGIN;
    private static DecoyTls tls;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final DecoyUses uses = new DecoyUses(lines::add, 1000);
    private final DecoyMetrics metrics = new DecoyMetrics(new PrometheusRegistry());
    private DecoyServer server;
    private HttpClient client;

    @BeforeAll
    static void certificate() {
        tls = DecoyTls.generate(List.of("localhost"), List.of("127.0.0.1"), RANDOM);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(DecoyServer.Settings settings) throws IOException {
        server = DecoyServer.start(settings, tls.serverContext(), () -> List.of(KEY), uses, metrics, Clock.systemUTC());
        client = HttpClient.newBuilder()
                .sslContext(tls.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private void start() throws IOException {
        start(DecoyServer.Settings.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("https://127.0.0.1:" + server.address().getPort() + path);
    }

    @Test
    void versionIsPublicAndEverythingElseWantsCredentials() throws Exception {
        start();
        HttpResponse<String> version = get("/version", null);
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).contains("\"gitVersion\": \"v1.31.4\"");
        HttpResponse<String> pods = get("/api/v1/namespaces/default/pods", null);
        assertThat(pods.statusCode()).isEqualTo(401);
        assertThat(pods.body())
                .isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n");
        assertThat(get("/api", null).statusCode()).isEqualTo(401);
        assertThat(metrics.requests("anonymous")).isEqualTo(3);
        assertThat(uses.recent()).isEmpty();
    }

    @Test
    void aValidTokenSeesDiscoveryIsForbiddenTheRestAndIsRecordedWithItsOrigin() throws Exception {
        start();
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        HttpResponse<String> api = get("/api", token);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"kind\":\"APIVersions\"");
        assertThat(get("/apis", token).body()).contains("\"kind\":\"APIGroupList\"");
        assertThat(get("/api/v1", token).body()).contains("\"name\":\"pods\"");
        HttpResponse<String> secrets = get("/api/v1/namespaces/kube-system/secrets?limit=500", token);
        assertThat(secrets.statusCode()).isEqualTo(403);
        assertThat(secrets.body()).contains("\"reason\":\"Forbidden\"").doesNotContain("kube-system", "secrets");

        assertThat(metrics.requests("valid")).isEqualTo(4);
        DecoyUses.Use last = uses.recent().getLast();
        assertThat(last.origin()).isEqualTo(ORIGIN);
        assertThat(last.keyId()).isEqualTo("k1");
        assertThat(last.source()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(last.method()).isEqualTo("GET");
        assertThat(last.requestPath()).isEqualTo("/api/v1/namespaces/kube-system/secrets?limit=500");
        assertThat(last.userAgent()).startsWith("Java-http-client");
        assertThat(lines).hasSize(4);
        assertThat(lines.getLast())
                .contains(
                        "\"access\":\"Use\"",
                        "\"pod\":\"simplecms-6c4bfc97cd-wdnhv\"",
                        "\"container\":\"cms\"",
                        "\"path\":\"/root/.kube/config\"",
                        "\"policy\":\"fake-kubeconfig\"",
                        "\"source\":\"127.0.0.1\"",
                        "\"count\":4");
    }

    @Test
    void invalidTokensAreCountedAndAnsweredLikeAnyStranger() throws Exception {
        start();
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        String flipped = token.substring(0, token.length() - 5)
                + (token.charAt(token.length() - 5) == 'A' ? 'B' : 'A')
                + token.substring(token.length() - 4);
        String foreign = DecoyCredential.encode(ORIGIN, DecoyKey.generate("x", RANDOM), RANDOM);
        for (String bad : List.of(flipped, foreign, "not-a-token")) {
            HttpResponse<String> answer = get("/api", bad);
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("\"reason\":\"Unauthorized\"");
        }
        assertThat(get("/version", flipped).statusCode()).isEqualTo(401);
        assertThat(metrics.requests("invalid")).isEqualTo(4);
        assertThat(metrics.requests("valid")).isZero();
        assertThat(uses.recent()).isEmpty();
        assertThat(lines).isEmpty();
    }

    @Test
    void oversizedHeadersAndBodiesAreRefused() throws Exception {
        start();
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        HttpResponse<String> headers = client.send(
                HttpRequest.newBuilder(url("/api"))
                        .header("Authorization", "Bearer " + token)
                        .header("X-Padding", "x".repeat(20_000))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(headers.statusCode()).isEqualTo(431);
        HttpResponse<String> body = client.send(
                HttpRequest.newBuilder(url("/api/v1/namespaces/default/pods"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(body.statusCode()).isEqualTo(413);
        assertThat(body.body()).contains("\"reason\":\"RequestEntityTooLarge\"");
        HttpResponse<String> small = client.send(
                HttpRequest.newBuilder(url("/api/v1/namespaces/default/pods"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"Pod\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).isEqualTo(403);
        assertThat(metrics.refused("header_too_large")).isEqualTo(1);
        assertThat(metrics.refused("body_too_large")).isEqualTo(1);
        assertThat(uses.recent()).hasSize(1);
    }

    @Test
    void aChunkedBodyIsRefusedUnread() throws Exception {
        start();
        try (SSLSocket socket = (SSLSocket) tls.clientContext()
                .getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: localhost\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n10000\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        assertThat(metrics.refused("body_too_large")).isEqualTo(1);
    }

    @Test
    void aSourceOverItsRateIsAnswered429() throws Exception {
        start(new DecoyServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16 * 1024, 4096, 0.01, 3, 100, 2));
        for (int i = 0; i < 3; i++) {
            assertThat(get("/version", null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = get("/version", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(limited.body()).contains("\"reason\":\"TooManyRequests\"");
        assertThat(metrics.refused("rate_limit")).isEqualTo(1);
    }

    @Test
    void aUserAgentAndPathAreStoredShortenedAndTheLogLineStaysOneLine() throws Exception {
        start();
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        client.send(
                HttpRequest.newBuilder(url("/api/" + "a".repeat(3000)))
                        .header("Authorization", "Bearer " + token)
                        .header("User-Agent", "evil\"}\\u2028" + "u".repeat(1000))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        DecoyUses.Use use = uses.recent().getLast();
        assertThat(use.requestPath()).hasSize(512);
        assertThat(use.userAgent()).hasSize(256);
        assertThat(lines.getLast()).doesNotContain("\n").contains("evil\\\"}");
    }
}
