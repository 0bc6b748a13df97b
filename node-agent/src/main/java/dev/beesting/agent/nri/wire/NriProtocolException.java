package dev.beesting.agent.nri.wire;

import java.io.IOException;

/** A peer broke the wire protocol (oversized or malformed frame); the connection carrying it is closed. */
final class NriProtocolException extends IOException {
    public NriProtocolException(String message) {
        super(message);
    }
}
