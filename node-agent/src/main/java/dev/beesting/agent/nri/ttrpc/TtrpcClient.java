package dev.beesting.agent.nri.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.beesting.agent.nri.wire.Multiplexer;
import dev.beesting.agent.nri.wire.TtrpcChannel;
import dev.beesting.agent.nri.wire.TtrpcFrame;
import dev.beesting.proto.ttrpc.Request;
import dev.beesting.proto.ttrpc.Response;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes unary ttrpc calls on one multiplexed connection; callers may call concurrently. */
public final class TtrpcClient {
    private static final Logger log = LoggerFactory.getLogger(TtrpcClient.class);

    private final TtrpcChannel channel;
    /** ttrpc wants client stream ids odd and increasing on the wire, so allocation and send happen together. */
    private final ReentrantLock sendLock = new ReentrantLock();

    private int nextStreamId = 1;

    private final Map<Integer, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();

    public TtrpcClient(Multiplexer mux, int connection) {
        this.channel = new TtrpcChannel(mux, connection, this::onFrame);
        mux.closed().whenComplete((ok, error) -> failPending());
    }

    /** Calls {@code service/method} and waits at most {@code timeout} for the answer. */
    public <R extends Message> R call(
            String service, String method, Message request, Parser<R> responseParser, Duration timeout)
            throws IOException, TtrpcStatusException {
        byte[] envelope = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(request.toByteString())
                .setTimeoutNano(timeout.toNanos())
                .build()
                .toByteArray();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        sendLock.lock();
        int streamId = nextStreamId;
        nextStreamId += 2;
        pending.put(streamId, answer);
        try {
            if (channel.mux().closed().isDone()) {
                throw new ClosedChannelException();
            }
            channel.send(new TtrpcFrame(streamId, TtrpcFrame.TYPE_REQUEST, TtrpcFrame.FLAG_REMOTE_CLOSED, envelope));
        } catch (IOException e) {
            pending.remove(streamId);
            throw e;
        } finally {
            sendLock.unlock();
        }
        try {
            Response response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (response.hasStatus() && response.getStatus().getCode() != 0) {
                throw new TtrpcStatusException(
                        response.getStatus().getCode(), response.getStatus().getMessage());
            }
            return responseParser.parseFrom(response.getPayload());
        } catch (TimeoutException e) {
            throw new TtrpcStatusException(
                    TtrpcStatusException.DEADLINE_EXCEEDED, service + "/" + method + " timed out after " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + service + "/" + method);
        } catch (ExecutionException e) {
            throw new IOException("connection closed during " + service + "/" + method, e.getCause());
        } finally {
            pending.remove(streamId);
        }
    }

    private void onFrame(TtrpcFrame frame) {
        if (frame.type() != TtrpcFrame.TYPE_RESPONSE) {
            log.debug("ignoring ttrpc frame type={} stream={}", frame.type(), frame.streamId());
            return;
        }
        CompletableFuture<Response> answer = pending.get(frame.streamId());
        if (answer == null) {
            log.debug("dropping response for unknown stream={}", frame.streamId());
            return;
        }
        try {
            answer.complete(Response.parseFrom(frame.payload()));
        } catch (InvalidProtocolBufferException e) {
            answer.completeExceptionally(e);
        }
    }

    private void failPending() {
        pending.values().forEach(answer -> answer.completeExceptionally(new ClosedChannelException()));
    }
}
