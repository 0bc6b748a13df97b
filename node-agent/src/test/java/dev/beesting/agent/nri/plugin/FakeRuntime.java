package dev.beesting.agent.nri.plugin;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.beesting.agent.nri.ttrpc.TtrpcClient;
import dev.beesting.agent.nri.ttrpc.TtrpcServer;
import dev.beesting.agent.nri.ttrpc.TtrpcStatusException;
import dev.beesting.agent.nri.wire.Multiplexer;
import dev.beesting.proto.nri.ConfigureRequest;
import dev.beesting.proto.nri.ConfigureResponse;
import dev.beesting.proto.nri.Empty;
import dev.beesting.proto.nri.RegisterPluginRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The runtime side of NRI, in-process, for protocol tests: listens on a unix socket, serves RegisterPlugin on
 * connection 2 and calls the plugin on connection 1, built from the same multiplexer and ttrpc classes.
 */
final class FakeRuntime implements AutoCloseable {
    static final String PLUGIN = "nri.pkg.api.v1alpha1.Plugin";
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One plugin connection. */
    record PluginConnection(
            SocketChannel socket,
            Multiplexer mux,
            TtrpcClient plugin,
            CompletableFuture<RegisterPluginRequest> registered,
            CompletableFuture<ConfigureResponse> configuredBeforeRegisterReply) {

        <R extends Message> R call(String method, Message request, Parser<R> parser) throws Exception {
            return plugin.call(PLUGIN, method, request, parser, TIMEOUT);
        }

        ConfigureResponse configure() throws Exception {
            return call("Configure", configureRequest(), ConfigureResponse.parser());
        }

        /** Writes raw bytes on the trunk, bypassing the multiplexer's framing. */
        void writeRaw(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                socket.write(bytes);
            }
        }
    }

    private final ServerSocketChannel server;
    private final BlockingQueue<PluginConnection> connections = new LinkedBlockingQueue<>();
    private final List<PluginConnection> all = new CopyOnWriteArrayList<>();
    private volatile boolean configureBeforeRegisterReply;

    FakeRuntime(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().name("fake-runtime-accept").start(this::acceptLoop);
    }

    /** Makes the runtime call Configure from inside RegisterPlugin, before replying, as a busy runtime may. */
    FakeRuntime configuringBeforeRegisterReply() {
        configureBeforeRegisterReply = true;
        return this;
    }

    PluginConnection awaitPlugin() throws Exception {
        PluginConnection connection = connections.poll(10, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("no plugin connected");
        }
        connection.registered().get(10, TimeUnit.SECONDS);
        return connection;
    }

    static ConfigureRequest configureRequest() {
        return ConfigureRequest.newBuilder()
                .setRuntimeName("fake")
                .setRuntimeVersion("0.0.1")
                .setRequestTimeout(2000)
                .build();
    }

    @Override
    public void close() throws IOException {
        server.close();
        all.forEach(c -> c.mux().close());
    }

    private void acceptLoop() {
        try {
            while (server.isOpen()) {
                SocketChannel socket = server.accept();
                Multiplexer mux = new Multiplexer(socket, "plugin");
                TtrpcClient plugin = new TtrpcClient(mux, Multiplexer.PLUGIN_SERVICE_CONNECTION);
                CompletableFuture<RegisterPluginRequest> registered = new CompletableFuture<>();
                CompletableFuture<ConfigureResponse> early = new CompletableFuture<>();
                new TtrpcServer(
                        mux,
                        Multiplexer.RUNTIME_SERVICE_CONNECTION,
                        Map.of(
                                "nri.pkg.api.v1alpha1.Runtime/RegisterPlugin",
                                TtrpcServer.unary(RegisterPluginRequest.parser(), request -> {
                                    if (configureBeforeRegisterReply) {
                                        early.complete(configureEarly(plugin));
                                    }
                                    registered.complete(request);
                                    return Empty.getDefaultInstance();
                                })));
                mux.start();
                PluginConnection connection = new PluginConnection(socket, mux, plugin, registered, early);
                all.add(connection);
                connections.add(connection);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static ConfigureResponse configureEarly(TtrpcClient plugin) throws TtrpcStatusException {
        try {
            return plugin.call(PLUGIN, "Configure", configureRequest(), ConfigureResponse.parser(), TIMEOUT);
        } catch (IOException e) {
            throw new TtrpcStatusException(TtrpcStatusException.INTERNAL, e.toString());
        }
    }
}
