package dev.beesting.operator.ops;

import dev.beesting.api.BuildInfo;
import dev.beesting.operator.policy.CompilationResult;
import dev.beesting.operator.policy.HoneytokenPolicyReconciler;
import dev.beesting.operator.policy.PolicyOutcome;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The operator's Prometheus metrics, JOSDK's reconcile counts and durations, and the JVM's; one registry per operator
 * so tests do not share counters.
 */
public final class OperatorMetrics implements HoneytokenPolicyReconciler.CompilationListener, Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram reconcileSeconds = Histogram.builder()
            .name("beesting_operator_reconcile_seconds")
            .help("Time of one reconcile, by controller and result (success or failure).")
            .labelNames("controller", "result")
            .register(registry);
    private final Counter reconcileFailures = Counter.builder()
            .name("beesting_operator_reconcile_failures_total")
            .help("Reconciles that threw (the framework retries them), by controller.")
            .labelNames("controller")
            .register(registry);
    private final Histogram compileSeconds = Histogram.builder()
            .name("beesting_operator_compile_seconds")
            .help("Time to compile all policies into the node configuration.")
            .register(registry);
    private final Gauge generation = Gauge.builder()
            .name("beesting_operator_node_config_generation")
            .help("Generation of the node configuration last compiled.")
            .register(registry);
    private final Gauge bytes = Gauge.builder()
            .name("beesting_operator_node_config_bytes")
            .help("Size of the node configuration last compiled.")
            .register(registry);
    private final Gauge policies = Gauge.builder()
            .name("beesting_operator_policies")
            .help("Policies by state: accepted (in the node configuration) or rejected.")
            .labelNames("state")
            .register(registry);
    private final Counter alertsDeleted = Counter.builder()
            .name("beesting_operator_alerts_deleted_total")
            .help("HoneytokenAlerts deleted by the retention setting.")
            .register(registry);

    public OperatorMetrics() {
        JvmMetrics.builder().register(registry);
        Info.builder()
                .name("beesting_build_info")
                .help("The running build: version and component.")
                .labelNames("version", "component")
                .register(registry)
                .addLabelValues(BuildInfo.version(), "operator");
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        long start = System.nanoTime();
        String result = "failure";
        try {
            T value = execution.execute();
            result = "success";
            return value;
        } catch (Exception e) {
            reconcileFailures.labelValues(execution.controllerName()).inc();
            throw e;
        } finally {
            reconcileSeconds.labelValues(execution.controllerName(), result).observe((System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public void compiled(CompilationResult result, long nanos) {
        compileSeconds.observe(nanos / 1e9);
        generation.set(result.config().generation());
        bytes.set(result.bytes());
        long accepted = result.outcomes().values().stream()
                .filter(PolicyOutcome.Compiled.class::isInstance)
                .count();
        policies.labelValues("accepted").set(accepted);
        policies.labelValues("rejected").set(result.outcomes().size() - accepted);
    }

    public void alertsDeleted(int count) {
        alertsDeleted.inc(count);
    }
}
