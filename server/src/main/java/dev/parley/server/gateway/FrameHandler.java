package dev.parley.server.gateway;

/** Handles one frame type. Throws {@link ProtocolException} to refuse the frame. */
@FunctionalInterface
public interface FrameHandler {
    void handle(Connection connection, Frame frame);
}
