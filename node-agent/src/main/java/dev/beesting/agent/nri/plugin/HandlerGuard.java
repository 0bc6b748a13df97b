package dev.beesting.agent.nri.plugin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs handler calls so that they can neither fail nor stall a runtime request: each runs on its own virtual
 * thread with a time budget; an exception or an overrun is logged, counted and replaced by a fallback answer.
 */
final class HandlerGuard {
    private static final Logger log = LoggerFactory.getLogger(HandlerGuard.class);

    private final NriStats stats;
    private volatile Duration budget;

    HandlerGuard(Duration budget, NriStats stats) {
        this.budget = budget;
        this.stats = stats;
    }

    /** Keeps the budget at most half the runtime's own timeout, so our answer always arrives in time. */
    void fitInto(Duration runtimeRequestTimeout) {
        Duration half = runtimeRequestTimeout.dividedBy(2);
        if (half.compareTo(budget) < 0) {
            log.info("shortening NRI handler budget budget={} runtimeTimeout={}", half, runtimeRequestTimeout);
            budget = half;
        }
    }

    Duration budget() {
        return budget;
    }

    /** The handler's answer, or {@code fallback} if it threw or overran its budget. */
    <T> T call(String what, Callable<T> call, T fallback) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread.ofVirtual().name("nri-handler-" + what).start(task);
        Duration limit = budget;
        try {
            return task.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!task.cancel(true)) {
                // it finished between the timeout and the cancel: its answer is what it recorded, so send it
                return completed(what, task, fallback);
            }
            stats.handlerTimedOut();
            log.warn("NRI handler overran its budget, answering without it call={} budget={}", what, limit);
        } catch (ExecutionException e) {
            stats.handlerFailed();
            log.error("NRI handler failed, answering without it call={}", what, e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            log.warn("interrupted waiting for NRI handler call={}", what);
        }
        return fallback;
    }

    private <T> T completed(String what, FutureTask<T> task, T fallback) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            stats.handlerFailed();
            log.error("NRI handler failed, answering without it call={}", what, e.getCause());
        } catch (CancellationException | InterruptedException e) {
            log.warn("NRI handler answer lost call={}", what);
        }
        return fallback;
    }

    void run(String what, Runnable call) {
        call(
                what,
                () -> {
                    call.run();
                    return null;
                },
                null);
    }
}
