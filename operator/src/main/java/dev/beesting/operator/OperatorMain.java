package dev.beesting.operator;

import dev.beesting.api.BuildInfo;
import dev.beesting.logging.LogFormat;
import dev.beesting.operator.decoy.DecoyCommand;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Entry point of the cluster operator. */
@Command(
        name = "beesting-operator",
        mixinStandardHelpOptions = true,
        versionProvider = OperatorMain.Version.class,
        subcommands = DecoyCommand.class,
        description = "Compiles HoneytokenPolicies into the node configuration that Beesting node agents apply.")
public final class OperatorMain implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--policy-namespace",
            defaultValue = dev.beesting.api.nodeconfig.PolicyObject.DEFAULT_NAMESPACE,
            description = "Namespace of node config format v4's per-policy Secrets, holding nothing else; while it does"
                    + " not exist the operator stores format v2 only (default: ${DEFAULT-VALUE}).")
    String policyNamespace;

    @Option(
            names = "--leader-election",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Elect a leader through a Lease so several replicas can run (default: ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(
            names = "--lease-name",
            defaultValue = OperatorSettings.DEFAULT_LEASE,
            description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(
            names = "--identity",
            defaultValue = "${env:POD_NAME:-${env:HOSTNAME:-beesting-operator}}",
            description = "This replica's name in the Lease (env POD_NAME, then HOSTNAME).")
    String identity;

    @Option(
            names = "--http-address",
            defaultValue = "0.0.0.0",
            description = "Address of the health, readiness and metrics endpoints (default: ${DEFAULT-VALUE}).")
    String httpAddress;

    @Option(
            names = "--alert-retention",
            converter = DurationConverter.class,
            description = "Delete HoneytokenAlerts last seen longer ago than this (e.g. 30d, 12h, PT90M); off by"
                    + " default.")
    Duration alertRetention;

    @Option(
            names = "--cluster-name",
            defaultValue = "${env:BEESTING_CLUSTER_NAME:-}",
            description = "This cluster's name, sealed into every decoy credential so a use names the cluster it was"
                    + " stolen from (env BEESTING_CLUSTER_NAME; default: none).")
    String clusterName;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description = "Log lines on stderr as text (default) or one JSON object per line.")
    void logFormat(LogFormat format) {
        // applied while the command line is parsed, so the operator's first line is already in this format
        format.apply();
    }

    /** {@code --version}: the build's version, from the build itself. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"beesting-operator " + BuildInfo.version()};
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperatorMain())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    OperatorSettings settings() {
        return new OperatorSettings(
                common.namespace(),
                leaderElection,
                leaseName,
                identity,
                common.opsAddress(httpAddress),
                Optional.ofNullable(alertRetention),
                clusterName == null ? "" : clusterName,
                policyNamespace);
    }

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        KubernetesClient client = new KubernetesClientBuilder().build();
        BeestingOperator operator = new BeestingOperator(client, settings(), Clock.systemUTC()).start();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            exit.complete(0);
        }));
        operator.leadershipLost().thenRun(() -> {
            operator.close();
            client.close();
            exit.complete(1);
        });
        return exit.get();
    }
}
