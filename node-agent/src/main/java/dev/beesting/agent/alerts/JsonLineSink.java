package dev.beesting.agent.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Workload;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints one JSON object per alert on its own line, fields in a fixed order. */
public final class JsonLineSink implements AlertSink {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * The version of the line's shape, its last field. Fields may be added within a version; one that is renamed,
     * retyped or removed makes the next.
     */
    public static final int SCHEMA_VERSION = 1;

    private final PrintStream out;
    private final String hostname;

    public JsonLineSink(PrintStream out) {
        this(out, "");
    }

    /** @param hostname named in lines whose token has no node (standalone); empty for none */
    public JsonLineSink(PrintStream out, String hostname) {
        this.out = out;
        this.hostname = hostname == null ? "" : hostname;
    }

    @Override
    public void publish(Alert alert) {
        String line = line(alert, hostname);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** The alert as one line of JSON, without the line break. */
    public static String line(Alert alert) {
        return line(alert, "");
    }

    static String line(Alert alert, String hostname) {
        try {
            return JSON.writeValueAsString(fields(alert, hostname));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert cannot be serialised", e);
        }
    }

    /** The JSON line's fields; documented in the README. */
    static Map<String, Object> fields(Alert alert, String hostname) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", alert.time().toString());
        fields.put("path", alert.token().path());
        fields.put("pid", alert.opener().pid());
        fields.put("tgid", alert.opener().tgid());
        fields.put("uid", alert.opener().uid());
        fields.put("gid", alert.opener().gid());
        fields.put("comm", alert.opener().comm());
        fields.put("exe", alert.opener().exe());
        fields.put("cmdline", alert.opener().cmdline());
        Lineage lineage = alert.opener().lineage();
        fields.put(
                "ancestors",
                lineage.ancestors().stream().map(JsonLineSink::ancestor).toList());
        fields.put("parentExe", lineage.parentExe());
        fields.put("parentCmdline", lineage.parentCmdline());
        fields.put("ancestorGone", lineage.gone());
        fields.put("origin", lineage.origin().id());
        fields.put("tier", alert.tier());
        fields.put("count", alert.count());
        fields.put("action", alert.token().action());
        fields.put("denied", alert.denied());
        fields.put("severity", alert.token().severity());
        fields.put("policy", alert.token().policy());
        Workload workload = alert.token().workload();
        if (workload != null) {
            fields.put("node", workload.node());
            fields.put("namespace", workload.namespace());
            fields.put("pod", workload.pod());
            fields.put("podUid", workload.podUid());
            fields.put("container", workload.container());
            fields.put("containerId", workload.containerId());
            fields.put("image", workload.image());
        } else if (!hostname.isEmpty()) {
            fields.put("hostname", hostname);
        }
        fields.put("schemaVersion", SCHEMA_VERSION);
        return fields;
    }

    private static Map<String, Object> ancestor(Ancestor ancestor) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pid", ancestor.pid());
        fields.put("tgid", ancestor.tgid());
        fields.put("comm", ancestor.comm());
        return fields;
    }
}
