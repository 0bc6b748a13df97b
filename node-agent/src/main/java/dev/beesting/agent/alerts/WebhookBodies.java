package dev.beesting.agent.alerts;

import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.Severity;
import dev.beesting.webhook.FalcoEvent;
import dev.beesting.webhook.WebhookFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The body a webhook receives for one alert of the agent, in each format. */
final class WebhookBodies {
    /** The rule name Falcosidekick outputs show. */
    static final String RULE = "Beesting honeytoken accessed";

    private WebhookBodies() {}

    /**
     * The body's fields.
     *
     * @param hostname the host when the token has no workload (standalone); a node's alert names its node
     */
    static Map<String, Object> payload(WebhookFormat format, Alert alert, String hostname) {
        return switch (format) {
            case BEESTING -> JsonLineSink.fields(alert, hostname);
            case FALCOSIDEKICK -> falcoEvent(alert, hostname).body();
        };
    }

    /** The alert as a Falco event; field names follow Falco's where one exists. */
    private static FalcoEvent falcoEvent(Alert alert, String hostname) {
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
        return new FalcoEvent(
                RULE,
                priority(alert.token().severity()),
                alert.time(),
                output(alert, workload),
                fields,
                FalcoEvent.TAGS,
                workload != null ? workload.node() : hostname);
    }

    private static String priority(Severity severity) {
        return FalcoEvent.priority(severity == null ? "" : severity.name());
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
