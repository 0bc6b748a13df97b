package dev.beesting.agent.detect;

import dev.beesting.agent.sys.Libc;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the fanotify group's permission events, at once or held back a little. Every event read must be answered
 * exactly once: an open never answered waits until the group closes.
 */
final class FanotifyAnswers {
    private static final Logger log = LoggerFactory.getLogger(FanotifyAnswers.class);

    /**
     * How long an open past the rate limit waits for its answer. Each permission event costs the agent a read, a
     * stat and an answer, and a flooding opener asks again the moment it is answered: answered at once, one process
     * opening a token in a loop held the agent at 79 % of a core (19,300 opens/s, hack/bench-detect.sh on the 2-core
     * build VM). Held back 10 ms, the same flood ran at 98 opens/s and cost 7.6 %. The count stays exact because
     * every open is still an event; only the flooding opener waits.
     */
    static final long TARPIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Answers held back at most; beyond it (many flooding threads) opens are answered at once again. */
    static final int TARPIT_MAX = 256;

    /** An answer held back until {@code dueNanos}. */
    private record Held(int eventFd, boolean allow, long dueNanos) {}

    private final Fanotify group;
    // touched by the reader thread only; due times grow, so the head is always the next one due
    private final Deque<Held> held = new ArrayDeque<>();

    FanotifyAnswers(Fanotify group) {
        this.group = group;
    }

    /** Answers now and closes the event's descriptor. Any thread. */
    void answer(int eventFd, boolean allow) {
        try {
            group.respond(eventFd, allow);
        } catch (IOException e) {
            log.error("answering fanotify event failed fd={}", eventFd, e);
        } finally {
            Libc.close(eventFd);
        }
    }

    /** Answers {@link #TARPIT_NANOS} from now, or now when too many are held. Reader thread only. */
    void answerLate(int eventFd, boolean allow) {
        if (held.size() < TARPIT_MAX) {
            held.addLast(new Held(eventFd, allow, System.nanoTime() + TARPIT_NANOS));
        } else {
            answer(eventFd, allow);
        }
    }

    /** Answers the held opens that are due, or all of them. Reader thread only. */
    void answerHeld(boolean all) {
        long now = System.nanoTime();
        for (Held next; (next = held.peekFirst()) != null && (all || next.dueNanos() - now <= 0); ) {
            held.removeFirst();
            answer(next.eventFd(), next.allow());
        }
    }

    /** Until the next held answer is due (at least 1 ms: poll's unit), at most {@code pollMillis}. */
    int pollMillis(int pollMillis) {
        Held next = held.peekFirst();
        if (next == null) {
            return pollMillis;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(next.dueNanos() - System.nanoTime());
        return (int) Math.clamp(millis, 1, pollMillis);
    }
}
