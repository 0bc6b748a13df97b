package dev.beesting.agent.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Test
    void aLoopIsAliveWhileWaitingButNotWhenItsStepHangsOrItStopped() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        AtomicBoolean hangNext = new AtomicBoolean();
        AtomicInteger steps = new AtomicInteger();
        PacedLoop loop = new PacedLoop(
                "test-loop",
                () -> {
                    steps.incrementAndGet();
                    if (hangNext.get()) {
                        try {
                            hang.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return Duration.ofHours(1);
                },
                () -> {});
        assertThat(loop.alive(Duration.ofSeconds(1))).as("not started").isFalse();
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> steps.get() == 1);
        // idle-waiting for an hour is alive, however short the allowed step
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.alive(Duration.ofMillis(1)));

        hangNext.set(true);
        loop.wake();
        await().atMost(Duration.ofSeconds(5)).until(() -> steps.get() == 2);
        assertThat(loop.alive(Duration.ofMinutes(10))).as("a young step").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.alive(Duration.ofMillis(50)));

        hang.countDown();
        assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(loop.alive(Duration.ofMinutes(10))).as("stopped").isFalse();
    }
}
