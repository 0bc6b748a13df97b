package dev.beesting.agent.nri.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtrpcFrameDecoderTest {
    private final TtrpcFrameDecoder decoder = new TtrpcFrameDecoder();
    private final List<TtrpcFrame> frames = new ArrayList<>();

    @Test
    void encodingWritesTheTenByteBigEndianHeaderBeforeThePayload() {
        ByteBuffer encoded =
                new TtrpcFrame(3, TtrpcFrame.TYPE_REQUEST, TtrpcFrame.FLAG_REMOTE_CLOSED, bytes("hey")).encode();

        assertThat(encoded.remaining()).isEqualTo(13);
        assertThat(encoded.array()).startsWith(0, 0, 0, 3, 0, 0, 0, 3, 1, 1, 'h', 'e', 'y');
    }

    @Test
    void frameArrivingOneByteAtATimeIsReassembled() throws Exception {
        ByteBuffer encoded = frame(7, "split across many chunks").encode();

        while (encoded.hasRemaining()) {
            decoder.feed(encoded.slice(encoded.position(), 1), frames::add);
            encoded.position(encoded.position() + 1);
        }

        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.streamId()).isEqualTo(7);
            assertThat(text(f)).isEqualTo("split across many chunks");
        });
        assertThat(decoder.pending()).isZero();
    }

    @Test
    void severalFramesInOneChunkComeOutInOrder() throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(100);
        chunk.put(frame(1, "one").encode())
                .put(frame(3, "").encode())
                .put(frame(5, "three").encode());
        ByteBuffer partialFourth = frame(7, "four").encode().limit(12);
        chunk.put(partialFourth).flip();

        decoder.feed(chunk, frames::add);

        assertThat(frames).extracting(TtrpcFrame::streamId).containsExactly(1, 3, 5);
        assertThat(frames).extracting(TtrpcFrameDecoderTest::text).containsExactly("one", "", "three");
        assertThat(decoder.pending()).isEqualTo(12);
    }

    @Test
    void frameAboveFourMebibytesIsRejectedFromItsHeaderAlone() {
        ByteBuffer header = ByteBuffer.allocate(10)
                .putInt((4 << 20) + 1)
                .putInt(1)
                .put((byte) 1)
                .put((byte) 0);

        assertThatThrownBy(() -> decoder.feed(header.flip(), frames::add))
                .isInstanceOf(NriProtocolException.class)
                .hasMessageContaining("exceeds");
        assertThat(frames).isEmpty();
    }

    @Test
    void frameOfExactlyFourMebibytesIsAccepted() throws Exception {
        decoder.feed(frame(1, "x".repeat(4 << 20)).encode(), frames::add);

        assertThat(frames).singleElement().extracting(f -> f.payload().length).isEqualTo(4 << 20);
    }

    @Test
    void sendingAFrameAboveTheLimitIsRefused() {
        assertThatThrownBy(() -> new TtrpcFrame(1, TtrpcFrame.TYPE_RESPONSE, (byte) 0, new byte[(4 << 20) + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TtrpcFrame frame(int streamId, String payload) {
        return new TtrpcFrame(streamId, TtrpcFrame.TYPE_REQUEST, (byte) 0, bytes(payload));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(TtrpcFrame frame) {
        return new String(frame.payload(), StandardCharsets.UTF_8);
    }
}
