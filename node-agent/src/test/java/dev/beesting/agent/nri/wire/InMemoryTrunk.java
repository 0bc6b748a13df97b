package dev.beesting.agent.nri.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A trunk for multiplexer unit tests: reads come from fixed bytes, a few at a time so that every read path sees
 * short reads, then end of stream; writes are collected.
 */
final class InMemoryTrunk implements ByteChannel {
    private final ByteBuffer input;
    private final int readSize;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private volatile boolean open = true;

    InMemoryTrunk(ByteBuffer input, int readSize) {
        this.input = input;
        this.readSize = readSize;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (!input.hasRemaining()) {
            return -1;
        }
        int n = Math.min(Math.min(readSize, dst.remaining()), input.remaining());
        dst.put(input.slice(input.position(), n));
        input.position(input.position() + n);
        return n;
    }

    @Override
    public synchronized int write(ByteBuffer src) {
        int n = src.remaining();
        byte[] bytes = new byte[n];
        src.get(bytes);
        output.write(bytes, 0, n);
        return n;
    }

    synchronized ByteBuffer written() {
        return ByteBuffer.wrap(output.toByteArray());
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
