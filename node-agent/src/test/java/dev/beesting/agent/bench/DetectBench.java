package dev.beesting.agent.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.alerts.JsonLineSink;
import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.detect.RateLimit;
import dev.beesting.agent.detect.Tier;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Prints the detector's costs on this machine (a command, not a test: numbers vary with the host): open+close
 * overhead per tier, a 10 s flood on one token, and access-to-JSON-line latency. Run by hack/bench-detect.sh.
 */
public final class DetectBench {
    private static final Path OPENER = Path.of("target", "test-tools", "opener");
    private static final long PAIRS = Long.getLong("bench.pairs", 500_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 15);
    private static final int FLOOD_SECONDS = Integer.getInteger("bench.floodSeconds", 10);
    private static final int LATENCY_SAMPLES = Integer.getInteger("bench.latencySamples", 1000);
    /** First latency samples of each tier, dropped: they pay for JIT compilation of the event path. */
    private static final int WARM_UP = 50;

    private DetectBench() {}

    public static void main(String[] args) throws Exception {
        List<Tier> tiers = args.length > 0
                ? Arrays.stream(args[0].split(",")).map(Tier::fromId).toList()
                : Detectors.DEFAULT_ORDER;
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "beesting-bench-");
        try {
            Path plain = Files.writeString(dir.resolve("plain"), "not a token\n");
            Path token = Files.writeString(dir.resolve("token"), "secret\n");
            JsonLineSink.line(Alert.of(warmUpEvent(), ref(token))); // class loading must not count as latency
            System.out.printf(
                    "open+close of an unmarked file: opener CPU ns per pair, %d alternating pairs of rounds (%d"
                            + " opens each, a no-detector baseline then the tier); the ratio's median and spread"
                            + " (min-max over the pairs)%n",
                    ROUNDS, PAIRS);
            List<Tier> loadable = new ArrayList<>();
            for (Tier tier : tiers) {
                try {
                    double[] pair = overhead(tier, plain, token);
                    System.out.printf(
                            "  %-9s %8.1f ns/pair vs %8.1f without: ratio %.3f (%+.1f %%), spread %.3f-%.3f over %d"
                                    + " pairs%n",
                            tier.id(), pair[1], pair[0], pair[2], (pair[2] - 1) * 100, pair[3], pair[4], ROUNDS);
                    loadable.add(tier);
                } catch (IOException e) {
                    System.out.printf("  %-9s refused: %s%n", tier.id(), e.getMessage());
                }
            }
            for (Tier tier : loadable) {
                flood(tier, token);
            }
            for (Tier tier : loadable) {
                latency(tier, token);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * {median without, median with, median ratio, lowest ratio, highest ratio} of the tier attached. Rounds alternate
     * a detector-less baseline with a freshly attached detector (one armed token, not the file opened), so drifting
     * load on the host hits both alike; each pair gives one ratio.
     */
    private static double[] overhead(Tier tier, Path plain, Path token) throws Exception {
        double[] without = new double[ROUNDS];
        double[] with = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            without[i] = bench(plain);
            try (Detector detector = Detectors.open(tier, RateLimit.DEFAULT)) {
                detector.arm(token, AccessAction.ALERT);
                detector.start(e -> {});
                with[i] = bench(plain);
            }
        }
        double[] ratios = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            ratios[i] = with[i] / without[i];
        }
        Arrays.sort(without);
        Arrays.sort(with);
        Arrays.sort(ratios);
        return new double[] {without[ROUNDS / 2], with[ROUNDS / 2], ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1]};
    }

    private static double bench(Path file) throws Exception {
        return Double.parseDouble(opener("bench", file, Long.toString(PAIRS)).strip());
    }

    private static void flood(Tier tier, Path token) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong delivered = new AtomicLong();
        try (Detector detector = Detectors.open(tier, RateLimit.DEFAULT)) {
            long id = detector.arm(token, AccessAction.ALERT);
            detector.start(e -> delivered.incrementAndGet());
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            long opens = Long.parseLong(
                    opener("loop", token, Integer.toString(FLOOD_SECONDS)).strip());
            double seconds = (System.nanoTime() - wallBefore) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            long counted = detector.count(id);
            System.out.printf(
                    "flood %-9s %,d opens in %ds = %,.0f opens/s; kernel count %,d (%s); events delivered %d;"
                            + " rate limited %,d; dropped %d; agent CPU %.1f %% of one core%n",
                    tier.id(),
                    opens,
                    FLOOD_SECONDS,
                    opens / (double) FLOOD_SECONDS,
                    counted,
                    counted == opens ? "exact" : "OFF BY " + (counted - opens),
                    delivered.get(),
                    detector.stats().rateLimited(),
                    detector.stats().dropped(),
                    100 * cpu / seconds);
        }
    }

    private static void latency(Tier tier, Path token) throws Exception {
        ConcurrentHashMap<Long, Long> receivedAt = new ConcurrentHashMap<>();
        try (Detector detector = Detectors.open(tier, RateLimit.OFF)) {
            detector.arm(token, AccessAction.ALERT);
            detector.start(event -> {
                JsonLineSink.line(Alert.of(event, ref(token))); // the work between event and printed line
                receivedAt.put(event.count(), System.nanoTime());
            });
            String[] openedAt = opener("latency", token, Integer.toString(LATENCY_SAMPLES), "2000")
                    .strip()
                    .split("\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (receivedAt.size() < openedAt.length && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long[] micros = new long[openedAt.length];
            int n = 0;
            for (int i = WARM_UP; i < openedAt.length; i++) {
                Long received = receivedAt.get((long) i + 1); // the i-th open is the token's (i+1)-th count
                if (received != null) {
                    micros[n++] = (received - Long.parseLong(openedAt[i])) / 1000; // both CLOCK_MONOTONIC
                }
            }
            long[] sorted = Arrays.copyOf(micros, n);
            Arrays.sort(sorted);
            System.out.printf(
                    "latency %-9s open -> JSON line: p50 %d us, p99 %d us, max %d us (%d of %d samples)%n",
                    tier.id(), sorted[n / 2], sorted[(int) (n * 0.99)], sorted[n - 1], n, openedAt.length - WARM_UP);
        }
    }

    private static AccessEvent warmUpEvent() {
        return new AccessEvent(0, Instant.now(), new Opener(1, 1, 0, 0, "warmup", "", ""), Tier.SYSCALL, false, 1);
    }

    private static String opener(String mode, Path file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENER.toString(), mode, file.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("opener " + mode + " failed");
        }
        return out;
    }

    private static TokenRef ref(Path token) {
        return new TokenRef(token.toString(), "bench", Severity.HIGH, PolicyAction.ALERT, List.of(), null);
    }
}
