package dev.beesting.agent.nri.plugin;

import java.util.List;
import java.util.Map;

/** Changes a plugin asks for on a container being created: extra mounts and annotations. */
public record ContainerAdjustment(List<Mount> mounts, Map<String, String> annotations) {
    private static final ContainerAdjustment NONE = new ContainerAdjustment(List.of(), Map.of());

    public ContainerAdjustment {
        mounts = List.copyOf(mounts);
        annotations = Map.copyOf(annotations);
    }

    /** Leave the container as the runtime would create it. */
    public static ContainerAdjustment none() {
        return NONE;
    }

    public static ContainerAdjustment mounts(List<Mount> mounts) {
        return new ContainerAdjustment(mounts, Map.of());
    }

    public boolean isEmpty() {
        return mounts.isEmpty() && annotations.isEmpty();
    }
}
