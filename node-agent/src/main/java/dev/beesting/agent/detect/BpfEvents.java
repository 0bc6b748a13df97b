package dev.beesting.agent.detect;

import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Decodes a ring buffer record of the BPF hook (struct event in bpf/beesting.h) into an access event. */
final class BpfEvents {
    private BpfEvents() {}

    /**
     * What the hook recorded about one open, copied out of the ring buffer (the upcall only lends the record). It is
     * always enough to report: pid, tgid, comm and the hook's own copies of the executable and the argv head.
     */
    record Kernel(
            long tokenId,
            Instant time,
            int pid,
            int tgid,
            int uid,
            int gid,
            String comm,
            String exe,
            String cmdline,
            Tier tier,
            boolean denied,
            long count,
            Lineage lineage,
            long parentStartNanos) {}

    /** Decodes a record at least {@link BpfLayouts#EVENT} long; reads nothing else. */
    static Kernel decode(MemorySegment record) {
        byte[] exe =
                record.asSlice(BpfLayouts.EVENT_EXE_OFFSET, BpfLayouts.EXE_LEN).toArray(ValueLayout.JAVA_BYTE);
        byte[] args = record.asSlice(BpfLayouts.EVENT_ARGS_OFFSET, BpfLayouts.ARGS_LEN)
                .toArray(ValueLayout.JAVA_BYTE);
        return new Kernel(
                (long) BpfLayouts.EVENT_TOKEN_ID.get(record),
                Instant.now(),
                (int) BpfLayouts.EVENT_PID.get(record),
                (int) BpfLayouts.EVENT_TGID.get(record),
                (int) BpfLayouts.EVENT_UID.get(record),
                (int) BpfLayouts.EVENT_GID.get(record),
                comm(record),
                KernelProcess.exe(exe, (int) BpfLayouts.EVENT_EXE_LEN.get(record)),
                KernelProcess.cmdline(args, (int) BpfLayouts.EVENT_ARGS_LEN.get(record)),
                Tier.values()[(int) BpfLayouts.EVENT_TIER.get(record)],
                (int) BpfLayouts.EVENT_VERDICT.get(record) != 0,
                (long) BpfLayouts.EVENT_COUNT.get(record),
                lineage(record),
                ancestorsIn(record) > 0 ? (long) BpfLayouts.ANCESTOR_START.get(ancestor(record, 0)) : 0);
    }

    /** The chain the hook walked; the parent's exe and command line are for /proc to tell. */
    private static Lineage lineage(MemorySegment record) {
        List<Ancestor> ancestors = new ArrayList<>();
        for (int i = 0; i < ancestorsIn(record); i++) {
            MemorySegment ancestor = ancestor(record, i);
            ancestors.add(new Ancestor(
                    (int) BpfLayouts.ANCESTOR_PID.get(ancestor),
                    (int) BpfLayouts.ANCESTOR_TGID.get(ancestor),
                    text(ancestor.asSlice(BpfLayouts.ANCESTOR_COMM_OFFSET, BpfLayouts.COMM_LEN))));
        }
        return new Lineage(
                ancestors,
                "",
                "",
                false,
                Integer.toUnsignedLong((int) BpfLayouts.EVENT_MNT_NS.get(record)),
                (int) BpfLayouts.EVENT_ENTRY_TGID.get(record),
                Origin.UNKNOWN);
    }

    /** Entries used in the ancestors array, never more than it holds whatever the record says. */
    private static int ancestorsIn(MemorySegment record) {
        return Math.clamp(
                Integer.toUnsignedLong((int) BpfLayouts.EVENT_ANCESTORS_LEN.get(record)), 0, BpfLayouts.ANCESTORS);
    }

    private static MemorySegment ancestor(MemorySegment record, int index) {
        return record.asSlice(
                BpfLayouts.EVENT_ANCESTORS_OFFSET + index * BpfLayouts.ANCESTOR.byteSize(),
                BpfLayouts.ANCESTOR.byteSize());
    }

    /**
     * The event, with what /proc told about the opener (empty strings for what it did not tell in time). The hook's
     * argv copy is taken at the open itself, so it wins unless /proc shows a longer version of it (the copy stops at
     * 256 bytes); /proc's exe wins when the opener still lives, because it has mount prefixes.
     */
    static AccessEvent event(
            Kernel kernel, String procExe, Instant procExeChangedAt, String procCmdline, Lineage lineage) {
        String kernelCmdline = kernel.cmdline();
        String cmdline = kernelCmdline.isEmpty() || procCmdline.startsWith(kernelCmdline) ? procCmdline : kernelCmdline;
        Opener opener = new Opener(
                kernel.pid(),
                kernel.tgid(),
                kernel.uid(),
                kernel.gid(),
                kernel.comm(),
                procExe.isEmpty() ? kernel.exe() : procExe,
                cmdline.isEmpty() ? kernelCmdline : cmdline,
                procExe.isEmpty() ? null : procExeChangedAt,
                lineage);
        return new AccessEvent(kernel.tokenId(), kernel.time(), opener, kernel.tier(), kernel.denied(), kernel.count());
    }

    private static String comm(MemorySegment record) {
        return text(record.asSlice(BpfLayouts.EVENT_COMM_OFFSET, BpfLayouts.COMM_LEN));
    }

    /** A NUL-terminated name of a fixed-size field. */
    private static String text(MemorySegment field) {
        byte[] raw = field.toArray(ValueLayout.JAVA_BYTE);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        return new String(raw, 0, len, StandardCharsets.UTF_8);
    }
}
