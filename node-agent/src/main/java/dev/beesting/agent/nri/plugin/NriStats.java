package dev.beesting.agent.nri.plugin;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the NRI plugin, for metrics and tests. */
public final class NriStats {
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong createContainerCalls = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong handlerTimeouts = new AtomicLong();
    private final AtomicLong synchronizations = new AtomicLong();

    /** Times the runtime accepted our registration. */
    public long registrations() {
        return registrations.get();
    }

    /** Times an established connection to the runtime ended. */
    public long disconnects() {
        return disconnects.get();
    }

    public long createContainerCalls() {
        return createContainerCalls.get();
    }

    /** Handler calls that threw; each was answered with no adjustment. */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    /** Handler calls that overran their budget; each was answered with no adjustment. */
    public long handlerTimeouts() {
        return handlerTimeouts.get();
    }

    /** Complete Synchronize rounds handed to the handler. */
    public long synchronizations() {
        return synchronizations.get();
    }

    void registered() {
        registrations.incrementAndGet();
    }

    void disconnected() {
        disconnects.incrementAndGet();
    }

    void createContainerCalled() {
        createContainerCalls.incrementAndGet();
    }

    void handlerFailed() {
        handlerFailures.incrementAndGet();
    }

    void handlerTimedOut() {
        handlerTimeouts.incrementAndGet();
    }

    void synchronizedAll() {
        synchronizations.incrementAndGet();
    }
}
