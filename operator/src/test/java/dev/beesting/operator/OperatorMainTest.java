package dev.beesting.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorMainTest {
    @Test
    void defaultsRunOneLeaderElectedReplicaInBeestingSystemWithoutRetention() {
        OperatorMain main = parse();
        OperatorSettings settings = main.settings();
        assertThat(settings.namespace())
                .isEqualTo(System.getenv().getOrDefault("BEESTING_NAMESPACE", "beesting-system"));
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.alertRetention()).isEmpty();
        assertThat(settings.opsAddress())
                .hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(8080));
    }

    @Test
    void decoyIsASubcommandWhoseCertificateNamesItsService() {
        CommandLine line = new CommandLine(new OperatorMain());
        CommandLine.ParseResult parsed =
                line.parseArgs("--cluster-name=prod", "decoy", "--namespace=sec", "--dns-name=decoy.example.com");
        assertThat(((OperatorMain) line.getCommand()).settings().clusterName()).isEqualTo("prod");
        dev.beesting.operator.decoy.DecoyCommand decoy =
                parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(decoy.dnsNames())
                .containsExactly(
                        "beesting-decoy",
                        "beesting-decoy.sec",
                        "beesting-decoy.sec.svc",
                        "beesting-decoy.sec.svc.cluster.local",
                        "decoy.example.com");
    }

    @Test
    void versionIsTheBuildsVersion() {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = new picocli.CommandLine(new OperatorMain())
                .setOut(new java.io.PrintWriter(out))
                .execute("--version");
        assertThat(code).isZero();
        assertThat(out.toString().trim()).isEqualTo("beesting-operator " + dev.beesting.api.BuildInfo.version());
        assertThat(out.toString()).doesNotContain("dev");
    }

    @Test
    void flagsOverrideTheDefaults() {
        OperatorSettings settings = parse(
                        "--namespace=sec",
                        "--no-leader-election",
                        "--alert-retention=30d",
                        "--http-port=0",
                        "--lease-name=other")
                .settings();
        assertThat(settings.namespace()).isEqualTo("sec");
        assertThat(settings.leaderElection()).isFalse();
        assertThat(settings.alertRetention()).contains(Duration.ofDays(30));
        assertThat(settings.opsAddress()).isEmpty();
        assertThat(settings.leaseName()).isEqualTo("other");
    }

    @Test
    void retentionAcceptsShortAndIsoDurationsAndRejectsOthersByName() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("PT90M")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> converter.convert("soon"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
    }

    private static OperatorMain parse(String... args) {
        OperatorMain main = new OperatorMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }
}
