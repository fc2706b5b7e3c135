package dev.parley.server.gateway;

import dev.parley.wire.WireFrame;
import java.util.function.Consumer;

/**
 * A frame type's handler, whether it needs a logged-in connection, and whether it may block.
 * Handlers that may block (database reads, waiting for a commit, signature checks) run on a
 * virtual thread; the others run on Jetty's network thread, without a thread hand-off per
 * frame, and must never wait for anything. Either way a connection's next frame is read
 * only once the handler has returned, so frames are handled in order.
 *
 * @param afterRefusal    runs after the error answering a refused frame of this type has been
 *                        sent, whether the frame's fields or its handler refused it (auth frames
 *                        send a fresh challenge then)
 * @param unlistedAllowed whether a device logged in without a list entry (an account from
 *                        before devices, {@link ClientConnection#isListed}) may send it; every
 *                        other logged-in frame is refused {@code unknown_device} for it
 */
public record Route<T extends WireFrame>(FrameHandler<T> handler, boolean requiresLogin, boolean mayBlock,
                                         Consumer<ClientConnection> afterRefusal, boolean unlistedAllowed) {

    private static final Consumer<ClientConnection> NOTHING = connection -> { };

    public static <T extends WireFrame> Route<T> open(FrameHandler<T> handler) {
        return new Route<>(handler, false, true, NOTHING, true);
    }

    public static <T extends WireFrame> Route<T> loggedIn(FrameHandler<T> handler) {
        return new Route<>(handler, true, true, NOTHING, false);
    }

    /** For a handler that never blocks; {@code requiresLogin} as in the other factories. */
    public static <T extends WireFrame> Route<T> nonBlocking(FrameHandler<T> handler, boolean requiresLogin) {
        return new Route<>(handler, requiresLogin, false, NOTHING, !requiresLogin);
    }

    /** This route, with {@code action} run after each refusal of one of its frames. */
    public Route<T> afterRefusal(Consumer<ClientConnection> action) {
        return new Route<>(handler, requiresLogin, mayBlock, action, unlistedAllowed);
    }

    /** This route, open to a device logged in without a list entry too. */
    public Route<T> allowingUnlisted() {
        return new Route<>(handler, requiresLogin, mayBlock, afterRefusal, true);
    }
}
