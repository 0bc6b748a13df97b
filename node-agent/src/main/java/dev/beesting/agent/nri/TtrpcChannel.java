package dev.beesting.agent.nri;

import java.io.IOException;
import java.util.function.Consumer;

/** ttrpc frames over one multiplexed connection: decodes what arrives, encodes what is sent. */
final class TtrpcChannel {
    private final Multiplexer mux;
    private final int connection;

    TtrpcChannel(Multiplexer mux, int connection, Consumer<TtrpcFrame> frames) {
        this.mux = mux;
        this.connection = connection;
        TtrpcFrameDecoder decoder = new TtrpcFrameDecoder();
        mux.open(connection, chunk -> decoder.feed(chunk, frames));
    }

    void send(TtrpcFrame frame) throws IOException {
        mux.write(connection, frame.encode());
    }

    Multiplexer mux() {
        return mux;
    }
}
