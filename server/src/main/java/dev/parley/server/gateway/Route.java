package dev.parley.server.gateway;

/**
 * A frame type's handler, whether it needs a logged-in connection, and whether it may block.
 * Handlers that may block (database reads, waiting for a commit, signature checks) run on a
 * virtual thread; the others run on Jetty's network thread, without a thread hand-off per
 * frame, and must never wait for anything. Either way a connection's next frame is read
 * only once the handler has returned, so frames are handled in order.
 */
public record Route(FrameHandler handler, boolean requiresLogin, boolean mayBlock) {

    public static Route open(FrameHandler handler) {
        return new Route(handler, false, true);
    }

    public static Route loggedIn(FrameHandler handler) {
        return new Route(handler, true, true);
    }

    /** For a handler that never blocks; {@code requiresLogin} as in the other factories. */
    public static Route nonBlocking(FrameHandler handler, boolean requiresLogin) {
        return new Route(handler, requiresLogin, false);
    }
}
