package dev.parley.server.gateway;

/** A frame type's handler and whether it needs a logged-in connection. */
public record Route(FrameHandler handler, boolean requiresLogin) {

    public static Route open(FrameHandler handler) {
        return new Route(handler, false);
    }

    public static Route loggedIn(FrameHandler handler) {
        return new Route(handler, true);
    }
}
