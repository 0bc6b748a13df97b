package dev.beesting.agent.metrics;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the liveness probe: whether the detector's reader thread (the BPF tiers' ring-buffer poller, the fanotify
 * reader) still runs. That loop ends for good when a poll or read fails, leaving the agent up but blind. The
 * {@code Detector} interface does not say whether its loop runs, so this finds the platform thread by the name the
 * tiers give it, once the detector started. When none is found (a tier named its thread otherwise) it logs that once
 * and answers true: a probe that cannot tell must not restart a working agent.
 */
public final class DetectorThread implements BooleanSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorThread.class);
    /** The names the detector tiers give their reader threads. */
    static final Predicate<String> READER =
            name -> name.startsWith("beesting-bpf-") || name.equals("beesting-fanotify");

    private final Optional<Thread> reader;

    DetectorThread(Optional<Thread> reader) {
        this.reader = reader;
    }

    /** Finds the reader thread of the detector started in this process; call after the detector started. */
    public static DetectorThread find() {
        Optional<Thread> reader = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> READER.test(thread.getName()))
                .findFirst();
        if (reader.isEmpty()) {
            LOG.warn("detector reader thread not found, the liveness probe cannot watch it");
        }
        return new DetectorThread(reader);
    }

    /** True while the reader thread runs, or when it could not be found. */
    @Override
    public boolean getAsBoolean() {
        return reader.map(Thread::isAlive).orElse(true);
    }
}
