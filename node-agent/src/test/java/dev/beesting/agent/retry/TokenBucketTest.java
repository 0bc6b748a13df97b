package dev.beesting.agent.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final TokenBucket bucket = new TokenBucket(5, 50, nanos::get);

    @Test
    void aFullBucketLetsTheBurstThroughAtOnceThenOneTokenPerFifthOfASecond() {
        for (int i = 0; i < 50; i++) {
            assertThat(bucket.untilAvailable()).isZero();
            bucket.spend(1);
        }
        assertThat(bucket.untilAvailable().toNanos())
                .isCloseTo(Duration.ofMillis(200).toNanos(), within(10L));

        advance(Duration.ofMillis(199));
        assertThat(bucket.untilAvailable().toNanos())
                .isCloseTo(Duration.ofMillis(1).toNanos(), within(10L));
        advance(Duration.ofMillis(1));
        assertThat(bucket.untilAvailable()).isZero();
    }

    @Test
    void anOverdraftIsWaitedOutBeforeTheNextCaller() {
        bucket.spend(49);
        bucket.spend(3); // one token left, a delivery of three requests

        assertThat(bucket.untilAvailable().toNanos())
                .isCloseTo(Duration.ofMillis(600).toNanos(), within(10L));
        advance(Duration.ofMillis(600));
        assertThat(bucket.untilAvailable()).isZero();
    }

    @Test
    void aQuietSpellRefillsNoMoreThanTheBurst() {
        bucket.spend(50);
        advance(Duration.ofHours(1));
        bucket.spend(50);

        assertThat(bucket.untilAvailable()).isPositive();
    }

    @Test
    void overAnySpanAtMostTheBurstPlusTheRateGoThrough() {
        long spent = 0;
        for (int ms = 0; ms <= 10_000; ms++) {
            while (bucket.untilAvailable().isZero()) {
                bucket.spend(3);
                spent += 3;
            }
            assertThat(spent).isLessThanOrEqualTo(50 + 5L * ms / 1000 + 2);
            advance(Duration.ofMillis(1));
        }
        assertThat(spent).isGreaterThanOrEqualTo(50 + 5 * 10 - 1);
    }

    @Test
    void refusesARateOrBurstThatLetsNothingThrough() {
        assertThatThrownBy(() -> new TokenBucket(0, 50, nanos::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(5, 0, nanos::get)).isInstanceOf(IllegalArgumentException.class);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
