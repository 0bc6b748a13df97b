package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SourceRateLimiter limiter = new SourceRateLimiter(2, 3, 2, now::get);

    @Test
    void aSourceGetsItsBurstThenItsRate() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();
        now.addAndGet(500_000_000L); // half a second at 2/s: one more
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();
    }

    @Test
    void sourcesHaveTheirOwnBucketsAndTheTableIsBounded() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(a);
        }
        assertThat(limiter.tryAcquire(a)).isFalse();
        assertThat(limiter.tryAcquire(InetAddress.getByName("10.0.0.2"))).isTrue();
        assertThat(limiter.tryAcquire(InetAddress.getByName("10.0.0.3"))).isTrue();
        // a was the least recently seen of three, past the table's two: forgotten, full again
        assertThat(limiter.tryAcquire(a)).isTrue();
    }
}
