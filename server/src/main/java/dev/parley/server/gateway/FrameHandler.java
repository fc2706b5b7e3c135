package dev.parley.server.gateway;

import dev.parley.wire.WireFrame;

/** Handles one frame type of the catalogue. Throws {@link dev.parley.wire.FrameRefused} to refuse the frame. */
@FunctionalInterface
public interface FrameHandler<T extends WireFrame> {
    void handle(ClientConnection connection, T frame);
}
