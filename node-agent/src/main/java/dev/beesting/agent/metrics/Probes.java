package dev.beesting.agent.metrics;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the agent's {@code /readyz} and {@code /healthz} check: named conditions, each true while fine. A probe answers
 * 200 when all hold and 503 naming those that do not, so {@code kubectl describe pod} says what is wrong.
 *
 * @param readiness may this agent count as protecting its node (registered with NRI, detector armed)
 * @param liveness are its loops alive (a failing one makes the kubelet restart the agent)
 */
public record Probes(List<Check> readiness, List<Check> liveness) {
    /** No conditions: both probes answer 200 while the process serves. */
    public static final Probes NONE = new Probes(List.of(), List.of());

    public Probes {
        readiness = List.copyOf(readiness);
        liveness = List.copyOf(liveness);
    }

    /** One condition; a check that throws counts as failing. */
    public record Check(String name, BooleanSupplier ok) {
        boolean holds() {
            try {
                return ok.getAsBoolean();
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** The names of the checks that fail, in order. */
    static List<String> failing(List<Check> checks) {
        return checks.stream().filter(c -> !c.holds()).map(Check::name).toList();
    }
}
