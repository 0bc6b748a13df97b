package dev.beesting.operator.decoy;

import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.operator.CommonOptions;
import dev.beesting.operator.ops.OpsServer;
import dev.beesting.webhook.WebhookOptions;
import dev.beesting.webhook.WebhookSender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code beesting-operator decoy}: the decoy API server as its own process (Deployment {@code beesting-decoy}),
 * apart from the operator so that what faces attackers holds only its own two Secrets and the right to write alerts.
 */
@Command(
        name = "decoy",
        mixinStandardHelpOptions = true,
        description = "Serves the decoy Kubernetes API that Beesting's decoy credentials point at, and records every"
                + " use of one.")
public final class DecoyCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DecoyCommand.class);

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--service-name",
            defaultValue = "beesting-decoy",
            description = "The decoy's Service, whose DNS names its certificate carries (default: ${DEFAULT-VALUE}).")
    String serviceName;

    @Option(
            names = "--dns-name",
            description = "A further name for the certificate, e.g. of a decoy reachable from outside (repeatable).")
    List<String> extraNames = new ArrayList<>();

    @Option(
            names = "--address",
            defaultValue = "0.0.0.0",
            description = "Address of the decoy API (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--port", defaultValue = "8443", description = "Port of the decoy API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--rate",
            defaultValue = "5",
            description = "Requests per second one source address may make, sustained (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--burst",
            defaultValue = "20",
            description = "Requests one source address may make at once (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(
            names = "--key-refresh-seconds",
            defaultValue = "30",
            description = "How often the key Secret is read again, to follow a rotation (default: ${DEFAULT-VALUE}).")
    long keyRefreshSeconds;

    @Mixin
    WebhookOptions webhook = new WebhookOptions();

    /** The names a client inside the cluster may use for the Service, then the further ones. */
    public List<String> dnsNames() {
        String namespace = common.namespace();
        List<String> names = new ArrayList<>(List.of(
                serviceName,
                serviceName + "." + namespace,
                serviceName + "." + namespace + ".svc",
                serviceName + "." + namespace + ".svc.cluster.local"));
        names.addAll(extraNames);
        return names;
    }

    @Override
    public Integer call() throws Exception {
        Optional<WebhookSender.Settings> webhookSettings;
        try {
            webhookSettings = webhook.settings();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        limitTheJdkServer();
        Clock clock = Clock.systemUTC();
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            DecoySecrets secrets = new DecoySecrets(client, common.namespace(), new SecureRandom(), clock);
            AtomicReference<List<DecoyKey>> keys = new AtomicReference<>(secrets.ensureKeys());
            DecoyTls tls = secrets.ensureTls(dnsNames(), List.of());
            PrometheusRegistry registry = new PrometheusRegistry();
            DecoyMetrics metrics = new DecoyMetrics(registry);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            DecoyAlerts alerts = new DecoyAlerts(client, metrics, 10_000);
            Optional<DecoyWebhook> hook = webhookSettings.map(configured -> new DecoyWebhook(configured, metrics));
            DecoyUses uses = new DecoyUses(out::println, 10_000, (use, tally) -> {
                alerts.offer(use);
                hook.ifPresent(sender -> sender.offer(use, tally));
            });
            DecoyServer.Settings settings = new DecoyServer.Settings(
                    new InetSocketAddress(address, port), 16 * 1024, 4096, rate, burst, 10_000, 8);
            ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("decoy-keys").daemon(true).factory());
            CountDownLatch stopped = new CountDownLatch(1);
            InetSocketAddress opsAt = common.opsAddress(address).orElse(null);
            try (DecoyServer server =
                            DecoyServer.start(settings, tls.serverContext(), keys::get, uses, metrics, clock);
                    OpsServer ops = opsAt == null ? null : new OpsServer(opsAt, () -> true, () -> true, registry)) {
                refresh.scheduleWithFixedDelay(
                        () -> follow(secrets, keys), keyRefreshSeconds, keyRefreshSeconds, TimeUnit.SECONDS);
                LOG.info(
                        "decoy started namespace={} keys={} names={} webhook={}",
                        common.namespace(),
                        keys.get().stream().map(DecoyKey::id).toList(),
                        dnsNames(),
                        webhookSettings
                                .map(configured -> WebhookSender.redacted(configured.url()))
                                .orElse("off"));
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                stopped.await();
            } finally {
                refresh.shutdownNow();
                alerts.close();
                hook.ifPresent(DecoyWebhook::close);
            }
        }
        return 0;
    }

    private static void follow(DecoySecrets secrets, AtomicReference<List<DecoyKey>> keys) {
        List<DecoyKey> now = secrets.currentKeys();
        if (!now.isEmpty() && !now.equals(keys.get())) {
            keys.set(now);
            LOG.info(
                    "decoy keys changed keys={}", now.stream().map(DecoyKey::id).toList());
        }
    }

    /**
     * The JDK server's own limits, read once when its first server starts: a refused body is not drained (the
     * connection closes instead), and a client that trickles a request or never reads the answer is cut off.
     */
    static void limitTheJdkServer() {
        System.setProperty("sun.net.httpserver.drainAmount", "0");
        System.setProperty("sun.net.httpserver.maxReqHeaders", "64");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", "32768");
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "10");
    }
}
