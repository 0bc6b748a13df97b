package dev.beesting.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd with NRI enabled, started through {@code hack/containerd.sh} with all its files in a temporary
 * directory; {@link #close()} stops it and deletes everything.
 */
public final class Containerd implements AutoCloseable {
    private final Path repo;
    private final Path dir;
    private final Map<String, String> env;

    private Containerd(Path repo, Path dir, Map<String, String> env) {
        this.repo = repo;
        this.dir = dir;
        this.env = env;
    }

    /** Starts containerd {@code version} ("1.7" or "2"); skips (laptop) or fails (CI) without root. */
    public static Containerd start(String version) throws IOException, InterruptedException {
        RealParts.requireRoot();
        Path repo = repoRoot();
        Path dir = Files.createTempDirectory("beesting-containerd-");
        Process process = new ProcessBuilder("bash", "hack/containerd.sh", "start", version, dir.toString())
                .directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            stop(repo, dir);
            RealParts.require(false, "containerd " + version + " did not start: " + output);
        }
        Map<String, String> env = new HashMap<>();
        output.lines().filter(l -> l.contains("=")).forEach(l -> {
            int eq = l.indexOf('=');
            env.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return new Containerd(repo, dir, env);
    }

    public Path socket() {
        return Path.of(env.get("CONTAINERD_SOCKET"));
    }

    public Path nriSocket() {
        return Path.of(env.get("NRI_SOCKET"));
    }

    public String version() {
        return env.get("CONTAINERD_VERSION");
    }

    /** The busybox image every pod and container of the tests runs. */
    public String image() {
        return env.get("TEST_IMAGE");
    }

    /** Imports an image tar (OCI layout or docker save format) for CRI; returns the image name to run. */
    public String importImage(Path tar) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "bash",
                        "hack/containerd.sh",
                        "import",
                        dir.toString(),
                        tar.toAbsolutePath().toString())
                .directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0 || name.isEmpty()) {
            throw new IllegalStateException("containerd did not import " + tar);
        }
        return name;
    }

    /** The repository's root folder, where {@code hack/} and the modules' build output live. */
    public Path repo() {
        return repo;
    }

    /** A directory next to containerd's for the test's own files; deleted with it. */
    public Path scratch() throws IOException {
        return Files.createDirectories(dir.resolve("scratch"));
    }

    /** Stops and starts containerd again; containers keep running meanwhile, as on a node. */
    public void restart() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "hack/containerd.sh", "restart", dir.toString())
                .directory(repo.toFile())
                .inheritIO()
                .start();
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("containerd did not restart");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop(repo, dir);
    }

    private static void stop(Path repo, Path dir) throws IOException, InterruptedException {
        new ProcessBuilder("bash", "hack/containerd.sh", "stop", dir.toString())
                .directory(repo.toFile())
                .inheritIO()
                .start()
                .waitFor(2, TimeUnit.MINUTES);
    }

    private static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("hack/containerd.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("hack/containerd.sh not found above " + here);
    }
}
