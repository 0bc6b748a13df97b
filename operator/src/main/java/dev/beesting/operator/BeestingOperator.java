package dev.beesting.operator;

import dev.beesting.operator.alert.AlertRetention;
import dev.beesting.operator.ops.OperatorMetrics;
import dev.beesting.operator.ops.OpsServer;
import dev.beesting.operator.policy.HoneytokenPolicyReconciler;
import dev.beesting.operator.policy.NodeConfigCompiler;
import dev.beesting.operator.policy.PolicyEvents;
import dev.beesting.operator.policy.PolicyStatusFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The assembled operator: JOSDK with the policy controller, leader election, ops endpoints and alert retention. */
public final class BeestingOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BeestingOperator.class);

    private final OperatorSettings settings;
    private final OperatorMetrics metrics = new OperatorMetrics();
    private final Operator operator;
    private final Optional<AlertRetention> retention;
    private final CompletableFuture<Void> leadershipLost = new CompletableFuture<>();
    private volatile boolean closing;
    private OpsServer ops;

    public BeestingOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
        this.settings = settings;
        this.retention = settings.alertRetention()
                .map(duration -> new AlertRetention(client, duration, clock, metrics::alertsDeleted));
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(metrics)
                    // JSON merge patches everywhere: simple to reason about, and the fabric8 mock speaks no SSA
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    // every reconcile recompiles everything: in parallel they would only race on the one Secret
                    .withConcurrentReconciliationThreads(1);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection());
            }
        });
        operator.register(new HoneytokenPolicyReconciler(
                settings.namespace(),
                settings.policyNamespace(),
                settings.clusterName(),
                new NodeConfigCompiler(),
                new PolicyStatusFactory(clock),
                new PolicyEvents(client, clock),
                metrics));
    }

    private LeaderElectionConfiguration leaderElection() {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    LOG.info("became leader lease={} identity={}", settings.leaseName(), settings.identity());
                    retention.ifPresent(AlertRetention::start);
                },
                () -> {
                    if (!closing) {
                        // another replica may already reconcile: this one must stop, see leadershipLost()
                        LOG.error("lost the lease lease={} identity={}", settings.leaseName(), settings.identity());
                        retention.ifPresent(AlertRetention::close);
                        leadershipLost.complete(null);
                    }
                },
                leader -> LOG.info("leader is identity={}", leader));
        return new LeaderElectionConfiguration(
                settings.leaseName(),
                settings.namespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                settings.identity(),
                callbacks,
                // not JOSDK's System.exit: that would hang when it runs inside a shutdown hook; the main thread
                // exits instead when leadershipLost() completes, and Kubernetes restarts it as a fresh candidate
                false);
    }

    public BeestingOperator start() {
        settings.opsAddress().ifPresent(address -> {
            try {
                ops = new OpsServer(address, this::healthy, this::ready, metrics.registry());
            } catch (IOException e) {
                throw new UncheckedIOException("failed to serve health and metrics on " + address + ": " + e, e);
            }
        });
        operator.start();
        if (!settings.leaderElection()) {
            retention.ifPresent(AlertRetention::start);
        }
        LOG.info(
                "operator started namespace={} leaderElection={} alertRetention={}",
                settings.namespace(),
                settings.leaderElection(),
                settings.alertRetention().map(Object::toString).orElse("off"));
        return this;
    }

    /** Alive unless an informer of a started controller failed. */
    public boolean healthy() {
        var info = operator.getRuntimeInfo();
        return !info.isStarted() || info.allEventSourcesAreHealthy();
    }

    /** Ready once started; a standby replica is ready too, it only waits for the Lease. */
    public boolean ready() {
        return operator.getRuntimeInfo().isStarted();
    }

    /** Completes when this replica led and lost the Lease: it must exit, as another replica may lead now. */
    public CompletableFuture<Void> leadershipLost() {
        return leadershipLost;
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    public Optional<OpsServer> ops() {
        return Optional.ofNullable(ops);
    }

    @Override
    public void close() {
        closing = true;
        retention.ifPresent(AlertRetention::close);
        operator.stop();
        if (ops != null) {
            ops.close();
        }
    }
}
