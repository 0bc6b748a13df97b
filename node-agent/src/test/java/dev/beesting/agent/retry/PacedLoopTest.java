package dev.beesting.agent.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacedLoopTest {
    @Test
    void aStepThatThrowsDoesNotEndTheLoop() {
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger lasts = new AtomicInteger();
        PacedLoop loop = new PacedLoop(
                        "test-loop",
                        () -> {
                            if (steps.incrementAndGet() == 1) {
                                throw new IllegalArgumentException("malformed input from outside");
                            }
                            return Duration.ofMillis(10);
                        },
                        lasts::incrementAndGet)
                .start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> steps.get() >= 3);
        } finally {
            assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(lasts.get()).isEqualTo(1);
    }
}
