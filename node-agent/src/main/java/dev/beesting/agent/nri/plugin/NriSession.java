package dev.beesting.agent.nri.plugin;

import dev.beesting.agent.nri.ttrpc.TtrpcClient;
import dev.beesting.agent.nri.ttrpc.TtrpcServer;
import dev.beesting.agent.nri.ttrpc.TtrpcStatusException;
import dev.beesting.agent.nri.wire.Multiplexer;
import dev.beesting.proto.nri.Empty;
import dev.beesting.proto.nri.RegisterPluginRequest;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection to the runtime: the socket, its multiplexer, our Plugin service and the Runtime client. */
final class NriSession implements AutoCloseable {
    static final String RUNTIME_SERVICE = "nri.pkg.api.v1alpha1.Runtime";

    private static final Logger log = LoggerFactory.getLogger(NriSession.class);

    private final Multiplexer mux;

    private NriSession(Multiplexer mux) {
        this.mux = mux;
    }

    /** Connects and registers; the runtime's Configure and Synchronize are served while registration waits. */
    static NriSession open(NriPluginConfig config, NriHandler handler, HandlerGuard guard, NriStats stats)
            throws IOException, TtrpcStatusException {
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(config.socket()));
        Multiplexer mux = new Multiplexer(socket, config.socket().toString());
        try {
            new TtrpcServer(
                    mux, Multiplexer.PLUGIN_SERVICE_CONNECTION, new PluginService(handler, guard, stats).methods());
            TtrpcClient runtime = new TtrpcClient(mux, Multiplexer.RUNTIME_SERVICE_CONNECTION);
            mux.start();
            runtime.call(
                    RUNTIME_SERVICE,
                    "RegisterPlugin",
                    RegisterPluginRequest.newBuilder()
                            .setPluginName(config.name())
                            .setPluginIdx(config.index())
                            .build(),
                    Empty.parser(),
                    config.registrationTimeout());
            log.info("registered with NRI socket={} plugin={}-{}", config.socket(), config.index(), config.name());
            return new NriSession(mux);
        } catch (IOException | TtrpcStatusException | RuntimeException e) {
            mux.close();
            throw e;
        }
    }

    /** Completes when the runtime closed the connection or it broke. */
    CompletableFuture<Void> closed() {
        return mux.closed();
    }

    @Override
    public void close() {
        mux.close();
    }
}
