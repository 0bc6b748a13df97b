package dev.beesting.operator.bench;

import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicySpec;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.LabelSelectorRequirement;
import dev.beesting.api.v1alpha1.TokenContent;
import dev.beesting.api.v1alpha1.TokenSpec;
import dev.beesting.operator.policy.CompilationResult;
import dev.beesting.operator.policy.NodeConfigCompiler;
import dev.beesting.operator.policy.PolicyInputs;
import dev.beesting.operator.policy.PolicyOutcome;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles N policies against M namespaces (default 1,000 and 5,000) and prints time and memory. Each policy selects
 * one of 500 teams (about ten namespaces) and every tenth also excludes a tier with NotIn, so selectors do real work
 * while the config stays under the Secret limit. Run with {@code hack/bench-operator.sh}.
 */
public final class CompileBenchmark {
    private CompileBenchmark() {}

    public static void main(String[] args) {
        int policies = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        PolicyInputs inputs = inputs(policies, namespaces);
        NodeConfigCompiler compiler = new NodeConfigCompiler();

        CompilationResult result = compiler.compile(inputs); // warm-up: class loading and JIT
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            result = compiler.compile(inputs);
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long accepted = result.outcomes().values().stream()
                .filter(PolicyOutcome.Compiled.class::isInstance)
                .count();
        long matches = result.config().policies().stream()
                .mapToLong(p -> p.namespaces().size())
                .sum();
        System.out.printf(
                "policies=%d namespaces=%d accepted=%d namespaceMatches=%d configBytes=%d%n",
                policies, namespaces, accepted, matches, result.bytes());
        System.out.printf(
                "compile ms: min=%.1f median=%.1f max=%.1f over %d rounds (after one warm-up)%n",
                nanos[0] / 1e6, nanos[rounds / 2] / 1e6, nanos[rounds - 1] / 1e6, rounds);
        System.out.printf(
                "heap after GC: used=%.1f MiB committed=%.1f MiB; peak RSS see /usr/bin/time%n",
                heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0);
    }

    static PolicyInputs inputs(int policyCount, int namespaceCount) {
        Map<String, Map<String, String>> namespaces = new HashMap<>();
        for (int i = 0; i < namespaceCount; i++) {
            namespaces.put(
                    "ns-" + i,
                    Map.of(
                            "kubernetes.io/metadata.name", "ns-" + i,
                            "team", "team-" + (i % 500),
                            "tier", i % 3 == 0 ? "frontend" : "backend"));
        }
        List<HoneytokenPolicy> policies = new ArrayList<>();
        for (int i = 0; i < policyCount; i++) {
            HoneytokenPolicy policy = new HoneytokenPolicy();
            policy.setMetadata(new ObjectMetaBuilder()
                    .withName("policy-" + i)
                    .withUid("00000000-0000-0000-0000-" + String.format("%012d", i))
                    .withGeneration(1L)
                    .withCreationTimestamp("2025-01-01T00:00:00Z")
                    .build());
            HoneytokenPolicySpec spec = new HoneytokenPolicySpec();
            spec.namespaceSelector = new LabelSelector(
                    Map.of("team", "team-" + (i % 500)),
                    i % 10 == 0 ? List.of(new LabelSelectorRequirement("tier", "NotIn", List.of("frontend"))) : null);
            spec.tokens = List.of(
                    new TokenSpec("/root/.aws/credentials", TokenContent.template("{{awsAccessKeyId}}")),
                    new TokenSpec("/etc/app/token-" + i, TokenContent.literal("bait-" + i)));
            policy.setSpec(spec);
            policies.add(policy);
        }
        return PolicyInputs.of("beesting-system", policies, namespaces, Map.of());
    }
}
