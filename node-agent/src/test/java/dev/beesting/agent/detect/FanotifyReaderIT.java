package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * With open-permission events every open of a token waits for the agent's answer: a reader that ended while the group
 * and its marks stay would hang every later open of a token on the node.
 */
class FanotifyReaderIT {

    @Test
    void aReaderThatFailsIsRestartedAndTheNextOpenIsAnsweredAndReported() throws Exception {
        try (RealKernel kernel = RealKernel.open(Tier.FANOTIFY, RateLimit.DEFAULT)) {
            FanotifyDetector detector = (FanotifyDetector) kernel.detector;
            Path token = kernel.plant("token", "bait");
            long id = detector.arm(token, AccessAction.ALERT);
            AtomicBoolean failOnce = new AtomicBoolean(true);
            detector.injectReaderFault(() -> {
                if (failOnce.getAndSet(false)) {
                    throw new OutOfMemoryError("injected by the test");
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> detector.restarts() == 1);

            Process opener = startOpener(token);
            assertThat(opener.waitFor(5, TimeUnit.SECONDS))
                    .as("the open of the token is answered")
                    .isTrue();
            assertThat(opener.exitValue()).isZero();
            kernel.awaitEvent(e -> e.tokenId() == id && e.opener().tgid() == opener.pid());
            assertThat(detector.alive()).isTrue();
        }
    }

    @Test
    void anErrorWhileHandlingOneEventStillAnswersEveryOtherOpenReadWithIt() throws Exception {
        try (RealKernel kernel = RealKernel.open(Tier.FANOTIFY, RateLimit.DEFAULT)) {
            FanotifyDetector detector = (FanotifyDetector) kernel.detector;
            Path token = kernel.plant("token", "bait");
            long id = detector.arm(token, AccessAction.ALERT);
            AtomicBoolean failOnce = new AtomicBoolean(true);
            detector.injectEventFault(() -> {
                if (failOnce.getAndSet(false)) {
                    throw new OutOfMemoryError("injected by the test");
                }
            });
            // several opens at once, so some are read in the same batch as the one that fails
            List<Process> openers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                openers.add(startOpener(token));
            }
            for (Process opener : openers) {
                assertThat(opener.waitFor(5, TimeUnit.SECONDS))
                        .as("every open is answered")
                        .isTrue();
            }
            assertThat(failOnce).isFalse();
            // the failed event was answered but, failing before its count, not counted
            assertThat(detector.count(id)).isBetween(7L, 8L);
            assertThat(detector.alive()).isTrue();
        }
    }

    @Test
    void aReaderThatKeepsFailingClosesTheGroupSoAPendingOpenIsLetThroughAndAliveTurnsFalse() throws Exception {
        try (RealKernel kernel = RealKernel.open(Tier.FANOTIFY, RateLimit.DEFAULT)) {
            FanotifyDetector detector = (FanotifyDetector) kernel.detector;
            Path token = kernel.plant("token", "bait");
            detector.arm(token, AccessAction.BLOCK);
            assertThat(detector.alive()).isTrue();
            AtomicBoolean failing = new AtomicBoolean();
            detector.injectReaderFault(() -> {
                if (failing.get()) {
                    throw new IllegalStateException("injected by the test");
                }
            });
            failing.set(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> detector.restarts() >= 1);
            // the open waits for an answer the failing reader never reads (a read would deny it: Block)
            Process opener = startOpener(token);

            assertThat(opener.waitFor(10, TimeUnit.SECONDS))
                    .as("a pending open of the token is let through once the group is closed")
                    .isTrue();
            assertThat(opener.exitValue())
                    .as(new String(opener.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();
            assertThat(detector.alive()).isFalse();
            Process later = startOpener(token);
            assertThat(later.waitFor(5, TimeUnit.SECONDS))
                    .as("later opens do not wait either")
                    .isTrue();
        }
    }

    @Test
    void anErrorWhileDeliveringAnEventNeverLeavesLaterOpensWaiting() throws Exception {
        RealParts.requireRoot();
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "beesting-it-");
        try (Detector detector = Detectors.open(Tier.FANOTIFY, RateLimit.DEFAULT)) {
            Path token = Files.writeString(dir.resolve("token"), "bait");
            long id = detector.arm(token, AccessAction.ALERT);
            List<AccessEvent> events = new CopyOnWriteArrayList<>();
            AtomicBoolean failOnce = new AtomicBoolean(true);
            detector.start(event -> {
                if (failOnce.getAndSet(false)) {
                    throw new StackOverflowError("a sink failing the way no catch of RuntimeException stops");
                }
                events.add(event);
            });

            Process first = startOpener(token);
            assertThat(first.waitFor(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !failOnce.get());
            Process second = startOpener(token);
            assertThat(second.waitFor(5, TimeUnit.SECONDS))
                    .as("the open after the failure is answered")
                    .isTrue();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> events.stream()
                            .anyMatch(e -> e.tokenId() == id && e.opener().tgid() == second.pid()));
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    private static Process startOpener(Path token) throws Exception {
        return new ProcessBuilder(RealKernel.OPENER.toString(), "open", token.toString()).start();
    }
}
