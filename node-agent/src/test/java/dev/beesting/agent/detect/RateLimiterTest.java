package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsBurstPerTokenAndProcessThenHoldsBackUntilTheWindowEnds() {
        RateLimiter limiter = new RateLimiter(new RateLimit(2, Duration.ofSeconds(1)));

        assertThat(limiter.allows(1, 100, 0)).isTrue();
        assertThat(limiter.allows(1, 100, 1)).isTrue();
        assertThat(limiter.allows(1, 100, 2)).isFalse();
        assertThat(limiter.allows(1, 200, 3)).as("another process").isTrue();
        assertThat(limiter.allows(2, 100, 4)).as("another token").isTrue();
        assertThat(limiter.allows(1, 100, SECOND + 1)).as("next window").isTrue();
    }

    @Test
    void zeroBurstTurnsTheLimitOff() {
        RateLimiter limiter = new RateLimiter(RateLimit.OFF);

        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.allows(1, 100, i)).isTrue();
        }
    }
}
