package dev.beesting.operator;

import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags the operator and its {@code decoy} subcommand share: both run in the namespace Beesting is installed in,
 * and both serve their health, readiness and metrics endpoints the same way.
 */
public final class CommonOptions {
    @Option(
            names = "--namespace",
            defaultValue = "${env:BEESTING_NAMESPACE:-" + OperatorSettings.DEFAULT_NAMESPACE + "}",
            description = "Namespace Beesting is installed in: the operator's node config Secret, referenced Secrets"
                    + " and Lease, the decoy's Secrets and Service (env BEESTING_NAMESPACE; default:"
                    + " ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            description = "Port of /healthz, /readyz and /metrics over plain HTTP; 0 turns them off (default:"
                    + " ${DEFAULT-VALUE}).")
    int httpPort;

    public String namespace() {
        return namespace;
    }

    /** Where the health, readiness and metrics endpoints listen on {@code host}; empty when turned off. */
    public Optional<InetSocketAddress> opsAddress(String host) {
        return httpPort == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(host, httpPort));
    }
}
