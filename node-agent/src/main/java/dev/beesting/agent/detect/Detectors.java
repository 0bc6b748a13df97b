package dev.beesting.agent.detect;

import dev.beesting.agent.sys.NativeCalls;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the first tier that works on this kernel, and says why each one before it was refused. */
public final class Detectors {
    private static final Logger log = LoggerFactory.getLogger(Detectors.class);

    /** The preference order: blocking and cheapest first, syscall-wide cost and user-space answers last. */
    public static final List<Tier> DEFAULT_ORDER = List.of(Tier.values());

    private Detectors() {}

    /**
     * Opens a detector: {@code forced} if present (failing if it cannot run), else the first of {@code order} that
     * loads.
     *
     * @throws NoUsableTierException listing every refused tier with its reason
     */
    public static Detector open(List<Tier> order, Optional<Tier> forced, RateLimit limit) throws NoUsableTierException {
        List<Tier> candidates = forced.map(List::of).orElse(order);
        Map<Tier, String> refusals = new LinkedHashMap<>();
        for (Tier tier : candidates) {
            try {
                Detector detector = open(tier, limit);
                log.info("detector tier selected tier={} refused={}", tier.id(), refusals.keySet());
                return detector;
            } catch (IOException | RuntimeException e) {
                refusals.put(tier, e.getMessage());
                log.info("detector tier refused tier={} reason=\"{}\"", tier.id(), e.getMessage());
            }
        }
        throw new NoUsableTierException(refusals);
    }

    public static Detector open(List<Tier> order, Optional<Tier> forced) throws NoUsableTierException {
        return open(order, forced, RateLimit.DEFAULT);
    }

    /** Opens exactly one tier. */
    public static Detector open(Tier tier, RateLimit limit) throws IOException {
        // checked before any binding class initialises, so the refusal reads as one clear sentence
        NativeCalls.requireNativeAccess();
        return switch (tier) {
            case LSM, FENTRY, KPROBE, SYSCALL -> BpfDetector.load(tier, limit);
            case FANOTIFY -> FanotifyDetector.open(limit);
        };
    }
}
