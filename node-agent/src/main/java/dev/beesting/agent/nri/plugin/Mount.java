package dev.beesting.agent.nri.plugin;

import java.util.List;

/** An OCI mount of a container, as NRI carries it. */
public record Mount(String destination, String type, String source, List<String> options) {
    /** Options of a bind mount that cannot be written, executed or used to reach devices or setuid binaries. */
    public static final List<String> READ_ONLY_BIND_OPTIONS =
            List.of("bind", "ro", "nosuid", "nodev", "noexec", "rprivate");

    public Mount {
        options = List.copyOf(options);
    }

    /** A read-only bind mount of host file or directory {@code source} at {@code destination}. */
    public static Mount readOnlyBind(String source, String destination) {
        return new Mount(destination, "bind", source, READ_ONLY_BIND_OPTIONS);
    }
}
