package dev.beesting.operator.decoy;

import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.v1alpha1.Access;
import dev.beesting.api.v1alpha1.ContainerRef;
import dev.beesting.api.v1alpha1.CredentialUse;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertSpec;
import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import dev.beesting.api.v1alpha1.PodRef;
import dev.beesting.api.v1alpha1.Severity;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns uses of decoy credentials into HoneytokenAlerts ({@code access: Use}) in the origin pod's namespace, one per
 * (origin, source address), and a Warning Event on the origin pod. Uses are queued and coalesced, so a slow or
 * unreachable API server delays alerts but never the decoy's answers, and a flood becomes one growing count. The
 * counts continue what is stored: an alert written before a restart is read back once, then added to.
 */
public final class DecoyAlerts implements AutoCloseable {
    static final String EVENT_REASON = "HoneytokenUsed";
    static final String COMPONENT = "beesting-decoy";
    private static final Logger LOG = LoggerFactory.getLogger(DecoyAlerts.class);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final int NAME_PREFIX_MAX = 54;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final int maxPending;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Stored> stored;
    private final Thread worker;
    private final DecoyMetrics metrics;
    private volatile boolean closed;

    private record Pending(
            String namespace, String name, DecoyUses.Use first, long count, Instant firstSeen, Instant lastSeen) {
        Pending plus(Pending later) {
            return new Pending(namespace, name, first, count + later.count, firstSeen, later.lastSeen);
        }
    }

    private record Stored(long count, String firstSeen) {}

    public DecoyAlerts(KubernetesClient client, DecoyMetrics metrics, int maxPending) {
        this.client = client;
        this.metrics = metrics;
        this.maxPending = maxPending;
        this.stored = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
                return size() > maxPending;
            }
        };
        this.worker = Thread.ofPlatform().name("decoy-alerts").daemon(true).start(this::run);
    }

    /** Queues a use; returns at once. Past {@code maxPending} distinct alerts waiting, new ones are dropped (counted). */
    public void offer(DecoyUses.Use use) {
        DecoyOrigin origin = use.origin();
        String name = name(origin, use.source().getHostAddress());
        Pending one = new Pending(origin.namespace(), name, use, 1, use.at(), use.at());
        synchronized (pending) {
            String key = origin.namespace() + "/" + name;
            if (!pending.containsKey(key) && pending.size() >= maxPending) {
                metrics.countAlert("dropped");
                return;
            }
            pending.merge(key, one, Pending::plus);
            pending.notifyAll();
        }
    }

    /** Uses waiting to be written, for tests and readiness. */
    public int pending() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void run() {
        long backoffMillis = 0;
        while (!closed) {
            List<Pending> batch;
            synchronized (pending) {
                while (pending.isEmpty() && !closed) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = List.copyOf(pending.values());
                pending.clear();
            }
            boolean failed = false;
            for (Pending use : batch) {
                try {
                    write(use);
                    metrics.countAlert("written");
                } catch (KubernetesClientException e) {
                    failed = true;
                    metrics.countAlert("failed");
                    LOG.warn(
                            "decoy alert not written, retrying namespace={} alert={} code={} error={}",
                            use.namespace(),
                            use.name(),
                            e.getCode(),
                            e.getMessage());
                    requeue(use);
                }
            }
            backoffMillis = failed ? Math.min(MAX_BACKOFF.toMillis(), Math.max(500, backoffMillis * 2)) : 0;
            if (backoffMillis > 0) {
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void requeue(Pending use) {
        synchronized (pending) {
            // the earlier uses go first, so the first request stays the one in the spec
            pending.merge(use.namespace() + "/" + use.name(), use, (later, earlier) -> earlier.plus(later));
        }
    }

    private void write(Pending use) {
        String key = use.namespace() + "/" + use.name();
        Stored before = stored.get(key);
        if (before == null) {
            before = createOrRead(use);
        }
        Stored after = new Stored(
                before.count() + use.count(),
                before.firstSeen() != null
                        ? before.firstSeen()
                        : use.firstSeen().toString());
        HoneytokenAlertStatus status = new HoneytokenAlertStatus();
        status.count = after.count();
        status.firstSeen = after.firstSeen();
        status.lastSeen = use.lastSeen().toString();
        status.recentProcesses = null;
        String patch = Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
        client.resources(HoneytokenAlert.class)
                .inNamespace(use.namespace())
                .withName(use.name())
                .subresource("status")
                .patch(JSON_PATCH, patch);
        stored.put(key, after);
        try {
            event(use, after);
        } catch (KubernetesClientException e) {
            // the alert holds the count; an Event is a courtesy on the pod, not worth counting a use twice
            metrics.countAlert("event_failed");
            LOG.warn(
                    "decoy Event not written namespace={} alert={} code={} error={}",
                    use.namespace(),
                    use.name(),
                    e.getCode(),
                    e.getMessage());
        }
        LOG.info(
                "decoy credential used namespace={} pod={} container={} path={} source={} count={}",
                use.first().origin().namespace(),
                use.first().origin().pod(),
                use.first().origin().container(),
                use.first().origin().path(),
                use.first().source().getHostAddress(),
                after.count());
    }

    /** Creates the alert, or reads what an earlier run of the decoy stored under its name. */
    private Stored createOrRead(Pending use) {
        try {
            client.resources(HoneytokenAlert.class).resource(alert(use)).create();
            return new Stored(0, null);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        HoneytokenAlert existing = client.resources(HoneytokenAlert.class)
                .inNamespace(use.namespace())
                .withName(use.name())
                .get();
        HoneytokenAlertStatus status = existing == null ? null : existing.getStatus();
        return new Stored(
                status == null || status.count == null ? 0 : status.count, status == null ? null : status.firstSeen);
    }

    private void event(Pending use, Stored after) {
        DecoyOrigin origin = use.first().origin();
        String message = message(use.first());
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(use.name())
                .withNamespace(use.namespace())
                .endMetadata()
                .withType("Warning")
                .withReason(EVENT_REASON)
                .withMessage(message)
                .withNewInvolvedObject()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(origin.pod())
                .withNamespace(origin.namespace())
                .withUid(origin.podUid())
                .endInvolvedObject()
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(COMPONENT)
                .withFirstTimestamp(after.firstSeen())
                .withLastTimestamp(use.lastSeen().toString())
                .withCount((int) Math.min(Integer.MAX_VALUE, after.count()))
                .build();
        try {
            client.v1().events().resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("count", event.getCount());
            update.put("lastTimestamp", event.getLastTimestamp());
            client.v1()
                    .events()
                    .inNamespace(use.namespace())
                    .withName(use.name())
                    .patch(MERGE, Serialization.asJson(update));
        }
    }

    static HoneytokenAlert alert(Pending use) {
        DecoyOrigin origin = use.first().origin();
        HoneytokenAlertSpec spec = new HoneytokenAlertSpec();
        spec.access = Access.USE;
        spec.path = origin.path();
        spec.policy = origin.policy().isEmpty() ? null : origin.policy();
        spec.severity = severity(origin.severity());
        spec.node = origin.node();
        spec.pod = new PodRef();
        spec.pod.name = origin.pod();
        spec.pod.namespace = origin.namespace();
        spec.pod.uid = origin.podUid();
        spec.container = new ContainerRef();
        spec.container.name = origin.container();
        spec.detector = "decoy";
        spec.use = new CredentialUse();
        spec.use.source = use.first().source().getHostAddress();
        spec.use.userAgent = printable(use.first().userAgent());
        spec.use.method = printable(use.first().method());
        spec.use.requestPath = printable(use.first().requestPath());
        HoneytokenAlert alert = new HoneytokenAlert();
        alert.setMetadata(new ObjectMetaBuilder()
                .withName(use.name())
                .withNamespace(use.namespace())
                .withLabels(Map.of("app.kubernetes.io/managed-by", COMPONENT, "beesting.dev/access", "Use"))
                .build());
        alert.setSpec(spec);
        return alert;
    }

    /** The severity the credential sealed (its policy's when it was minted); high if it names none we know. */
    static Severity severity(String sealed) {
        for (Severity severity : Severity.values()) {
            if (severity.name().equalsIgnoreCase(sealed)) {
                return severity;
            }
        }
        return Severity.HIGH;
    }

    static String message(DecoyUses.Use use) {
        DecoyOrigin origin = use.origin();
        return printable("decoy credential of container " + origin.container() + " (token " + origin.path()
                + ", policy " + origin.policy() + ") used from " + use.source().getHostAddress() + ": " + use.method()
                + " " + use.requestPath()
                + " (" + use.userAgent() + ")");
    }

    /** One alert per (origin, source): the pod's name for people, a hash that never meets an Open alert's name. */
    public static String name(DecoyOrigin origin, String source) {
        String prefix = origin.pod().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (prefix.length() > NAME_PREFIX_MAX) {
            prefix = prefix.substring(0, NAME_PREFIX_MAX);
        }
        prefix = prefix.replaceAll("^-+|-+$", "");
        String hash =
                hash("use\n" + origin.podUid() + "\n" + origin.container() + "\n" + origin.path() + "\n" + source);
        return (prefix.isEmpty() ? "hta" : prefix) + "-use-" + hash;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a client chose, safe to print in a terminal: control characters become '?'. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (pending) {
            pending.notifyAll();
        }
        worker.interrupt();
    }
}
