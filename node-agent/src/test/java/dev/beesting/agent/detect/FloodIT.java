package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rate limits per (token, process) do not bound a flood from many processes: it must not fill the queue every token
 * shares (the ring buffer, the fanotify queue and reader) and push out the one open of a token in another container.
 */
class FloodIT {
    private static final int PROCESSES = 500;
    private static final int SECONDS = 4;

    static List<Tier> tiers() {
        return TestTiers.selected();
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void aFloodOfOneTokenFromManyProcessesNeverHidesTheOneOpenOfAnother(Tier tier) throws Exception {
        RateLimit limit = RateLimit.DEFAULT;
        try (RealKernel kernel = RealKernel.open(tier, limit)) {
            Path floodedFile = kernel.plant("flooded", "bait");
            long flooded = kernel.detector.arm(floodedFile, AccessAction.ALERT);
            long quiet = kernel.detector.arm(kernel.plant("quiet", "bait"), AccessAction.ALERT);

            long start = System.nanoTime();
            // every process is started before any opens; one second into the flood the helper itself opens the
            // quiet token once, and each flooding process prints how many opens it made
            Path quietFile = kernel.dir.resolve("quiet");
            Process flood = new ProcessBuilder(
                            RealKernel.OPENER.toString(),
                            "flood",
                            floodedFile.toString(),
                            Integer.toString(SECONDS),
                            Integer.toString(PROCESSES),
                            quietFile.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
            try {
                // on a slow machine (one emulated CPU) some loopers may end before the helper gets to open
                List<Long> perProcess = new ArrayList<>();
                for (String line = out.readLine(); !"other".equals(line); line = out.readLine()) {
                    assertThat(line).as("the helper opened the quiet token").isNotNull();
                    perProcess.add(Long.parseLong(line));
                }
                int endedBeforeQuiet = perProcess.size();
                long openedAt = System.nanoTime();
                long floodedBefore = kernel.detector.count(flooded);
                // reported at all is the point; how soon is printed (a 1-vCPU emulated guest took up to 12 s)
                AccessEvent quietEvent = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(10))
                        .until(
                                () -> kernel.events.stream()
                                        .filter(e -> e.tokenId() == quiet
                                                && e.opener().tgid() == flood.pid())
                                        .findFirst(),
                                Optional::isPresent)
                        .orElseThrow();
                long quietMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);

                assertThat(flood.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(flood.exitValue())
                        .as("every flooding process opened and exited cleanly")
                        .isZero();
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;
                out.lines().map(Long::parseLong).forEach(perProcess::add);
                long running = perProcess.size();
                long opens = perProcess.stream().mapToLong(Long::longValue).sum();
                long floodedEvents = kernel.events.stream()
                        .filter(e -> e.tokenId() == flooded)
                        .count();
                System.out.printf(
                        "flood tier=%s processes=%d opens=%d counted=%d floodedEvents=%d quietReportedAfterMs=%d"
                                + " floodedOpensBeforeQuiet=%d stats=%s%n",
                        tier.id(),
                        running,
                        opens,
                        kernel.detector.count(flooded),
                        floodedEvents,
                        quietMillis,
                        floodedBefore,
                        kernel.detector.stats());

                assertThat(running).as("flooding processes").isEqualTo(PROCESSES);
                assertThat(floodedBefore)
                        .as("the quiet token was opened during the flood")
                        .isGreaterThan(PROCESSES);
                assertThat(endedBeforeQuiet).as("loopers that had ended").isLessThan(PROCESSES);
                assertThat(quietEvent.count()).isEqualTo(1);
                assertThat(kernel.detector.count(quiet)).isEqualTo(1);
                assertThat(kernel.detector.count(flooded))
                        .as("every open of the flooded token is counted")
                        .isEqualTo(opens);
                assertThat(floodedEvents)
                        .as("events of the flooded token stay within its own budget over %d s", seconds)
                        .isLessThanOrEqualTo((long) limit.perToken().burst() * (seconds + 1));
            } finally {
                flood.descendants().forEach(ProcessHandle::destroyForcibly);
                flood.destroyForcibly();
            }
        }
    }
}
