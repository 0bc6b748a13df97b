package dev.beesting.agent.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beesting.agent.detect.AccessEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints one JSON object per access, one line each, so `jq` and log shippers can follow stdout. */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final String severity;

    JsonLines(PrintStream out, String severity) {
        this.out = out;
        this.severity = severity;
    }

    public static String line(AccessEvent event, Path path, String severity) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", event.time().toString());
        fields.put("path", path.toString());
        fields.put("pid", event.pid());
        fields.put("tgid", event.tgid());
        fields.put("uid", event.uid());
        fields.put("gid", event.gid());
        fields.put("comm", event.comm());
        fields.put("exe", event.process().exe());
        fields.put("cmdline", event.process().cmdline());
        fields.put("tier", event.tier().id());
        fields.put("count", event.count());
        fields.put("action", event.denied() ? "Block" : "Alert");
        fields.put("severity", severity);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render event as JSON", e);
        }
    }

    void print(AccessEvent event, Path path) {
        String line = line(event, path, severity);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
