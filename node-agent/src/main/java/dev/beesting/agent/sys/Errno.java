package dev.beesting.agent.sys;

import java.util.Map;

/** Names for errno values, so logs and messages say "EPERM" rather than "1". */
public final class Errno {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"),
            Map.entry(2, "ENOENT"),
            Map.entry(3, "ESRCH"),
            Map.entry(4, "EINTR"),
            Map.entry(9, "EBADF"),
            Map.entry(11, "EAGAIN"),
            Map.entry(12, "ENOMEM"),
            Map.entry(13, "EACCES"),
            Map.entry(16, "EBUSY"),
            Map.entry(17, "EEXIST"),
            Map.entry(18, "EXDEV"),
            Map.entry(20, "ENOTDIR"),
            Map.entry(21, "EISDIR"),
            Map.entry(22, "EINVAL"),
            Map.entry(24, "EMFILE"),
            Map.entry(28, "ENOSPC"),
            Map.entry(30, "EROFS"),
            Map.entry(38, "ENOSYS"),
            Map.entry(40, "ELOOP"),
            Map.entry(95, "EOPNOTSUPP"),
            Map.entry(524, "ENOTSUPP"));

    private Errno() {}

    /** The name of an errno; libbpf's negative return values name the same error. */
    public static String name(int errno) {
        int positive = Math.abs(errno);
        return NAMES.getOrDefault(positive, "errno " + positive);
    }
}
