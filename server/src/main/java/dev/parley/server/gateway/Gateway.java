package dev.parley.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.Challenges;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.limits.RateLimits;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code /ws}: upgrade checks (Origin allow-list, connections per
 * address), the connection lifecycle, and the dispatch of each text frame to its
 * {@link Route}. Whatever a frame contains, the client gets either the handler's answer or an
 * {@code error{code, message, re}} frame; nothing a client sends can throw out of here.
 */
public final class Gateway {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** The WebSocket endpoint's path. */
    public static final String PATH = "/ws";

    private final Map<String, Route> routes;
    private final OnlineUsers online;
    private final Challenges challenges;
    private final SessionListener sessions;
    private final ServerConfig.Limits limits;
    private final List<String> origins;
    private final TimeMeter time;
    private final Map<String, AtomicInteger> connectionsPerAddress = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Counter framesRejected;
    private final Executor blockingHandlers;

    public Gateway(Map<String, Route> routes, OnlineUsers online, Challenges challenges, SessionListener sessions,
                   ServerConfig.Limits limits, List<String> origins, TimeMeter time, Executor blockingHandlers,
                   MeterRegistry metrics) {
        this.blockingHandlers = blockingHandlers;
        this.routes = Map.copyOf(routes);
        this.online = online;
        this.challenges = challenges;
        this.sessions = sessions;
        this.limits = limits;
        this.origins = origins; // live view: filled in once the port is bound
        this.time = time;
        this.framesRejected = Counter.builder("parley_frames_rejected").description("Frames answered with an error").register(metrics);
        Gauge.builder("parley_connections", online, OnlineUsers::connectionCount).description("Open WebSockets").register(metrics);
        Gauge.builder("parley_users_online", online, OnlineUsers::userCount).description("Logged-in users").register(metrics);
    }

    /**
     * Installs {@code /ws} in Jetty's WebSocket container: a plain Jetty upgrade, without the
     * servlet layer, so a socket keeps no servlet request, HTTP session or Javalin context.
     */
    public void install(ServerWebSocketContainer container) {
        container.setIdleTimeout(limits.idleTimeout());
        // Frames past the protocol limit are still read (up to 4x) so that the client gets a
        // frame_too_large error instead of a bare close; beyond that Jetty closes (1009).
        container.setMaxTextMessageSize(4L * limits.maxFrameBytes());
        container.setMaxBinaryMessageSize(1024);
        // Frames are handled on Jetty's network thread: routes that may block hand themselves
        // to a virtual thread (receive), so nothing on that thread waits.
        container.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        container.addMapping(PATH, this::upgrade);
    }

    /** Runs before the upgrade: a browser page from another origin must not open a socket. */
    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origins.contains(origin)) {
            log.info("refused WebSocket upgrade from a foreign origin");
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return null;
        }
        String address = Request.getRemoteAddr(request);
        AtomicInteger open = connectionsPerAddress.get(address);
        if (open != null && open.get() >= limits.connectionsPerIp()) {
            Response.writeError(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                    "too many connections from this address");
            return null;
        }
        return new SocketEndpoint(this, address);
    }

    Connection opened(Session session, String address) {
        connectionsPerAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        var connection = new Connection("c" + connectionIds.incrementAndGet(), address,
                text -> session.sendText(text, org.eclipse.jetty.websocket.api.Callback.NOOP), session::close,
                session::demand,
                RateLimits.bucket(limits.messageBurst(), limits.messagesPerSecond(), Duration.ofSeconds(1), time));
        online.opened(connection);
        challenges.issue(connection);
        return connection;
    }

    void closed(Connection connection) {
        AtomicInteger open = connectionsPerAddress.get(connection.remoteAddress());
        if (open != null && open.decrementAndGet() <= 0) {
            connectionsPerAddress.remove(connection.remoteAddress(), open);
        }
        if (online.closed(connection)) {
            sessions.loggedOut(connection);
        }
    }

    void failed(Connection connection, Throwable cause) {
        log.debug("websocket error on connection={}: {}", connection == null ? "unknown" : connection.id(),
                cause.getClass().getSimpleName());
    }

    void rejectBinary(Connection connection) {
        reject(connection, ErrorCode.BAD_FRAME, "frames are JSON text, not binary", null);
    }

    /** A frame that passed every check, and the route that will handle it. */
    private record Accepted(Route route, Frame frame, String type) {
    }

    /**
     * Handles one text frame and then lets the connection read its next one
     * ({@link Connection#frameHandled}): at once for a non-blocking route, or on a virtual
     * thread once a handler that may block has returned.
     */
    void receive(Connection connection, String text) {
        Accepted accepted = accept(connection, text);
        if (accepted == null) {
            connection.frameHandled();
        } else if (accepted.route().mayBlock()) {
            blockingHandlers.execute(() -> {
                try {
                    dispatch(connection, accepted);
                } finally {
                    connection.frameHandled();
                }
            });
        } else {
            dispatch(connection, accepted);
            connection.frameHandled();
        }
    }

    /** Parses and checks one text frame; null if it was refused (the client has been told). */
    private Accepted accept(Connection connection, String text) {
        if (exceedsUtf8(text, limits.maxFrameBytes())) {
            reject(connection, ErrorCode.FRAME_TOO_LARGE, "frames are limited to " + limits.maxFrameBytes() + " bytes", null);
            return null;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            reject(connection, ErrorCode.BAD_JSON, "the frame is not valid JSON", null);
            return null;
        }
        if (node == null || !node.isObject()) {
            reject(connection, ErrorCode.BAD_JSON, "a frame is a JSON object", null);
            return null;
        }
        var frame = new Frame(node);
        String re = frame.idOrNull();
        if (!connection.tryConsumeFrame()) {
            reject(connection, ErrorCode.RATE_LIMITED, "more than " + limits.messagesPerSecond() + " frames per second", re);
            return null;
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            reject(connection, ErrorCode.BAD_FRAME, "'type' must be a string", re);
            return null;
        }
        Route route = routes.get(type.asText());
        if (route == null) {
            reject(connection, ErrorCode.UNKNOWN_TYPE, "unknown frame type", re);
            return null;
        }
        if (route.requiresLogin() && !connection.isAuthenticated()) {
            reject(connection, ErrorCode.NOT_AUTHENTICATED, "log in or register first", re);
            return null;
        }
        return new Accepted(route, frame, type.asText());
    }

    private void dispatch(Connection connection, Accepted accepted) {
        try {
            accepted.route().handler().handle(connection, accepted.frame());
        } catch (ProtocolException e) {
            reject(connection, e.code(), e.getMessage(), accepted.frame().idOrNull());
        } catch (RuntimeException e) {
            log.error("handler for frame type={} failed on connection={}", accepted.type(), connection.id(), e);
            reject(connection, ErrorCode.INTERNAL_ERROR, "internal error", accepted.frame().idOrNull());
        }
    }

    private void reject(Connection connection, ErrorCode code, String message, String re) {
        framesRejected.increment();
        connection.send(Json.error(code, message, re));
    }

    /** Whether the UTF-8 encoding of {@code text} is longer than {@code maxBytes}, encoding only when it must. */
    private static boolean exceedsUtf8(String text, int maxBytes) {
        if (text.length() > maxBytes) {
            return true; // every UTF-16 unit takes at least one byte
        }
        if ((long) text.length() * 3 <= maxBytes) {
            return false; // and at most three
        }
        return text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }

}
