package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.webhook.WebhookFormat;
import dev.beesting.webhook.WebhookSender;
import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The decoy takes the agent's webhook flags, under the same names. */
class DecoyCommandTest {
    @Test
    void theWebhookFlagsAreTheAgents() {
        DecoyCommand decoy = new DecoyCommand();
        new CommandLine(decoy)
                .parseArgs(
                        "--webhook=http://falcosidekick.falco:2801/",
                        "--webhook-allow-http",
                        "--webhook-format=falcosidekick",
                        "--webhook-header-env=Authorization=PATH");
        WebhookSender.Settings settings = decoy.webhook.settings().orElseThrow();
        assertThat(settings.url()).isEqualTo(URI.create("http://falcosidekick.falco:2801/"));
        assertThat(settings.format()).isEqualTo(WebhookFormat.FALCOSIDEKICK);
        assertThat(settings.headers()).containsOnlyKeys("Authorization");
    }

    @Test
    void withoutAUrlThereIsNoWebhook() {
        DecoyCommand decoy = new DecoyCommand();
        new CommandLine(decoy).parseArgs();
        assertThat(decoy.webhook.settings()).isEmpty();
    }

    @Test
    void plainHttpIsRefusedUnlessAllowedNamingTheFlagButNotTheSecretPath() {
        DecoyCommand decoy = new DecoyCommand();
        new CommandLine(decoy).parseArgs("--webhook=http://hooks.example.com/s3cr3t");
        assertThatThrownBy(() -> decoy.webhook.settings())
                .hasMessageStartingWith("--webhook: ")
                .hasMessageContaining("--webhook-allow-http")
                .hasMessageNotContaining("s3cr3t");
    }
}
