package dev.beesting.agent.detect;

import java.util.Locale;

/**
 * The detection mechanisms. The declaration order is the tier number BPF events carry ({@code bpf/beesting.h}); the
 * order the agent tries them in is {@link Detectors#DEFAULT_ORDER}.
 */
public enum Tier {
    LSM(true),
    FENTRY(false),
    KPROBE(false),
    SYSCALL(false),
    FANOTIFY(true);

    private final boolean canBlock;

    Tier(boolean canBlock) {
        this.canBlock = canBlock;
    }

    /** Whether this tier can deny an open (the policy's {@code Block} action). */
    public boolean canBlock() {
        return canBlock;
    }

    /** The name users see in flags, JSON lines and HoneytokenNode status. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier fromId(String id) {
        for (Tier tier : values()) {
            if (tier.id().equals(id)) {
                return tier;
            }
        }
        throw new IllegalArgumentException(
                "unknown detector tier '" + id + "' (expected lsm, fentry, kprobe, fanotify or syscall)");
    }
}
