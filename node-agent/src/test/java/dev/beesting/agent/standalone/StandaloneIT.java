package dev.beesting.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beesting.agent.testing.RealParts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's first command, run as a real process: plant, watch, print JSON, clean up on SIGTERM. */
class StandaloneIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OPENER = Path.of("target", "test-tools", "opener").toAbsolutePath();

    private Path dir;
    private Process agent;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory(Path.of("/dev/shm"), "beesting-standalone-");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void catOfAPlantedTokenPrintsOneJsonLineAndSigtermRemovesTheToken() throws Exception {
        RealParts.requireRoot();
        Path token = dir.resolve("nested/.aws/credentials");
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                tokens:
                  - path: %s
                    content:
                      template: "aws_access_key_id = {{awsAccessKeyId}}"
                severity: critical
                """.formatted(token));
        List<String> lines = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        agent = startAgent(config, lines, errors);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> errors.stream().anyMatch(l -> l.startsWith("beesting-agent: watching")));

        assertThat(Files.readString(token)).matches("aws_access_key_id = AKIA[A-Z2-7]{16}");
        assertThat(posixPermissionsOf(token)).isEqualTo("r--r--r--");
        Process cat = new ProcessBuilder("cat", token.toString()).start();
        cat.waitFor();

        // the test's own read above is an access too; cat's line comes after it
        JsonNode line = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> lines.stream()
                                .map(StandaloneIT::parse)
                                .filter(l -> l.get("pid").asLong() == cat.pid())
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(line.get("path").asText()).isEqualTo(token.toString());
        assertThat(line.get("comm").asText()).isEqualTo("cat");
        assertThat(line.get("count").asLong()).isEqualTo(2);
        assertThat(line.get("severity").asText()).isEqualTo("critical");
        assertThat(line.get("action").asText()).isEqualTo("Alert");
        assertThat(line.fieldNames()).toIterable().contains("time", "tgid", "uid", "exe", "cmdline", "tier");

        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(token).doesNotExist();
        assertThat(dir.resolve("nested")).doesNotExist();
    }

    @Test
    void probesSayReadyOnceTheDetectorIsArmedAndLogLinesAreJson() throws Exception {
        RealParts.requireRoot();
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                "tokens: [{path: %s, content: {value: x}}]\n".formatted(dir.resolve("token")));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> errors = new CopyOnWriteArrayList<>();
        agent = startAgent(
                config,
                new CopyOnWriteArrayList<>(),
                errors,
                true,
                List.of("--metrics-port=" + port, "--log-format=json"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> errors.stream().anyMatch(l -> l.startsWith("beesting-agent: watching")));

        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String probe : List.of("/readyz", "/healthz")) {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probe))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(probe).isEqualTo(200);
                assertThat(answer.body()).as(probe).isEqualTo("ok\n");
            }
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics).containsPattern("beesting_detector_info\\{tier=\"[a-z]+\"} 1");
        }
        JsonNode armed = errors.stream()
                .filter(l -> l.startsWith("{"))
                .map(StandaloneIT::parse)
                .filter(l -> l.path("formattedMessage").asText().startsWith("standalone agent armed"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JSON log line in " + errors));
        assertThat(armed.path("level").asText()).isEqualTo("INFO");
        assertThat(armed.path("loggerName").asText()).isEqualTo(StandaloneAgent.class.getName());
        assertThat(armed.path("timestamp").asLong()).isPositive();
        // the probe watches the real detector's reader thread, not nothing
        assertThat(errors).noneMatch(l -> l.contains("reader thread not found"));
    }

    @Test
    void badConfigExitsWithTwoNamingTheField() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "tokens: [{path: relative, content: {value: x}}]\n");
        List<String> errors = new CopyOnWriteArrayList<>();
        agent = startAgent(config, new CopyOnWriteArrayList<>(), errors);

        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> errors.stream().anyMatch(l -> l.contains("tokens[0].path: must be absolute")));
    }

    @Test
    void withoutNativeAccessItExitsWithOneSayingWhatIsMissing() throws Exception {
        RealParts.requireRoot();
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                "tokens: [{path: %s, content: {value: x}}]\n".formatted(dir.resolve("token")));
        List<String> errors = new CopyOnWriteArrayList<>();
        agent = startAgent(config, new CopyOnWriteArrayList<>(), errors, false);

        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> errors.stream()
                        .anyMatch(l -> l.startsWith("beesting-agent: no usable detector tier")
                                && l.contains("--enable-native-access=ALL-UNNAMED")));
        assertThat(dir.resolve("token")).doesNotExist();
    }

    @Test
    void withoutLibbpfTheBpfTiersAreRefusedAndFanotifyCatchesAnIoUringRead() throws Exception {
        RealParts.requireRoot();
        Path token = dir.resolve("token");
        Path config = Files.writeString(
                dir.resolve("config.yaml"), "tokens: [{path: %s, content: {value: x}}]\n".formatted(token));
        Path noLibbpf = dir.resolve("empty-lib-dir/libbpf.so.1");
        List<String> lines = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        agent = startAgent(config, lines, errors, true, "-Dbeesting.libbpf=" + noLibbpf);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> errors.stream().anyMatch(l -> l.startsWith("beesting-agent: watching")));

        assertThat(errors).anyMatch(l -> l.contains("with tier fanotify"));
        for (String tier : List.of("lsm", "fentry", "kprobe")) {
            assertThat(errors)
                    .as("refusal of %s", tier)
                    .anyMatch(l -> l.contains("detector tier refused tier=" + tier + " reason=\"libbpf not found: ")
                            && l.contains(noLibbpf.toString()));
        }
        Process uring = new ProcessBuilder(OPENER.toString(), "iouring", token.toString()).start();
        assertThat(uring.waitFor()).isZero();
        JsonNode line = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> lines.stream()
                                .map(StandaloneIT::parse)
                                .filter(l -> l.get("pid").asLong() == uring.pid())
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(line.get("tier").asText()).isEqualTo("fanotify");
    }

    @Test
    void forcingABpfTierWithoutLibbpfExitsWithOneNamingTheMissingLibrary() throws Exception {
        RealParts.requireRoot();
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                "tokens: [{path: %s, content: {value: x}}]\n".formatted(dir.resolve("token")));
        List<String> errors = new CopyOnWriteArrayList<>();
        agent = startAgent(
                config,
                new CopyOnWriteArrayList<>(),
                errors,
                true,
                "-Dbeesting.libbpf=" + dir.resolve("empty-lib-dir/libbpf.so.1"),
                "--tier",
                "syscall");

        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> errors.stream()
                        .anyMatch(l ->
                                l.startsWith("beesting-agent: no usable detector tier: syscall: libbpf not found: ")));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("stdout line is not JSON: " + line, e);
        }
    }

    private static String posixPermissionsOf(Path file) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** The agent's Main in a fresh JVM with the test classpath, as the shaded jar would run it. */
    private static Process startAgent(Path config, List<String> stdout, List<String> stderr) throws IOException {
        return startAgent(config, stdout, stderr, true);
    }

    private static Process startAgent(
            Path config, List<String> stdout, List<String> stderr, boolean nativeAccess, String... extra)
            throws IOException {
        return startAgent(config, stdout, stderr, nativeAccess, List.of(extra));
    }

    /** {@code extras}: JVM options ({@code -D...}) go before the main class, everything else after it. */
    private static Process startAgent(
            Path config, List<String> stdout, List<String> stderr, boolean nativeAccess, List<String> extras)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        if (nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        extras.stream().filter(a -> a.startsWith("-D")).forEach(command::add);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "dev.beesting.agent.Main",
                "standalone",
                "--config",
                config.toString()));
        extras.stream().filter(a -> !a.startsWith("-D")).forEach(command::add);
        Process process = new ProcessBuilder(command).start();
        pump(process.getInputStream(), stdout);
        pump(process.getErrorStream(), stderr);
        return process;
    }

    private static void pump(java.io.InputStream stream, List<String> sink) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }
}
