package dev.beesting.agent.retry;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual thread that runs a step, then waits as long as the step asked or until {@link #wake()}d, until stopped;
 * the background writers' loop. Wakes that arrive during a step are folded into one.
 */
public final class PacedLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PacedLoop.class);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    private final Semaphore wake = new Semaphore(0);
    private final Thread worker;
    private volatile boolean running = true;
    /** {@link System#nanoTime()} when the running step began; {@link #WAITING} between steps. */
    private volatile long stepStarted = WAITING;

    private static final long WAITING = Long.MIN_VALUE;

    /**
     * @param name the thread's name
     * @param step one round of work; returns how long to wait before the next
     * @param last runs once after the loop stopped, on the loop's thread (a final flush)
     */
    public PacedLoop(String name, Supplier<Duration> step, Runnable last) {
        this.worker = Thread.ofVirtual().name(name).unstarted(() -> {
            run(step);
            last.run();
        });
    }

    /** Starts the loop; separate from construction so the owner can finish its own before the first step. */
    public PacedLoop start() {
        worker.start();
        return this;
    }

    /** Runs the next step now instead of after the wait. */
    public void wake() {
        wake.release();
    }

    /**
     * Asks the loop to stop and waits for it (and its last action) to end; interrupts it when that takes longer than
     * {@code timeout}.
     *
     * @return whether it ended in time
     */
    public boolean stop(Duration timeout) {
        running = false;
        wake.release();
        try {
            if (worker.join(timeout)) {
                return true;
            }
            worker.interrupt();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * For a liveness probe: the loop has started and not ended, and is either waiting for its next step or in a step
     * that began less than {@code maxStep} ago. A loop whose thread died, or whose step hangs, is not alive.
     */
    public boolean alive(Duration maxStep) {
        if (!worker.isAlive()) {
            return false;
        }
        long started = stepStarted;
        return started == WAITING || System.nanoTime() - started < maxStep.toNanos();
    }

    private void run(Supplier<Duration> step) {
        while (running) {
            Duration wait;
            stepStarted = System.nanoTime();
            try {
                wait = step.get();
            } catch (RuntimeException e) {
                // a step's failure (bad input from outside, a bug) must never end the loop: log it and go on
                LOG.error(
                        "loop step failed, running it again later loop={} error={}", worker.getName(), e.toString(), e);
                wait = AFTER_FAILURE;
            } finally {
                stepStarted = WAITING;
            }
            try {
                if (wait.isPositive()) {
                    wake.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
