package dev.beesting.agent.nri.ttrpc;

/** A ttrpc call ended with a non-OK status (gRPC status codes), sent by us or by the peer. */
public final class TtrpcStatusException extends Exception {
    public static final int INVALID_ARGUMENT = 3;
    public static final int DEADLINE_EXCEEDED = 4;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int UNIMPLEMENTED = 12;
    public static final int INTERNAL = 13;
    public static final int UNAVAILABLE = 14;

    private final int code;

    public TtrpcStatusException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    @Override
    public String getMessage() {
        return "ttrpc status " + code + ": " + super.getMessage();
    }

    /** The message without the code prefix, as it goes on the wire. */
    public String statusMessage() {
        return super.getMessage();
    }
}
