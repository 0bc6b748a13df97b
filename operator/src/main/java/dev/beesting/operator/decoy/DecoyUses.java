package dev.beesting.operator.decoy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.beesting.api.decoy.DecoyOrigin;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The uses of valid decoy credentials: one JSON line each, and a tally per (origin, source address) with first and
 * last seen, so a client hammering the decoy becomes one growing count. Bounded: the least recently used tallies are
 * forgotten past {@code maxTallies}.
 */
public final class DecoyUses {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int RECENT = 128;

    private final Consumer<String> lines;
    private final BiConsumer<Use, Tally> listener;
    private final Map<TallyKey, Tally> tallies;
    private final Deque<Use> recent = new ArrayDeque<>();

    /**
     * One request that presented a valid credential.
     *
     * @param origin where the credential was planted
     * @param keyId the key that sealed it
     * @param source the client's address
     * @param userAgent the client's User-Agent, shortened
     * @param method HTTP method
     * @param requestPath the request's path and query, shortened
     * @param at when it arrived
     */
    public record Use(
            DecoyOrigin origin,
            String keyId,
            InetAddress source,
            String userAgent,
            String method,
            String requestPath,
            Instant at) {}

    /** How often one origin was used from one source. */
    public record Tally(Instant firstSeen, Instant lastSeen, long count) {}

    private record TallyKey(DecoyOrigin origin, InetAddress source) {}

    public DecoyUses(Consumer<String> lines, int maxTallies) {
        this(lines, maxTallies, (use, tally) -> {});
    }

    /**
     * Also hands every use and its tally so far to {@code listener} (the alert writer, the webhook), which must return
     * at once.
     */
    public DecoyUses(Consumer<String> lines, int maxTallies, BiConsumer<Use, Tally> listener) {
        this.lines = lines;
        this.listener = listener;
        this.tallies = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TallyKey, Tally> eldest) {
                return size() > maxTallies;
            }
        };
    }

    /** Counts the use and writes its JSON line; returns the tally of its origin and source. */
    public Tally record(Use use) {
        Tally tally;
        synchronized (this) {
            tally = tallies.merge(
                    new TallyKey(use.origin(), use.source()),
                    new Tally(use.at(), use.at(), 1),
                    (old, one) -> new Tally(old.firstSeen(), one.lastSeen(), old.count() + 1));
            recent.addLast(use);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
        lines.accept(line(use, tally));
        listener.accept(use, tally);
        return tally;
    }

    /** The last uses, oldest first. */
    public synchronized List<Use> recent() {
        return List.copyOf(recent);
    }

    private static String line(Use use, Tally tally) {
        try {
            // Jackson escapes what the client chose (user agent, path): a line stays one line of valid JSON
            return JSON.writeValueAsString(fields(use, tally));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decoy use cannot be written as JSON", e);
        }
    }

    /** The JSON line's fields, in their order; also the body of the webhook's {@code beesting} format. */
    static Map<String, Object> fields(Use use, Tally tally) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", use.at().toString());
        fields.put("event", "HoneytokenUsed");
        fields.put("access", "Use");
        DecoyOrigin origin = use.origin();
        fields.put("cluster", origin.cluster());
        fields.put("node", origin.node());
        fields.put("namespace", origin.namespace());
        fields.put("pod", origin.pod());
        fields.put("podUid", origin.podUid());
        fields.put("container", origin.container());
        fields.put("path", origin.path());
        fields.put("policy", origin.policy());
        fields.put("severity", origin.severity());
        fields.put("issuedAt", origin.issuedAt().toString());
        fields.put("keyId", use.keyId());
        fields.put("source", use.source().getHostAddress());
        fields.put("userAgent", use.userAgent());
        fields.put("method", use.method());
        fields.put("requestPath", use.requestPath());
        fields.put("firstSeen", tally.firstSeen().toString());
        fields.put("count", tally.count());
        return fields;
    }
}
