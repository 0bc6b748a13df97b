package dev.beesting.agent.nri.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reassembles ttrpc frames from the byte stream of one multiplexed connection, where a frame may span several
 * multiplexer chunks and one chunk may hold several frames. Not thread-safe: fed by the multiplexer's reader only.
 */
final class TtrpcFrameDecoder {
    private byte[] buffer = new byte[4096];
    private int start;
    private int end;

    /** Appends {@code chunk} and hands every complete frame to {@code frames}, in order. */
    void feed(ByteBuffer chunk, Consumer<TtrpcFrame> frames) throws NriProtocolException {
        append(chunk);
        while (end - start >= TtrpcFrame.HEADER_LENGTH) {
            ByteBuffer header = ByteBuffer.wrap(buffer, start, TtrpcFrame.HEADER_LENGTH);
            int length = header.getInt();
            if (length < 0 || length > TtrpcFrame.MAX_PAYLOAD) {
                // the rest of the stream cannot be trusted to be aligned on frames any more
                throw new NriProtocolException("ttrpc frame of " + Integer.toUnsignedString(length)
                        + " bytes exceeds the limit of " + TtrpcFrame.MAX_PAYLOAD + " bytes");
            }
            if (end - start < TtrpcFrame.HEADER_LENGTH + length) {
                return;
            }
            int streamId = header.getInt();
            byte type = header.get();
            byte flags = header.get();
            int payloadStart = start + TtrpcFrame.HEADER_LENGTH;
            byte[] payload = Arrays.copyOfRange(buffer, payloadStart, payloadStart + length);
            start = payloadStart + length;
            if (start == end) {
                start = end = 0;
            }
            frames.accept(new TtrpcFrame(streamId, type, flags, payload));
        }
    }

    /** Bytes received that do not form a whole frame yet. */
    int pending() {
        return end - start;
    }

    private void append(ByteBuffer chunk) {
        int incoming = chunk.remaining();
        if (end + incoming > buffer.length) {
            int live = end - start;
            if (live + incoming > buffer.length) {
                buffer = Arrays.copyOfRange(buffer, start, start + Math.max(2 * buffer.length, live + incoming));
            } else {
                System.arraycopy(buffer, start, buffer, 0, live);
            }
            start = 0;
            end = live;
        }
        chunk.get(buffer, end, incoming);
        end += incoming;
    }
}
