package dev.beesting.agent.nri.plugin;

import dev.beesting.agent.nri.ttrpc.TtrpcClient;
import dev.beesting.agent.nri.ttrpc.TtrpcServer;
import dev.beesting.agent.nri.wire.Multiplexer;
import dev.beesting.proto.nri.ConfigureRequest;
import dev.beesting.proto.nri.ConfigureResponse;
import dev.beesting.proto.nri.CreateContainerRequest;
import dev.beesting.proto.nri.Empty;
import dev.beesting.proto.nri.RegisterPluginRequest;
import dev.beesting.proto.nri.SynchronizeRequest;
import dev.beesting.proto.nri.SynchronizeResponse;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A plugin that registers, subscribes to CreateContainer and then never answers it: what the runtime sees of a
 * plugin process that hangs. Built from the protocol classes directly, without the stub's time budget.
 */
final class HungPlugin implements AutoCloseable {
    private static final String PLUGIN = "nri.pkg.api.v1alpha1.Plugin/";

    private final Multiplexer mux;
    private final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch createCalled = new CountDownLatch(1);

    HungPlugin(Path socket) throws Exception {
        mux = new Multiplexer(SocketChannel.open(UnixDomainSocketAddress.of(socket)), socket.toString());
        new TtrpcServer(
                mux,
                Multiplexer.PLUGIN_SERVICE_CONNECTION,
                Map.of(
                        PLUGIN + "Configure",
                        TtrpcServer.unary(
                                ConfigureRequest.parser(),
                                request -> ConfigureResponse.newBuilder()
                                        .setEvents(NriEvent.CREATE_CONTAINER.mask())
                                        .build()),
                        PLUGIN + "Synchronize",
                        TtrpcServer.unary(
                                SynchronizeRequest.parser(),
                                request -> SynchronizeResponse.newBuilder()
                                        .setMore(request.getMore())
                                        .build()),
                        PLUGIN + "CreateContainer",
                        TtrpcServer.unary(CreateContainerRequest.parser(), request -> {
                            createCalled.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return Empty.getDefaultInstance();
                        })));
        TtrpcClient runtime = new TtrpcClient(mux, Multiplexer.RUNTIME_SERVICE_CONNECTION);
        mux.start();
        runtime.call(
                NriSession.RUNTIME_SERVICE,
                "RegisterPlugin",
                RegisterPluginRequest.newBuilder()
                        .setPluginName("hung")
                        .setPluginIdx("01")
                        .build(),
                Empty.parser(),
                Duration.ofSeconds(5));
    }

    boolean isConnected() {
        return !mux.closed().isDone();
    }

    @Override
    public void close() {
        release.countDown();
        mux.close();
    }
}
