package dev.beesting.webhook;

/** The body a webhook receives for one alert; each sender renders its own alerts in it. */
public enum WebhookFormat {
    /** The JSON line's object, as {@code stdout} prints it. */
    BEESTING,
    /**
     * A Falco event as Falcosidekick accepts it on {@code POST /} ({@link FalcoEvent}), so every Falcosidekick output
     * (Slack, PagerDuty, Loki, Elasticsearch, ...) takes Beesting's alerts unchanged.
     */
    FALCOSIDEKICK;

    /** Parses the flag's value: {@code beesting} or {@code falcosidekick}. */
    public static WebhookFormat fromId(String id) {
        for (WebhookFormat format : values()) {
            if (format.name().equalsIgnoreCase(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown webhook format '" + id + "' (expected beesting or falcosidekick)");
    }
}
