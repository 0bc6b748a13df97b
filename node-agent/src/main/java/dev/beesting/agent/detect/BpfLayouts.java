package dev.beesting.agent.detect;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** Java views of the records in {@code bpf/beesting.h}; BpfLayoutsTest checks them against the header. */
final class BpfLayouts {
    static final int COMM_LEN = 16;
    static final int EXE_LEN = 320;
    static final int ARGS_LEN = 256;
    static final int ANCESTORS = 4;

    static final StructLayout KEY = structLayout(
                    JAVA_INT.withName("dev"), JAVA_INT.withName("pad"), JAVA_LONG.withName("ino"))
            .withName("beesting_key");

    static final StructLayout TOKEN = structLayout(
                    JAVA_LONG.withName("id"),
                    JAVA_INT.withName("action"),
                    JAVA_INT.withName("pad"),
                    JAVA_LONG.withName("count"),
                    JAVA_LONG.withName("window_start_ns"),
                    JAVA_LONG.withName("emitted"),
                    JAVA_LONG.withName("suppressed"))
            .withName("beesting_token");

    static final StructLayout ANCESTOR = structLayout(
                    JAVA_LONG.withName("start_ns"),
                    JAVA_INT.withName("pid"),
                    JAVA_INT.withName("tgid"),
                    MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"))
            .withName("beesting_ancestor");

    static final StructLayout EVENT = structLayout(
                    JAVA_LONG.withName("token_id"),
                    JAVA_LONG.withName("count"),
                    JAVA_LONG.withName("suppressed"),
                    JAVA_LONG.withName("ktime_ns"),
                    JAVA_INT.withName("pid"),
                    JAVA_INT.withName("tgid"),
                    JAVA_INT.withName("uid"),
                    JAVA_INT.withName("gid"),
                    JAVA_INT.withName("tier"),
                    JAVA_INT.withName("verdict"),
                    JAVA_INT.withName("exe_len"),
                    JAVA_INT.withName("args_len"),
                    MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
                    MemoryLayout.sequenceLayout(EXE_LEN, JAVA_BYTE).withName("exe"),
                    MemoryLayout.sequenceLayout(ARGS_LEN, JAVA_BYTE).withName("args"),
                    JAVA_INT.withName("mnt_ns"),
                    JAVA_INT.withName("entry_tgid"),
                    JAVA_INT.withName("ancestors_len"),
                    JAVA_INT.withName("pad2"),
                    MemoryLayout.sequenceLayout(ANCESTORS, ANCESTOR).withName("ancestors"))
            .withName("beesting_event");

    static final StructLayout SETTINGS = structLayout(
                    JAVA_LONG.withName("window_ns"),
                    JAVA_LONG.withName("burst"),
                    JAVA_LONG.withName("learning"),
                    JAVA_LONG.withName("token_burst"))
            .withName("beesting_settings");

    static final StructLayout LEARNED = structLayout(
                    JAVA_INT.withName("dev"), JAVA_INT.withName("hits"), JAVA_LONG.withName("ino"))
            .withName("beesting_learned");

    /** The stats array has one u64 per slot of enum beesting_stat. */
    static final int STAT_HITS = 0;

    static final int STAT_EMITTED = 1;
    static final int STAT_RATE_LIMITED = 2;
    static final int STAT_RINGBUF_FULL = 3;

    static final VarHandle KEY_DEV = field(KEY, "dev");
    static final VarHandle KEY_INO = field(KEY, "ino");
    static final VarHandle TOKEN_ID = field(TOKEN, "id");
    static final VarHandle TOKEN_ACTION = field(TOKEN, "action");
    static final VarHandle TOKEN_COUNT = field(TOKEN, "count");
    static final VarHandle EVENT_TOKEN_ID = field(EVENT, "token_id");
    static final VarHandle EVENT_COUNT = field(EVENT, "count");
    static final VarHandle EVENT_PID = field(EVENT, "pid");
    static final VarHandle EVENT_TGID = field(EVENT, "tgid");
    static final VarHandle EVENT_UID = field(EVENT, "uid");
    static final VarHandle EVENT_GID = field(EVENT, "gid");
    static final VarHandle EVENT_TIER = field(EVENT, "tier");
    static final VarHandle EVENT_VERDICT = field(EVENT, "verdict");
    static final VarHandle EVENT_EXE_LEN = field(EVENT, "exe_len");
    static final VarHandle EVENT_ARGS_LEN = field(EVENT, "args_len");
    static final long EVENT_COMM_OFFSET = EVENT.byteOffset(MemoryLayout.PathElement.groupElement("comm"));
    static final long EVENT_EXE_OFFSET = EVENT.byteOffset(MemoryLayout.PathElement.groupElement("exe"));
    static final long EVENT_ARGS_OFFSET = EVENT.byteOffset(MemoryLayout.PathElement.groupElement("args"));
    static final VarHandle EVENT_MNT_NS = field(EVENT, "mnt_ns");
    static final VarHandle EVENT_ENTRY_TGID = field(EVENT, "entry_tgid");
    static final VarHandle EVENT_ANCESTORS_LEN = field(EVENT, "ancestors_len");
    static final long EVENT_ANCESTORS_OFFSET = EVENT.byteOffset(MemoryLayout.PathElement.groupElement("ancestors"));
    static final VarHandle ANCESTOR_START = field(ANCESTOR, "start_ns");
    static final VarHandle ANCESTOR_PID = field(ANCESTOR, "pid");
    static final VarHandle ANCESTOR_TGID = field(ANCESTOR, "tgid");
    static final long ANCESTOR_COMM_OFFSET = ANCESTOR.byteOffset(MemoryLayout.PathElement.groupElement("comm"));
    static final VarHandle SETTINGS_WINDOW = field(SETTINGS, "window_ns");
    static final VarHandle SETTINGS_BURST = field(SETTINGS, "burst");
    static final VarHandle SETTINGS_LEARNING = field(SETTINGS, "learning");
    static final VarHandle SETTINGS_TOKEN_BURST = field(SETTINGS, "token_burst");
    static final VarHandle LEARNED_DEV = field(LEARNED, "dev");
    static final VarHandle LEARNED_HITS = field(LEARNED, "hits");
    static final VarHandle LEARNED_INO = field(LEARNED, "ino");

    private BpfLayouts() {}

    private static VarHandle field(StructLayout layout, String name) {
        // drop the base-offset coordinate: callers always address a record at offset 0 of its own segment
        return java.lang.invoke.MethodHandles.insertCoordinates(
                layout.varHandle(MemoryLayout.PathElement.groupElement(name)), 1, 0L);
    }
}
