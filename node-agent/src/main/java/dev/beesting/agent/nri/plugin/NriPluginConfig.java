package dev.beesting.agent.nri.plugin;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the plugin connects: the runtime's NRI socket, the name and two-digit index it registers with, how long a
 * handler call may take, and how it backs off between reconnects.
 */
public record NriPluginConfig(
        Path socket,
        String name,
        String index,
        Duration handlerBudget,
        Duration registrationTimeout,
        Duration minBackoff,
        Duration maxBackoff) {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/nri/nri.sock");

    public NriPluginConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("NRI plugin name must not be empty");
        }
        if (index == null || !index.matches("[0-9]{2}")) {
            throw new IllegalArgumentException("NRI plugin index must be two digits, got " + index);
        }
        if (handlerBudget.isNegative() || handlerBudget.isZero()) {
            throw new IllegalArgumentException("handler budget must be positive");
        }
    }

    /** Defaults: the standard socket, a 500 ms handler budget (runtime allows 2 s), backoff 100 ms to 5 s. */
    public static NriPluginConfig of(String name, String index) {
        return new NriPluginConfig(
                DEFAULT_SOCKET,
                name,
                index,
                Duration.ofMillis(500),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofSeconds(5));
    }

    public NriPluginConfig withSocket(Path socket) {
        return new NriPluginConfig(socket, name, index, handlerBudget, registrationTimeout, minBackoff, maxBackoff);
    }

    public NriPluginConfig withHandlerBudget(Duration budget) {
        return new NriPluginConfig(socket, name, index, budget, registrationTimeout, minBackoff, maxBackoff);
    }

    public NriPluginConfig withBackoff(Duration min, Duration max) {
        return new NriPluginConfig(socket, name, index, handlerBudget, registrationTimeout, min, max);
    }
}
