package dev.beesting.agent.detect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Decodes what the BPF hook captured about the opener (see capture_process in bpf/beesting.bpf.c). */
final class KernelProcess {
    private KernelProcess() {}

    /**
     * Joins the executable's dentry names (leaf first, NUL-terminated) into a path. It is relative to the root of
     * the executable's filesystem, so it is exact for the usual root-filesystem and container-image binaries.
     */
    static String exe(byte[] names, int length) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int end = Math.min(length, names.length);
        for (int i = 0; i <= end; i++) {
            if (i == end || names[i] == 0) {
                if (i > start) {
                    parts.add(new String(names, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        Collections.reverse(parts);
        return "/" + String.join("/", parts);
    }

    /** Turns the argv block (NUL-separated, possibly cut short) into a command line like /proc's, with spaces. */
    static String cmdline(byte[] args, int length) {
        int end = Math.min(length, args.length);
        while (end > 0 && args[end - 1] == 0) {
            end--;
        }
        return new String(args, 0, end, StandardCharsets.UTF_8).replace('\0', ' ');
    }
}
