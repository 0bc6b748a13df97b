package dev.beesting.agent.detect;

import dev.beesting.agent.model.Opener;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Decodes a ring buffer record of the BPF hook (struct event in bpf/beesting.h) into an access event. */
final class BpfEvents {
    private BpfEvents() {}

    /** Decodes a record at least {@link BpfLayouts#EVENT} long. */
    static AccessEvent decode(MemorySegment record) {
        long tokenId = (long) BpfLayouts.EVENT_TOKEN_ID.get(record);
        Instant time = Instant.now();
        int tgid = (int) BpfLayouts.EVENT_TGID.get(record);
        String comm = comm(record);
        ProcCommand command = command(record, tgid);
        Opener opener = new Opener(
                (int) BpfLayouts.EVENT_PID.get(record),
                tgid,
                (int) BpfLayouts.EVENT_UID.get(record),
                (int) BpfLayouts.EVENT_GID.get(record),
                comm,
                command.exe(),
                command.cmdline(),
                command.exeChangedAt());
        return new AccessEvent(
                tokenId,
                time,
                opener,
                Tier.values()[(int) BpfLayouts.EVENT_TIER.get(record)],
                (int) BpfLayouts.EVENT_VERDICT.get(record) != 0,
                (long) BpfLayouts.EVENT_COUNT.get(record));
    }

    /**
     * The hook's argv copy is taken at the open itself, so it wins unless /proc shows a longer version of it (the
     * copy stops at 256 bytes); /proc's exe wins when the opener still lives, because it has mount prefixes.
     */
    private static ProcCommand command(MemorySegment record, int tgid) {
        byte[] exe =
                record.asSlice(BpfLayouts.EVENT_EXE_OFFSET, BpfLayouts.EXE_LEN).toArray(ValueLayout.JAVA_BYTE);
        byte[] args = record.asSlice(BpfLayouts.EVENT_ARGS_OFFSET, BpfLayouts.ARGS_LEN)
                .toArray(ValueLayout.JAVA_BYTE);
        String kernelExe = KernelProcess.exe(exe, (int) BpfLayouts.EVENT_EXE_LEN.get(record));
        String kernelCmdline = KernelProcess.cmdline(args, (int) BpfLayouts.EVENT_ARGS_LEN.get(record));
        ProcCommand proc = ProcCommand.of(tgid);
        String cmdline =
                kernelCmdline.isEmpty() || proc.cmdline().startsWith(kernelCmdline) ? proc.cmdline() : kernelCmdline;
        return new ProcCommand(
                proc.exe().isEmpty() ? kernelExe : proc.exe(),
                cmdline.isEmpty() ? kernelCmdline : cmdline,
                proc.exe().isEmpty() ? null : proc.exeChangedAt());
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
