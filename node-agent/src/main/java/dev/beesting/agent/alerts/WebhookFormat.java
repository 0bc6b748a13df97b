package dev.beesting.agent.alerts;

import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The body a webhook receives for one alert. */
public enum WebhookFormat {
    /** The JSON line's object, as {@code stdout} prints it. */
    BEESTING,
    /**
     * A Falco event as Falcosidekick accepts it on {@code POST /}: {@code output}, {@code priority}, {@code rule},
     * {@code time}, {@code output_fields}, {@code source}, {@code tags}, {@code hostname}, so every Falcosidekick
     * output (Slack, PagerDuty, Loki, Elasticsearch, ...) takes Beesting's alerts unchanged. Field names follow
     * Falco's where one exists ({@code k8s.pod.name}, {@code proc.cmdline}, {@code fd.name}), so existing
     * Falcosidekick templates and filters apply.
     */
    FALCOSIDEKICK;

    /** The rule name Falcosidekick outputs show. */
    static final String RULE = "Beesting honeytoken accessed";

    /** Parses the flag's value: {@code beesting} or {@code falcosidekick}. */
    public static WebhookFormat fromId(String id) {
        for (WebhookFormat format : values()) {
            if (format.name().equalsIgnoreCase(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown webhook format '" + id + "' (expected beesting or falcosidekick)");
    }

    /**
     * The body's fields.
     *
     * @param hostname the host when the token has no workload (standalone); a node's alert names its node
     */
    Map<String, Object> payload(Alert alert, String hostname) {
        return switch (this) {
            case BEESTING -> JsonLineSink.fields(alert, hostname);
            case FALCOSIDEKICK -> falcoEvent(alert, hostname);
        };
    }

    private static Map<String, Object> falcoEvent(Alert alert, String hostname) {
        Workload workload = alert.token().workload();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fd.name", alert.token().path());
        fields.put("proc.pid", alert.opener().tgid());
        fields.put("proc.tid", alert.opener().pid());
        fields.put("proc.name", alert.opener().comm());
        fields.put("proc.exepath", alert.opener().exe());
        fields.put("proc.cmdline", alert.opener().cmdline());
        fields.put("user.uid", alert.opener().uid());
        fields.put("group.gid", alert.opener().gid());
        Lineage lineage = alert.opener().lineage();
        lineage.parent().ifPresent(parent -> {
            fields.put("proc.ppid", parent.tgid());
            fields.put("proc.pname", parent.comm());
            fields.put("proc.pexepath", lineage.parentExe());
            fields.put("proc.pcmdline", lineage.parentCmdline());
        });
        // Falco's aname[1] is the parent; 2 and up its ancestors
        for (int i = 1; i < lineage.ancestors().size(); i++) {
            fields.put("proc.aname[" + (i + 1) + "]", lineage.ancestors().get(i).comm());
            fields.put("proc.apid[" + (i + 1) + "]", lineage.ancestors().get(i).tgid());
        }
        if (workload != null) {
            fields.put("k8s.ns.name", workload.namespace());
            fields.put("k8s.pod.name", workload.pod());
            fields.put("k8s.pod.uid", workload.podUid());
            fields.put("container.name", workload.container());
            fields.put("container.id", workload.containerId());
            fields.put("container.image", workload.image());
        }
        fields.put("beesting.policy", alert.token().policy());
        fields.put("beesting.severity", label(alert.token().severity()));
        fields.put("beesting.action", alert.token().action()); // Alert or Block, as the policy spells it
        fields.put("beesting.denied", alert.denied());
        fields.put("beesting.tier", alert.tier());
        fields.put("beesting.count", alert.count());
        fields.put("beesting.origin", lineage.origin().id());

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("uuid", UUID.randomUUID().toString());
        event.put("output", output(alert, workload));
        event.put("priority", priority(alert.token().severity()));
        event.put("rule", RULE);
        event.put("time", alert.time().toString());
        event.put("output_fields", fields);
        event.put("source", "beesting");
        event.put("tags", List.of("beesting", "honeytoken", "credential_access", "T1552"));
        event.put("hostname", workload != null ? workload.node() : hostname);
        return event;
    }

    /** Falco's priority for a severity: every Beesting alert is high-fidelity, so none is below Warning. */
    static String priority(Severity severity) {
        return switch (severity == null ? Severity.HIGH : severity) {
            case CRITICAL -> "Alert";
            case HIGH -> "Critical";
            case MEDIUM -> "Error";
            case LOW -> "Warning";
        };
    }

    /** A line in the shape of Falco's outputs: time, priority, what happened, then the facts as key=value. */
    private static String output(Alert alert, Workload workload) {
        StringBuilder line = new StringBuilder()
                .append(alert.time())
                .append(": ")
                .append(priority(alert.token().severity()))
                .append(" Honeytoken ")
                .append(alert.token().path())
                .append(alert.denied() ? " open denied" : " opened")
                .append(" (policy=")
                .append(alert.token().policy())
                .append(" proc.name=")
                .append(alert.opener().comm())
                .append(" proc.pid=")
                .append(alert.opener().tgid())
                .append(" proc.exepath=")
                .append(alert.opener().exe())
                .append(" proc.pname=")
                .append(alert.opener().lineage().parent().map(p -> p.comm()).orElse(""))
                .append(" user.uid=")
                .append(alert.opener().uid())
                .append(" origin=")
                .append(alert.opener().lineage().origin().id());
        if (workload != null) {
            line.append(" k8s.ns.name=")
                    .append(workload.namespace())
                    .append(" k8s.pod.name=")
                    .append(workload.pod())
                    .append(" container.name=")
                    .append(workload.container());
        }
        return line.append(" count=").append(alert.count()).append(')').toString();
    }

    private static String label(Severity severity) {
        return severity == null ? "" : severity.name().toLowerCase(Locale.ROOT);
    }
}
