package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beesting.agent.metrics.AgentMetrics;
import dev.beesting.operator.ops.OperatorMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric that {@code config/monitoring}'s alert rules and Grafana dashboard query is one the agent or the
 * operator exports, so a renamed metric cannot leave an alert that never fires. The registries are built the way the
 * binaries build them.
 */
class MonitoringMetricsTest {
    private static final Path MONITORING = Path.of("../config/monitoring");
    /** Series Prometheus makes itself for every target. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$:.])[A-Za-z_:][\\w:]*");
    private static final Set<String> KEYWORDS =
            Set.of("bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "by", "without", "on", "ignoring");

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsExported() throws Exception {
        Set<String> exported = new TreeSet<>(PROMETHEUS_OWN);
        try (AgentMetrics agent = new AgentMetrics()) {
            exported.addAll(names(agent.registry()));
        }
        exported.addAll(names(new OperatorMetrics().registry()));

        List<String> expressions = new ArrayList<>();
        JsonNode rule = new ObjectMapper(new YAMLFactory())
                .readTree(MONITORING.resolve("prometheusrule.yaml").toFile());
        rule.at("/spec/groups")
                .forEach(group -> group.path("rules")
                        .forEach(r -> expressions.add(r.path("expr").asText())));
        JsonNode dashboard = new ObjectMapper()
                .readTree(MONITORING.resolve("beesting-dashboard.json").toFile());
        collectDashboardQueries(dashboard, expressions);
        assertThat(expressions).hasSizeGreaterThan(20);

        for (String expression : expressions) {
            Set<String> used = metricNames(expression);
            assertThat(used).as("metrics in %s", expression).isNotEmpty();
            assertThat(exported).as("exported metrics, for %s", expression).containsAll(used);
        }
    }

    @Test
    void metricNamesAreFoundInSelectorsAggregationsAndBinaryOperations() {
        assertThat(metricNames("""
                        label_replace(sum by (node, policy) ((increase(a_total{severity=~"high|x"}[5m]) > 0)
                          or (a_total unless a_total offset 5m)), "t", "$1", "severity", "(.*)")""")).containsExactly("a_total");
        assertThat(metricNames("b < on () group_left () max(c{job=\"x\"}) and bool d"))
                .containsExactly("b", "c", "d");
        assertThat(metricNames(
                        "histogram_quantile(0.99, sum by (le) (rate(h_bucket{node=~\"$node\"}[$__rate_interval])))"))
                .containsExactly("h_bucket");
    }

    /** Names a scrape shows: a counter's with {@code _total}, a histogram's series, an info's with {@code _info}. */
    private static Set<String> names(PrometheusRegistry registry) {
        Set<String> names = new TreeSet<>();
        for (MetricSnapshot snapshot : registry.scrape()) {
            String base = snapshot.getMetadata().getPrometheusName();
            switch (snapshot) {
                case CounterSnapshot c -> names.add(base + "_total");
                case InfoSnapshot i -> names.add(base + "_info");
                case HistogramSnapshot h -> names.addAll(List.of(base + "_bucket", base + "_count", base + "_sum"));
                case SummarySnapshot s -> names.addAll(List.of(base, base + "_count", base + "_sum"));
                default -> names.add(base);
            }
        }
        return names;
    }

    /** Panel targets ({@code expr}) and template variables ({@code label_values(SELECTOR, label)}). */
    private static void collectDashboardQueries(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else if (field.getKey().equals("definition")
                        && field.getValue().isTextual()) {
                    Matcher labelValues = Pattern.compile("label_values\\((.+),\\s*\\w+\\)")
                            .matcher(field.getValue().asText());
                    if (labelValues.matches()) {
                        into.add(labelValues.group(1));
                    }
                } else {
                    collectDashboardQueries(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectDashboardQueries(child, into));
        }
    }

    /**
     * The metric names in a PromQL expression: identifiers left once strings, label matchers, ranges, grouping
     * clauses and Grafana variables are taken out, less keywords and function names (those followed by a
     * parenthesis).
     */
    static Set<String> metricNames(String expression) {
        String bare = STRING.matcher(expression).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        bare = bare.replaceAll("\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean call = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!call && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
