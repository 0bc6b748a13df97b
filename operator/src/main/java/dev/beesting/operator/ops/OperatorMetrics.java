package dev.beesting.operator.ops;

import dev.beesting.operator.policy.CompilationResult;
import dev.beesting.operator.policy.HoneytokenPolicyReconciler;
import dev.beesting.operator.policy.PolicyOutcome;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The operator's Prometheus metrics; one registry per operator so tests do not share counters. */
public final class OperatorMetrics implements HoneytokenPolicyReconciler.CompilationListener {
    private final PrometheusRegistry registry = new PrometheusRegistry();
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

    public PrometheusRegistry registry() {
        return registry;
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
