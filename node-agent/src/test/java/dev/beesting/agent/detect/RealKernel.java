package dev.beesting.agent.detect;

import static org.awaitility.Awaitility.await;

import dev.beesting.agent.sys.NativeCalls;
import dev.beesting.agent.testing.RealParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Test fixture: a detector of one tier on the running kernel, a scratch directory, and the opener helper. */
final class RealKernel implements AutoCloseable {
    static final Path OPENER = Path.of("target", "test-tools", "opener").toAbsolutePath();

    /** What a child process did: its pid, exit code and stderr. */
    record Run(long pid, int exitCode, String stdout, String stderr) {}

    final Detector detector;
    final Path dir;
    final List<AccessEvent> events = new CopyOnWriteArrayList<>();

    private RealKernel(Detector detector, Path dir) {
        this.detector = detector;
        this.dir = dir;
    }

    /** Opens {@code tier} for real; skips (laptop) or fails (CI) when root or the tier is missing. */
    static RealKernel open(Tier tier, RateLimit limit) throws IOException {
        return open(tier, limit, Enricher.BUDGET);
    }

    /** As {@link #open(Tier, RateLimit)}, with another deadline for reading an opener from /proc. */
    static RealKernel open(Tier tier, RateLimit limit, Duration enrichmentBudget) throws IOException {
        RealParts.requireRoot();
        Detector detector;
        try {
            NativeCalls.requireNativeAccess();
            detector = tier == Tier.FANOTIFY
                    ? FanotifyDetector.open(limit, enrichmentBudget)
                    : BpfDetector.load(tier, limit, enrichmentBudget);
        } catch (IOException e) {
            RealParts.require(false, "tier " + tier.id() + " does not load on this kernel: " + e.getMessage());
            throw e;
        }
        // tmpfs exists on every host and in the qemu guest, and is never overlayfs
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "beesting-it-");
        RealKernel kernel = new RealKernel(detector, dir);
        detector.start(kernel.events::add);
        return kernel;
    }

    Path plant(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Run(
                process.pid(),
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static Run opener(String mode, Path file, String... args) throws IOException, InterruptedException {
        return run(Stream.concat(Stream.of(OPENER.toString(), mode, file.toString()), Stream.of(args))
                .toArray(String[]::new));
    }

    AccessEvent awaitEvent(Predicate<AccessEvent> match) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().filter(match).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    static Predicate<AccessEvent> from(long tokenId, Run run) {
        return e -> e.tokenId() == tokenId && e.opener().tgid() == run.pid();
    }

    @Override
    public void close() throws IOException {
        detector.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
