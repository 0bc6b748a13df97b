package dev.beesting.agent.nri.wire;

import java.io.IOException;
import java.util.function.Consumer;

/** ttrpc frames over one multiplexed connection: decodes what arrives, encodes what is sent. */
public final class TtrpcChannel {
    private final Multiplexer mux;
    private final int connection;

    public TtrpcChannel(Multiplexer mux, int connection, Consumer<TtrpcFrame> frames) {
        this.mux = mux;
        this.connection = connection;
        TtrpcFrameDecoder decoder = new TtrpcFrameDecoder();
        mux.open(connection, chunk -> decoder.feed(chunk, frames));
    }

    public void send(TtrpcFrame frame) throws IOException {
        mux.write(connection, frame.encode());
    }

    public Multiplexer mux() {
        return mux;
    }
}
