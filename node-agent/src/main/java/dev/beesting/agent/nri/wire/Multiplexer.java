package dev.beesting.agent.nri.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries several logical byte streams over one socket, as NRI does: each chunk has an 8-byte header (big-endian
 * connection id, payload length). Connection 1 carries the runtime's calls to the plugin, connection 2 the plugin's
 * calls to the runtime. Chunks for connections nobody opened are dropped; a broken chunk closes everything.
 */
public final class Multiplexer implements AutoCloseable {
    public static final int PLUGIN_SERVICE_CONNECTION = 1;
    public static final int RUNTIME_SERVICE_CONNECTION = 2;

    static final int HEADER_LENGTH = 8;
    /** What we accept: far above anything NRI sends, low enough that garbage cannot make us allocate gigabytes. */
    static final int MAX_READ_PAYLOAD = 16 << 20;
    /** What we send per chunk, the limit upstream writes with: one whole ttrpc frame. */
    static final int MAX_WRITE_PAYLOAD = TtrpcFrame.HEADER_LENGTH + TtrpcFrame.MAX_PAYLOAD;

    private static final Logger log = LoggerFactory.getLogger(Multiplexer.class);

    /** Receives the bytes of one connection, in order, on the reader thread. */
    @FunctionalInterface
    interface Receiver {
        void receive(ByteBuffer chunk) throws NriProtocolException;
    }

    private final ByteChannel trunk;
    private final String peer;
    private final Map<Integer, Receiver> receivers = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    public Multiplexer(ByteChannel trunk, String peer) {
        this.trunk = trunk;
        this.peer = peer;
    }

    /** Routes the chunks of connection {@code id} to {@code receiver}; call before {@link #start()}. */
    void open(int id, Receiver receiver) {
        if (id <= 0) {
            throw new IllegalArgumentException("connection id 0 is reserved, got " + id);
        }
        receivers.put(id, receiver);
    }

    /** Starts reading the trunk on a virtual thread. */
    public void start() {
        Thread.ofVirtual().name("nri-mux-reader").start(this::readLoop);
    }

    /** Sends {@code data} on connection {@code id}, split into chunks the peer accepts; atomic per call. */
    public void write(int id, ByteBuffer data) throws IOException {
        writeLock.lock();
        try {
            if (closed.isDone()) {
                throw new ClosedChannelException();
            }
            do {
                int size = Math.min(data.remaining(), MAX_WRITE_PAYLOAD);
                ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH)
                        .putInt(id)
                        .putInt(size)
                        .flip();
                ByteBuffer payload = data.slice(data.position(), size);
                writeFully(header);
                writeFully(payload);
                data.position(data.position() + size);
            } while (data.hasRemaining());
        } catch (IOException e) {
            close(e);
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Completes when the trunk is closed: normally, or exceptionally with the reason. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        close(null);
    }

    private void close(Throwable reason) {
        boolean first = reason == null ? closed.complete(null) : closed.completeExceptionally(reason);
        if (first) {
            try {
                trunk.close();
            } catch (IOException e) {
                log.debug("closing trunk failed peer={}", peer, e);
            }
        }
    }

    private void readLoop() {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        try {
            while (!closed.isDone()) {
                header.clear();
                if (!readFully(header)) {
                    log.debug("trunk reached end of stream peer={}", peer);
                    close();
                    return;
                }
                int id = header.getInt(0);
                int length = header.getInt(4);
                if (length < 0 || length > MAX_READ_PAYLOAD) {
                    throw new NriProtocolException("multiplexer chunk of " + Integer.toUnsignedString(length)
                            + " bytes on connection " + Integer.toUnsignedString(id) + " exceeds "
                            + MAX_READ_PAYLOAD + " bytes");
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                if (!readFully(payload)) {
                    throw new EOFException("trunk ended inside a chunk");
                }
                Receiver receiver = receivers.get(id);
                if (receiver == null) {
                    log.debug("dropping chunk for unknown connection peer={} connection={} bytes={}", peer, id, length);
                    continue;
                }
                receiver.receive(payload.flip());
            }
        } catch (NriProtocolException e) {
            log.warn("closing NRI connection on protocol error peer={} error=\"{}\"", peer, e.getMessage());
            close(e);
        } catch (IOException e) {
            if (!closed.isDone()) {
                log.info("NRI connection lost peer={} error=\"{}\"", peer, e.toString());
            }
            close(e);
        } catch (RuntimeException e) {
            log.error("closing NRI connection on unexpected error peer={}", peer, e);
            close(e);
        }
    }

    /** Fills {@code buffer}; false if the stream ended before its first byte. */
    private boolean readFully(ByteBuffer buffer) throws IOException {
        int start = buffer.position();
        while (buffer.hasRemaining()) {
            if (trunk.read(buffer) < 0) {
                if (buffer.position() == start) {
                    return false;
                }
                throw new EOFException("trunk ended inside a chunk");
            }
        }
        return true;
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            trunk.write(buffer);
        }
    }
}
