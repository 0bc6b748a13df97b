package dev.beesting.agent.nri.plugin;

import java.util.Set;

/** The pod and container lifecycle events a plugin can subscribe to; numbers are NRI's. */
public enum NriEvent {
    RUN_POD_SANDBOX(1),
    STOP_POD_SANDBOX(2),
    REMOVE_POD_SANDBOX(3),
    CREATE_CONTAINER(4),
    POST_CREATE_CONTAINER(5),
    START_CONTAINER(6),
    POST_START_CONTAINER(7),
    UPDATE_CONTAINER(8),
    POST_UPDATE_CONTAINER(9),
    STOP_CONTAINER(10),
    REMOVE_CONTAINER(11);

    private final int number;

    NriEvent(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Bit of this event in the subscription mask of a ConfigureResponse. */
    public int mask() {
        return 1 << (number - 1);
    }

    public static int mask(Set<NriEvent> events) {
        return events.stream().mapToInt(NriEvent::mask).reduce(0, (a, b) -> a | b);
    }

    public static NriEvent of(int number) {
        for (NriEvent event : values()) {
            if (event.number == number) {
                return event;
            }
        }
        throw new IllegalArgumentException("unknown NRI event " + number);
    }
}
