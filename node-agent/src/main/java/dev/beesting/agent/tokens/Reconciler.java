package dev.beesting.agent.tokens;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link TokenPlanter#reconcile()} on one background thread whenever asked. Requests that arrive while a pass
 * waits to start are folded into it; one arriving during a pass causes exactly one more, so the last change is
 * always seen. It remembers the node-config generation of the last pass that completed: the generation the agent has
 * fully applied, which the node status reports, and tells listeners when that generation changes.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final TokenPlanter planter;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("live-reconcile").factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong appliedGeneration = new AtomicLong();
    private final List<LongConsumer> appliedListeners = new CopyOnWriteArrayList<>();

    public Reconciler(TokenPlanter planter) {
        this.planter = planter;
    }

    /** Asks for a pass soon; returns at once. */
    public void request() {
        if (queued.compareAndSet(false, true)) {
            try {
                worker.execute(this::pass);
            } catch (RejectedExecutionException e) {
                queued.set(false); // closing
            }
        }
    }

    /** Completed passes, for tests and benchmarks that wait for the agent to settle. */
    public long passes() {
        return passes.get();
    }

    /**
     * The node-config generation every started container has been reconciled with: read when a pass starts, recorded
     * when it completes (a generation arriving during a pass is recorded by the pass it asks for). 0 before the
     * first pass.
     */
    public long appliedGeneration() {
        return appliedGeneration.get();
    }

    /**
     * Calls {@code listener} with each newly applied generation, on the reconcile thread, once the pass recorded it:
     * the node status reports a rollout's end at once instead of at its next periodic check.
     */
    public void onApplied(LongConsumer listener) {
        appliedListeners.add(listener);
    }

    private void pass() {
        queued.set(false);
        long start = System.nanoTime();
        try {
            long generation = planter.configGeneration();
            int changes = planter.reconcile();
            if (appliedGeneration.getAndSet(generation) != generation) {
                applied(generation);
            }
            if (changes > 0) {
                LOG.info(
                        "live reconcile done changes={} armed={} failures={} ms={}",
                        changes,
                        planter.armedCount(),
                        planter.failures(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        } catch (RuntimeException e) {
            LOG.error("live reconcile failed error={}", e.toString(), e);
        } finally {
            passes.incrementAndGet();
        }
    }

    private void applied(long generation) {
        for (LongConsumer listener : appliedListeners) {
            try {
                listener.accept(generation);
            } catch (RuntimeException e) {
                LOG.error("applied generation listener failed generation={} error={}", generation, e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
