package dev.beesting.operator.policy;

import static dev.beesting.operator.policy.Policies.literal;
import static dev.beesting.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The claim of node config v4, checked against the compiler's own writes: whatever the lag between an agent's two
 * watches (the index, and the objects in the order they were written), a config the agent assembles at a generation
 * the operator finished a change at is exactly the operator's config of that change, and what it assembles never
 * goes back or past what was written. Random changes (edits, several policies at once, additions, removals), every
 * pair of watch positions after each.
 */
class NodeConfigV4ConsistencyTest {
    private static final String[] NAMES = {"a", "b", "c", "d", "e"};

    private final NodeConfigCompiler compiler = new NodeConfigCompiler();

    /** One event of the objects' watch: a write, or a deletion (null). */
    private record ObjectEvent(String secret, PolicyObject.Stored object) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anAssembledConfigIsTheOperatorsConfigAtItsGeneration(long seed) {
        Random random = new Random(seed);
        Map<String, HoneytokenPolicy> live = new TreeMap<>();
        List<ObjectEvent> objectEvents = new ArrayList<>();
        List<NodeConfigIndex> indexEvents = new ArrayList<>();
        Map<Long, NodeConfig> finished = new HashMap<>(); // generation a change ended at -> the config of that change
        Map<String, PolicyObject.Stored> stored = new HashMap<>();
        NodeConfigIndex storedIndex = null;
        long written = 0;

        for (int change = 0; change < 25; change++) {
            mutate(random, live, change);
            PolicyInputs inputs = PolicyInputs.of(
                            "beesting-system", List.copyOf(live.values()), Map.of("cms", Map.of()), Map.of())
                    .withFormats(new StoredFormats(false, false, true));
            if (storedIndex != null) {
                inputs = inputs.withStoredV4(storedIndex, stored);
            }
            CompilationResult result = compiler.compile(inputs);
            // the operator's order: changed objects by generation, the index, then deletions
            Map<String, PolicyObject.Stored> desired = new HashMap<>();
            result.objects().forEach((policy, object) -> desired.put(PolicyObject.secretName(policy), object));
            desired.entrySet().stream()
                    .filter(e -> !e.getValue().equals(stored.get(e.getKey())))
                    .sorted(java.util.Comparator.comparingLong(e -> e.getValue().generation()))
                    .forEach(e -> objectEvents.add(new ObjectEvent(e.getKey(), e.getValue())));
            if (!result.index().equals(storedIndex)) {
                indexEvents.add(result.index());
            }
            stored.keySet().stream()
                    .filter(secret -> !desired.containsKey(secret))
                    .sorted()
                    .forEach(secret -> objectEvents.add(new ObjectEvent(secret, null)));
            stored.clear();
            stored.putAll(desired);
            storedIndex = result.index();
            assertThat(result.config().generation()).isGreaterThanOrEqualTo(written);
            written = result.config().generation();
            finished.put(written, result.config());

            checkEveryView(objectEvents, indexEvents, finished, written);
        }
    }

    /** Adds, removes or edits one or two policies. */
    private static void mutate(Random random, Map<String, HoneytokenPolicy> live, int change) {
        int edits = live.isEmpty() ? 1 : 1 + random.nextInt(2);
        for (int i = 0; i < edits; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            HoneytokenPolicy policy = live.get(name);
            if (policy == null) {
                live.put(name, policy(name, "2025-01-01T00:00:00Z", null, literal("/" + name, "v" + change)));
            } else if (random.nextInt(4) == 0) {
                live.remove(name);
            } else {
                policy.getSpec().tokens.getFirst().content.value = "v" + change + "-" + i;
                policy.getMetadata().setGeneration(policy.getMetadata().getGeneration() + 1);
            }
        }
    }

    /** Every pair of positions of the two watches, as an agent may hold them. */
    private static void checkEveryView(
            List<ObjectEvent> objectEvents,
            List<NodeConfigIndex> indexEvents,
            Map<Long, NodeConfig> finished,
            long written) {
        for (int i = 1; i <= indexEvents.size(); i++) {
            NodeConfigIndex index = indexEvents.get(i - 1);
            Map<String, PolicyObject.Stored> held = new HashMap<>();
            long previous = -1;
            for (int o = 0; o <= objectEvents.size(); o++) {
                if (o > 0) {
                    ObjectEvent event = objectEvents.get(o - 1);
                    if (event.object() == null) {
                        held.remove(event.secret());
                    } else {
                        held.put(event.secret(), event.object());
                    }
                }
                if (index.assemble(name -> Optional.ofNullable(held.get(name)))
                        instanceof NodeConfigIndex.Assembly.Complete(NodeConfig config)) {
                    assertThat(config.generation()).isLessThanOrEqualTo(written);
                    assertThat(config.generation())
                            .as("a later position of the objects' watch never goes back")
                            .isGreaterThanOrEqualTo(previous);
                    previous = config.generation();
                    NodeConfig operator = finished.get(config.generation());
                    if (operator != null) {
                        assertThat(config.policies())
                                .as("index %d, %d object events", index.generation(), o)
                                .isEqualTo(operator.policies());
                    }
                }
            }
        }
    }
}
