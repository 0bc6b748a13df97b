package dev.beesting.agent.detect;

import dev.beesting.agent.sys.NativeCalls;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the first tier that works on this kernel, and logs why it was taken and why each one before it was refused. */
public final class Detectors {
    private static final Logger log = LoggerFactory.getLogger(Detectors.class);

    /**
     * The preference order, by coverage first, then by measured cost on opens of unmarked files. The hook tiers see
     * every open, io_uring's included, and cost only a hash lookup per open. {@code fanotify} sees every open too
     * and costs nothing on unmarked files (about +2 % per open+close measured), but the opener of an armed file
     * waits for the agent. {@code syscall} is blind to io_uring and costs every syscall of the node (about +25 % per
     * open+close measured), so it is the last resort.
     */
    public static final List<Tier> DEFAULT_ORDER =
            List.of(Tier.LSM, Tier.FENTRY, Tier.KPROBE, Tier.FANOTIFY, Tier.SYSCALL);

    private Detectors() {}

    /**
     * Opens a detector: {@code forced} if present (failing if it cannot run), else the first of {@code order} that
     * loads.
     *
     * @throws NoUsableTierException listing every refused tier with its reason
     */
    public static Detector open(List<Tier> order, Optional<Tier> forced, RateLimit limit) throws NoUsableTierException {
        List<Tier> candidates = forced.map(List::of).orElse(order);
        String why = forced.isPresent()
                ? "forced with --tier"
                : "first that loads here of " + order.stream().map(Tier::id).collect(Collectors.joining(", "));
        Map<Tier, String> refusals = new LinkedHashMap<>();
        for (Tier tier : candidates) {
            String refusal;
            try {
                Detector detector = open(tier, limit);
                log.info(
                        "detector tier selected tier={} reason=\"{}\" refused={}",
                        tier.id(),
                        why,
                        refusals.keySet().stream().map(Tier::id).toList());
                return detector;
            } catch (IOException | RuntimeException e) {
                refusal = e.getMessage();
            } catch (LinkageError e) {
                // a native binding that cannot initialise refuses its tier; the tiers after it may still work
                refusal = "cannot link the native calls of this tier: " + e;
            }
            refusals.put(tier, refusal);
            log.info("detector tier refused tier={} reason=\"{}\"", tier.id(), refusal);
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
