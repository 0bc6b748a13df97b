package dev.beesting.agent.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The identity fields of {@code /proc/<tid>/status}: what fanotify does not report but an alert needs. */
record ProcStatus(String comm, int tgid, int uid, int gid) {
    static final ProcStatus GONE = new ProcStatus("", -1, -1, -1);

    /**
     * Reads the status of a thread (thread ids resolve in /proc even though they are not listed). Unlike cmdline it
     * never touches the thread's memory, so it does not wait on it: the fanotify reader reads it itself.
     */
    static ProcStatus of(int tid) {
        try {
            return parse(Files.readString(Path.of("/proc", Integer.toString(tid), "status")));
        } catch (IOException | RuntimeException e) {
            return GONE;
        }
    }

    static ProcStatus parse(String status) {
        String comm = "";
        int tgid = -1;
        int uid = -1;
        int gid = -1;
        for (String line : status.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1).strip();
            switch (line.substring(0, colon)) {
                case "Name" -> comm = value;
                case "Tgid" -> tgid = Integer.parseInt(value);
                case "Uid" -> uid = firstField(value); // real uid comes first
                case "Gid" -> gid = firstField(value);
                default -> {}
            }
        }
        return new ProcStatus(comm, tgid, uid, gid);
    }

    private static int firstField(String value) {
        return Integer.parseInt(value.split("\\s+")[0]);
    }
}
