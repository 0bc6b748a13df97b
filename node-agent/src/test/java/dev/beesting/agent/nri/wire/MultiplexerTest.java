package dev.beesting.agent.nri.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MultiplexerTest {
    private final List<String> one = new CopyOnWriteArrayList<>();
    private final List<String> two = new CopyOnWriteArrayList<>();

    @Test
    void interleavedChunksReachTheirOwnConnectionInOrder() {
        Multiplexer mux = muxReading(3, chunk(1, "a1"), chunk(2, "b1"), chunk(1, "a2"), chunk(2, "b2"), chunk(1, "a3"));

        await().until(() -> mux.closed().isDone());

        assertThat(one).containsExactly("a1", "a2", "a3");
        assertThat(two).containsExactly("b1", "b2");
        assertThat(mux.closed()).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void chunksForConnectionsNobodyOpenedAreDropped() {
        Multiplexer mux = muxReading(8, chunk(0, "reserved"), chunk(7, "unknown"), chunk(1, "kept"));

        await().until(() -> mux.closed().isDone());

        assertThat(one).containsExactly("kept");
        assertThat(mux.closed()).isNotCompletedExceptionally();
    }

    @Test
    void chunkAboveTheLimitClosesTheTrunkWithAProtocolError() {
        ByteBuffer huge = ByteBuffer.allocate(8)
                .putInt(1)
                .putInt(Multiplexer.MAX_READ_PAYLOAD + 1)
                .flip();
        Multiplexer mux = muxReading(8, chunk(1, "before"), huge, chunk(1, "after"));

        await().until(() -> mux.closed().isDone());

        assertThat(mux.closed()).isCompletedExceptionally();
        assertThat(mux.closed().exceptionNow()).isInstanceOf(NriProtocolException.class);
        assertThat(one).containsExactly("before");
    }

    @Test
    void garbageThatEndsInsideAChunkClosesTheTrunk() {
        ByteBuffer garbage = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0, 0, 0, 100, 'x', 'y'});
        Multiplexer mux = muxReading(4, garbage);

        await().until(() -> mux.closed().isDone());

        assertThat(mux.closed()).isCompletedExceptionally();
        assertThat(one).isEmpty();
    }

    @Test
    void receiverRejectingItsBytesClosesTheTrunk() {
        InMemoryTrunk trunk = new InMemoryTrunk(concat(chunk(1, "bad"), chunk(1, "never")), 64);
        Multiplexer mux = new Multiplexer(trunk, "test");
        mux.open(1, chunk -> {
            throw new NriProtocolException("bad frame");
        });
        mux.start();

        await().until(() -> mux.closed().isDone());

        assertThat(mux.closed().exceptionNow()).hasMessage("bad frame");
        assertThat(trunk.isOpen()).isFalse();
    }

    @Test
    void largeWritesAreSplitIntoChunksOfOneTtrpcFrameAtMost() throws Exception {
        InMemoryTrunk trunk = new InMemoryTrunk(ByteBuffer.allocate(0), 1);
        Multiplexer mux = new Multiplexer(trunk, "test");
        int size = Multiplexer.MAX_WRITE_PAYLOAD + 100;

        mux.write(2, ByteBuffer.allocate(size));

        ByteBuffer written = trunk.written();
        assertThat(written.getInt()).isEqualTo(2);
        assertThat(written.getInt()).isEqualTo(Multiplexer.MAX_WRITE_PAYLOAD);
        written.position(written.position() + Multiplexer.MAX_WRITE_PAYLOAD);
        assertThat(written.getInt()).isEqualTo(2);
        assertThat(written.getInt()).isEqualTo(100);
        assertThat(written.remaining()).isEqualTo(100);
    }

    private Multiplexer muxReading(int readSize, ByteBuffer... chunks) {
        Multiplexer mux = new Multiplexer(new InMemoryTrunk(concat(chunks), readSize), "test");
        mux.open(1, chunk -> one.add(StandardCharsets.UTF_8.decode(chunk).toString()));
        mux.open(2, chunk -> two.add(StandardCharsets.UTF_8.decode(chunk).toString()));
        mux.start();
        return mux;
    }

    private static ByteBuffer chunk(int connection, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + bytes.length)
                .putInt(connection)
                .putInt(bytes.length)
                .put(bytes)
                .flip();
    }

    private static ByteBuffer concat(ByteBuffer... buffers) {
        ByteBuffer all = ByteBuffer.allocate(
                List.of(buffers).stream().mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer buffer : buffers) {
            all.put(buffer);
        }
        return all.flip();
    }
}
