package dev.beesting.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook headers from a mounted Secret or the environment, Retry-After and the jittered backoff. */
class WebhookHeadersTest {
    @TempDir
    Path dir;

    @Test
    void headersComeFromAFileOfNameValueLines() throws Exception {
        Path file = Files.writeString(
                dir.resolve("headers"),
                "# from the Secret\nAuthorization: Bearer s3cr3t\n\nX-Scope-OrgID:  tenant-1 \n");

        assertThat(WebhookHeaders.fromFile(file))
                .containsExactly(Map.entry("Authorization", "Bearer s3cr3t"), Map.entry("X-Scope-OrgID", "tenant-1"));
    }

    @Test
    void aMalformedHeaderNamesItsLineButNeverItsValue() throws Exception {
        Path file = Files.writeString(dir.resolve("headers"), "Authorization: Bearer s3cr3t\nno colon s3cr3t\n");
        assertThatThrownBy(() -> WebhookHeaders.fromFile(file))
                .hasMessageContaining("line 2")
                .hasMessageNotContaining("s3cr3t");
        Path reserved = Files.writeString(dir.resolve("reserved"), "Content-Type: text/plain\n");
        assertThatThrownBy(() -> WebhookHeaders.fromFile(reserved)).hasMessageContaining("set by the agent");
    }

    @Test
    void aHeaderValueComesFromAnEnvironmentVariable() {
        assertThat(WebhookHeaders.fromEnvironment("Authorization=HOOK_TOKEN", Map.of("HOOK_TOKEN", "Bearer s3cr3t")))
                .isEqualTo(Map.entry("Authorization", "Bearer s3cr3t"));
        assertThatThrownBy(() -> WebhookHeaders.fromEnvironment("Authorization=UNSET", Map.of()))
                .hasMessageContaining("UNSET is not set");
        assertThatThrownBy(() -> WebhookHeaders.fromEnvironment("Authorization", Map.of()))
                .hasMessageContaining("Name=VARIABLE");
        assertThatThrownBy(() -> WebhookHeaders.fromEnvironment("X=V", Map.of("V", "a\r\nInjected: yes")))
                .hasMessageContaining("line break")
                .hasMessageNotContaining("Injected");
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Mon, 30 Nov 2026 12:00:30 GMT", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Mon, 30 Nov 2026 11:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", now)).isEmpty();
    }

    @Test
    void theBackoffIsJitteredBetweenHalfAndAll() {
        for (int i = 0; i < 1000; i++) {
            assertThat(WebhookSender.jittered(Duration.ofMillis(1000)))
                    .isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
    }
}
