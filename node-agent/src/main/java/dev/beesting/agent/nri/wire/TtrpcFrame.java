package dev.beesting.agent.nri.wire;

import java.nio.ByteBuffer;

/**
 * One ttrpc message: a 10-byte header (big-endian payload length, stream id, type, flags) and its payload.
 *
 * <p>ttrpc refuses payloads above 4 MiB; the same limit applies to what we send and what we accept.
 */
public record TtrpcFrame(int streamId, byte type, byte flags, byte[] payload) {
    public static final int HEADER_LENGTH = 10;
    public static final int MAX_PAYLOAD = 4 << 20;

    public static final byte TYPE_REQUEST = 1;
    public static final byte TYPE_RESPONSE = 2;
    public static final byte TYPE_DATA = 3;

    /** The sender will send nothing more on this stream; set on unary requests. */
    public static final byte FLAG_REMOTE_CLOSED = 0x1;

    public TtrpcFrame {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "ttrpc payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD + " bytes");
        }
    }

    /** Header and payload in one buffer, ready to write. */
    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
        out.putInt(payload.length).putInt(streamId).put(type).put(flags).put(payload);
        return out.flip();
    }
}
