package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
            long count) {}

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
                (long) BpfLayouts.EVENT_COUNT.get(record));
    }

    /**
     * The event, with what /proc told about the opener (empty strings for what it did not tell in time). The hook's
     * argv copy is taken at the open itself, so it wins unless /proc shows a longer version of it (the copy stops at
     * 256 bytes); /proc's exe wins when the opener still lives, because it has mount prefixes.
     */
    static AccessEvent event(Kernel kernel, String procExe, Instant procExeChangedAt, String procCmdline) {
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
                procExe.isEmpty() ? null : procExeChangedAt);
        return new AccessEvent(kernel.tokenId(), kernel.time(), opener, kernel.tier(), kernel.denied(), kernel.count());
    }

    private static String comm(MemorySegment record) {
        byte[] raw = record.asSlice(BpfLayouts.EVENT_COMM_OFFSET, BpfLayouts.COMM_LEN)
                .toArray(ValueLayout.JAVA_BYTE);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        return new String(raw, 0, len, StandardCharsets.UTF_8);
    }
}
