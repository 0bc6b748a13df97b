package dev.beesting.operator.decoy;

import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.webhook.FalcoEvent;
import dev.beesting.webhook.WebhookCounters;
import dev.beesting.webhook.WebhookFormat;
import dev.beesting.webhook.WebhookSender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs each use of a decoy credential to the webhook ({@code --webhook}) in the configured format: the JSON line's
 * object, or a Falco event. The shared sender queues, retries and drops (counted) when full, so a slow or dead
 * receiver never delays the decoy's answer.
 */
public final class DecoyWebhook implements AutoCloseable {
    /** The rule name Falcosidekick outputs show. */
    static final String RULE = "Beesting honeytoken used";
    /** A stolen credential tried: MITRE ATT&CK's Valid Accounts, beside the Unsecured Credentials of the theft. */
    private static final List<String> TAGS = tags();

    private final WebhookSender<Delivery> sender;

    private record Delivery(DecoyUses.Use use, DecoyUses.Tally tally) {}

    /** Starts the sender and exposes its counts as {@code beesting_webhook_deliveries_total}. */
    public DecoyWebhook(WebhookSender.Settings settings, DecoyMetrics metrics) {
        this.sender = new WebhookSender<>(
                settings,
                delivery -> body(settings.format(), delivery.use(), delivery.tally()),
                delivery -> delivery.use().origin().path());
        metrics.countWebhook(sender.counters());
    }

    /** Queues one use with its tally so far; returns at once. */
    public void offer(DecoyUses.Use use, DecoyUses.Tally tally) {
        sender.offer(new Delivery(use, tally));
    }

    static Map<String, Object> body(WebhookFormat format, DecoyUses.Use use, DecoyUses.Tally tally) {
        return switch (format) {
            case BEESTING -> DecoyUses.fields(use, tally);
            case FALCOSIDEKICK -> falcoEvent(use, tally).body();
        };
    }

    /**
     * The use as a Falco event, its fields named as the agent's ({@code k8s.*}, {@code container.name},
     * {@code fd.name}, {@code beesting.*}) and, for the request, as Falco's Kubernetes audit events name them
     * ({@code ka.useragent}, {@code ka.uri}).
     */
    private static FalcoEvent falcoEvent(DecoyUses.Use use, DecoyUses.Tally tally) {
        DecoyOrigin origin = use.origin();
        String source = use.source().getHostAddress();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fd.name", origin.path());
        fields.put("k8s.ns.name", origin.namespace());
        fields.put("k8s.pod.name", origin.pod());
        fields.put("k8s.pod.uid", origin.podUid());
        fields.put("container.name", origin.container());
        fields.put("ka.useragent", use.userAgent());
        fields.put("ka.uri", use.requestPath());
        fields.put("beesting.access", "Use");
        fields.put("beesting.source", source);
        fields.put("beesting.method", use.method());
        fields.put("beesting.policy", origin.policy());
        fields.put("beesting.severity", origin.severity());
        fields.put("beesting.cluster", origin.cluster());
        fields.put("beesting.issuedAt", origin.issuedAt().toString());
        fields.put("beesting.keyId", use.keyId());
        fields.put("beesting.firstSeen", tally.firstSeen().toString());
        fields.put("beesting.count", tally.count());
        String priority = FalcoEvent.priority(origin.severity());
        // the client's own words (user agent, path, method) stay in the fields: outputs that render the line as
        // markup (chat, tickets) never show text an attacker chose
        String output = use.at() + ": " + priority + " Honeytoken " + origin.path() + " used (policy="
                + origin.policy() + " source=" + source + " k8s.ns.name=" + origin.namespace() + " k8s.pod.name="
                + origin.pod() + " container.name=" + origin.container() + " count=" + tally.count() + ")";
        return new FalcoEvent(RULE, priority, use.at(), output, fields, TAGS, origin.node());
    }

    private static List<String> tags() {
        List<String> tags = new ArrayList<>(FalcoEvent.TAGS);
        tags.add("T1078");
        return List.copyOf(tags);
    }

    /** What became of the uses offered so far. */
    public WebhookCounters counters() {
        return sender.counters();
    }

    /** Sends what is queued (without further retries once asked to stop), then stops. */
    @Override
    public void close() {
        sender.close();
    }
}
