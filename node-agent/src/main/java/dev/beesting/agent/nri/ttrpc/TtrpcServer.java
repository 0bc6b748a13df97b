package dev.beesting.agent.nri.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.beesting.agent.nri.wire.Multiplexer;
import dev.beesting.agent.nri.wire.TtrpcChannel;
import dev.beesting.agent.nri.wire.TtrpcFrame;
import dev.beesting.proto.ttrpc.Request;
import dev.beesting.proto.ttrpc.Response;
import dev.beesting.proto.ttrpc.Status;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves unary ttrpc calls arriving on one multiplexed connection. Every request runs on its own virtual thread, so
 * a slow method never delays the next request (NRI sends Configure while our RegisterPlugin call is still open).
 */
public final class TtrpcServer {
    private static final Logger log = LoggerFactory.getLogger(TtrpcServer.class);

    /** One method: request payload in, response payload out; throws a status to answer with an error. */
    @FunctionalInterface
    public interface Method {
        ByteString call(ByteString request) throws TtrpcStatusException, InvalidProtocolBufferException;
    }

    /** A method with typed messages. */
    @FunctionalInterface
    public interface TypedMethod<Q extends Message> {
        Message call(Q request) throws TtrpcStatusException;
    }

    public static <Q extends Message> Method unary(Parser<Q> parser, TypedMethod<Q> method) {
        return payload -> method.call(parser.parseFrom(payload)).toByteString();
    }

    private final TtrpcChannel channel;
    private final Map<String, Method> methods;

    /** Serves {@code methods}, keyed {@code "service/method"}, on {@code connection} of {@code mux}. */
    public TtrpcServer(Multiplexer mux, int connection, Map<String, Method> methods) {
        this.methods = Map.copyOf(methods);
        this.channel = new TtrpcChannel(mux, connection, this::onFrame);
    }

    private void onFrame(TtrpcFrame frame) {
        if (frame.type() != TtrpcFrame.TYPE_REQUEST) {
            log.debug("ignoring ttrpc frame type={} stream={}", frame.type(), frame.streamId());
            return;
        }
        if ((frame.streamId() & 1) == 0) {
            reply(frame.streamId(), error(TtrpcStatusException.INVALID_ARGUMENT, "stream id must be odd"));
            return;
        }
        Thread.ofVirtual().name("ttrpc-call-" + frame.streamId()).start(() -> serve(frame));
    }

    private void serve(TtrpcFrame frame) {
        Response response;
        String name = "?";
        try {
            Request request = Request.parseFrom(frame.payload());
            name = request.getService() + "/" + request.getMethod();
            Method method = methods.get(name);
            if (method == null) {
                throw new TtrpcStatusException(TtrpcStatusException.UNIMPLEMENTED, "method " + name);
            }
            response = Response.newBuilder()
                    .setPayload(method.call(request.getPayload()))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            response = error(TtrpcStatusException.INVALID_ARGUMENT, "unmarshal request error: " + e.getMessage());
        } catch (TtrpcStatusException e) {
            response = error(e.code(), e.statusMessage());
        } catch (RuntimeException e) {
            log.error("ttrpc method failed method={}", name, e);
            response = error(TtrpcStatusException.INTERNAL, String.valueOf(e));
        }
        if (response.getSerializedSize() > TtrpcFrame.MAX_PAYLOAD) {
            response = error(TtrpcStatusException.RESOURCE_EXHAUSTED, "response of " + name + " too large");
        }
        reply(frame.streamId(), response);
    }

    private void reply(int streamId, Response response) {
        try {
            channel.send(new TtrpcFrame(streamId, TtrpcFrame.TYPE_RESPONSE, (byte) 0, response.toByteArray()));
        } catch (IOException e) {
            log.debug("could not send ttrpc response stream={} error=\"{}\"", streamId, e.toString());
        }
    }

    private static Response error(int code, String message) {
        return Response.newBuilder()
                .setStatus(Status.newBuilder().setCode(code).setMessage(message))
                .build();
    }
}
