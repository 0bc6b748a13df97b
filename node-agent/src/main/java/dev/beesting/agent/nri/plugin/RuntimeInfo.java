package dev.beesting.agent.nri.plugin;

import java.time.Duration;

/**
 * The runtime a plugin got connected to, from its Configure call. Timeouts are those the runtime applies to us;
 * containerd before NRI 0.8 does not send them and then uses 5 s (registration) and 2 s (each request).
 */
public record RuntimeInfo(
        String name, String version, String pluginConfig, Duration registrationTimeout, Duration requestTimeout) {}
