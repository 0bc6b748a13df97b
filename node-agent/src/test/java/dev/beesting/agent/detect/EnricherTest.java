package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EnricherTest {
    private final List<String> finished = new CopyOnWriteArrayList<>();

    /** A task whose read waits for {@code release}, as a /proc read of an opener on a stalled mount does. */
    private Enricher.Task task(String name, CountDownLatch release) {
        return new Enricher.Task() {
            private volatile boolean read;

            @Override
            public void read() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                read = true;
            }

            @Override
            public void finish(boolean complete) {
                finished.add(name + (complete && read ? "" : " (late)"));
            }
        };
    }

    @Test
    void aHungReadIsFinishedAtItsDeadlineAndHoldsUpNoOtherToken() {
        CountDownLatch never = new CountDownLatch(1);
        try (Enricher enricher = new Enricher("test", Duration.ofMillis(300), 4)) {
            long start = System.nanoTime();
            enricher.submit(1, task("a1", never));
            enricher.submit(2, task("b1", new CountDownLatch(0)));

            await().atMost(Duration.ofSeconds(5)).until(() -> finished.contains("b1"));
            assertThat(finished).as("b is not held up by a's hung read").containsExactly("b1");
            await().atMost(Duration.ofSeconds(5)).until(() -> finished.size() == 2);
            assertThat(finished).containsExactly("b1", "a1 (late)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(enricher.late()).isEqualTo(1);
        } finally {
            never.countDown();
        }
    }

    @Test
    void eventsOfOneTokenAreFinishedInArrivalOrderEvenWhenALaterReadEndsFirst() {
        CountDownLatch slow = new CountDownLatch(1);
        try (Enricher enricher = new Enricher("test", Duration.ofSeconds(5), 4)) {
            enricher.submit(1, task("a1", slow));
            enricher.submit(1, task("a2", new CountDownLatch(0)));
            enricher.submit(1, task("a3", new CountDownLatch(0)));
            slow.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> finished.size() == 3);
            assertThat(finished).containsExactly("a1", "a2", "a3");
        }
    }

    @Test
    void withEveryReadSlotHeldByAHungReadNewEventsAreFinishedAtOnceWithoutReading() {
        CountDownLatch never = new CountDownLatch(1);
        try (Enricher enricher = new Enricher("test", Duration.ofSeconds(30), 2)) {
            enricher.submit(1, task("a1", never));
            enricher.submit(2, task("b1", never));
            enricher.submit(3, task("c1", new CountDownLatch(0)));
            await().atMost(Duration.ofSeconds(5)).until(() -> finished.contains("c1 (late)"));
            assertThat(enricher.skipped()).isEqualTo(1);
            never.countDown(); // before close, which waits for the events handed over
        } finally {
            never.countDown();
        }
    }
}
