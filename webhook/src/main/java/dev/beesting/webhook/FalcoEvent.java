package dev.beesting.webhook;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A Falco event as Falcosidekick accepts it on {@code POST /}: {@code output}, {@code priority}, {@code rule},
 * {@code time}, {@code output_fields}, {@code source}, {@code tags}, {@code hostname}. Senders name output fields as
 * Falco does where Falco has a name ({@code k8s.pod.name}, {@code proc.cmdline}, {@code fd.name}), so existing
 * Falcosidekick templates and filters apply, and {@code beesting.*} otherwise.
 *
 * @param rule the rule name Falcosidekick outputs show
 * @param priority Falco's priority ({@link #priority(String)})
 * @param time when it happened
 * @param output one line in the shape of Falco's outputs
 * @param fields the output fields, in the order given
 * @param tags Falco's tags
 * @param hostname the node it happened on, or the host
 */
public record FalcoEvent(
        String rule,
        String priority,
        Instant time,
        String output,
        Map<String, Object> fields,
        List<String> tags,
        String hostname) {
    /** The tags of every honeytoken event: MITRE ATT&CK's Unsecured Credentials. */
    public static final List<String> TAGS = List.of("beesting", "honeytoken", "credential_access", "T1552");

    public FalcoEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        tags = List.copyOf(tags);
        hostname = hostname == null ? "" : hostname;
    }

    /** The event's JSON object, with a fresh {@code uuid}. */
    public Map<String, Object> body() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("uuid", UUID.randomUUID().toString());
        event.put("output", output);
        event.put("priority", priority);
        event.put("rule", rule);
        event.put("time", time.toString());
        event.put("output_fields", fields);
        event.put("source", "beesting");
        event.put("tags", tags);
        event.put("hostname", hostname);
        return event;
    }

    /**
     * Falco's priority for a policy severity ({@code low} ... {@code critical}, any case): every Beesting alert is
     * high-fidelity, so none is below Warning; an unknown or empty severity counts as {@code high}.
     */
    public static String priority(String severity) {
        return switch (severity == null ? "" : severity.toLowerCase(Locale.ROOT)) {
            case "critical" -> "Alert";
            case "medium" -> "Error";
            case "low" -> "Warning";
            default -> "Critical";
        };
    }
}
