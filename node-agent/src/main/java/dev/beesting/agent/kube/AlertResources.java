package dev.beesting.agent.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.api.v1alpha1.Access;
import dev.beesting.api.v1alpha1.AncestorInfo;
import dev.beesting.api.v1alpha1.ContainerRef;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertSpec;
import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import dev.beesting.api.v1alpha1.PodRef;
import dev.beesting.api.v1alpha1.ProcessInfo;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the HoneytokenAlert, its status and the Pod's Event from an {@link AlertRecord}; pure, no API calls. */
final class AlertResources {
    static final String EVENT_REASON = "HoneytokenAccessed";
    static final String COMPONENT = "beesting-agent";
    /** Longest exe and cmdline of each entry of {@code status.recentProcesses}. */
    static final int RECENT_FIELD_MAX = 1024;
    /** Longest Event message (the API server's own bound for an Event note is 1 KiB). */
    static final int MESSAGE_MAX = 1024;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private AlertResources() {}

    static HoneytokenAlert alert(AlertRecord record) {
        AlertKey key = record.key();
        HoneytokenAlertSpec spec = new HoneytokenAlertSpec();
        spec.policy = record.policy();
        spec.path = key.path();
        spec.severity = record.severity();
        spec.node = record.node();
        spec.pod = new PodRef();
        spec.pod.name = key.pod();
        spec.pod.namespace = key.namespace();
        spec.pod.uid = key.podUid();
        spec.container = new ContainerRef();
        spec.container.name = key.container();
        spec.container.id = record.containerId();
        spec.container.image = record.image();
        spec.detector = record.detector();
        spec.access = Access.OPEN;
        HoneytokenAlert alert = new HoneytokenAlert();
        // no owner reference on purpose: the evidence must outlive the attacker's pod
        alert.setMetadata(new ObjectMetaBuilder()
                .withName(record.objectName())
                .withNamespace(key.namespace())
                .withLabels(labels(record))
                .build());
        alert.setSpec(spec);
        return alert;
    }

    /**
     * Whether an existing object is this agent's alert for the record: the same spec, except for what legitimately
     * changes under one alert name (pod, container name and path): the container's id and image (it restarted in
     * its pod), the detector tier (the agent was upgraded or its kernel changed) and the severity (the policy was
     * edited). The spec cannot change once written, so such an object keeps the first access's values. An alert
     * without {@code access} (written by an agent of an earlier release) is an Open alert.
     */
    static boolean sameSpec(HoneytokenAlert existing, AlertRecord record) {
        return existing.getSpec() != null
                && identity(JSON.valueToTree(existing.getSpec()))
                        .equals(identity(JSON.valueToTree(alert(record).getSpec())));
    }

    private static JsonNode identity(JsonNode spec) {
        ObjectNode kept = ((ObjectNode) spec).deepCopy();
        kept.remove(List.of("detector", "severity"));
        if (!kept.has("access")) {
            kept.put("access", JSON.valueToTree(Access.OPEN).asText());
        }
        if (kept.get("container") instanceof ObjectNode container) {
            container.remove(List.of("id", "image"));
        }
        return kept;
    }

    static HoneytokenAlertStatus status(AlertRecord record) {
        HoneytokenAlertStatus status = new HoneytokenAlertStatus();
        status.count = record.count();
        status.firstSeen = time(record.firstSeen());
        status.lastSeen = time(record.lastSeen());
        status.denied = record.denied();
        status.process = process(record.latest(), Opener.MAX_CMDLINE, true);
        // the latest process in full and its parent's command shorter; the history shorter still and without the
        // parent's command, so the object stays small whatever the openers' argv
        status.recentProcesses = record.processes().stream()
                .map(p -> process(p, RECENT_FIELD_MAX, false))
                .toList();
        return status;
    }

    static Event event(AlertRecord record) {
        AlertKey key = record.key();
        return new EventBuilder()
                .withNewMetadata()
                .withName(record.objectName())
                .withNamespace(key.namespace())
                .withLabels(labels(record))
                .endMetadata()
                .withType("Warning")
                .withReason(EVENT_REASON)
                .withMessage(message(record))
                .withNewInvolvedObject()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(key.pod())
                .withNamespace(key.namespace())
                .withUid(key.podUid())
                .endInvolvedObject()
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(record.node())
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(record.node())
                .withFirstTimestamp(eventTime(record.firstSeen()))
                .withLastTimestamp(eventTime(record.lastSeen()))
                .withCount((int) Math.min(Integer.MAX_VALUE, record.count()))
                .build();
    }

    /** The fields a later access changes, for a JSON merge patch of the Event. */
    static Map<String, Object> eventUpdate(AlertRecord record) {
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("message", message(record));
        patch.put("count", Math.min(Integer.MAX_VALUE, record.count()));
        patch.put("lastTimestamp", eventTime(record.lastSeen()));
        return patch;
    }

    static String message(AlertRecord record) {
        Opener process = record.latest().process();
        String verb = record.denied() ? "was denied opening" : "opened";
        String parent = process.lineage()
                .parent()
                .map(p -> ", parent %s (pid %d)".formatted(p.comm(), p.tgid()))
                .orElse("");
        Origin origin = process.lineage().origin();
        return Opener.bound(
                "process %s (pid %d, uid %d%s%s) %s honeytoken %s (policy %s)"
                        .formatted(
                                process.comm(),
                                process.tgid(),
                                process.uid(),
                                parent,
                                origin == Origin.UNKNOWN ? "" : ", origin " + origin.id(),
                                verb,
                                record.key().path(),
                                record.policy()),
                MESSAGE_MAX);
    }

    private static Map<String, String> labels(AlertRecord record) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.POLICY, Labels.value(record.policy()));
        labels.put(Labels.POD, Labels.value(record.key().pod()));
        labels.put(Labels.NODE, Labels.value(record.node()));
        labels.put(Labels.MANAGED_BY, Labels.AGENT);
        return labels;
    }

    private static ProcessInfo process(SeenProcess seen, int fieldMax, boolean parentCommand) {
        ProcessInfo info = new ProcessInfo();
        info.pid = seen.process().tgid();
        info.comm = seen.process().comm();
        info.exe = Opener.bound(seen.process().exe(), fieldMax);
        info.cmdline = Opener.bound(seen.process().cmdline(), fieldMax);
        info.uid = seen.process().uid();
        info.gid = seen.process().gid();
        Lineage lineage = seen.process().lineage();
        lineage.parent().ifPresent(parent -> {
            info.parentPid = parent.tgid();
            info.parentComm = parent.comm();
            if (parentCommand) {
                info.parentExe = Opener.bound(lineage.parentExe(), RECENT_FIELD_MAX);
                info.parentCmdline = Opener.bound(lineage.parentCmdline(), RECENT_FIELD_MAX);
            }
        });
        info.ancestors = lineage.ancestors().stream()
                .map(ancestor -> {
                    AncestorInfo entry = new AncestorInfo();
                    entry.pid = ancestor.tgid();
                    entry.comm = ancestor.comm();
                    return entry;
                })
                .toList();
        info.origin = lineage.origin().id();
        info.time = time(seen.time());
        return info;
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    // core/v1 Event timestamps have second precision
    private static String eventTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
