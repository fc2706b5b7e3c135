package dev.parley.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.Challenges;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.limits.RateLimits;
import io.github.bucket4j.TimeMeter;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
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
    private static final String CONNECTION_ATTRIBUTE = "parley.connection";

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

    public Gateway(Map<String, Route> routes, OnlineUsers online, Challenges challenges, SessionListener sessions,
                   ServerConfig.Limits limits, List<String> origins, TimeMeter time, MeterRegistry metrics) {
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

    /** Runs before the upgrade: a browser page from another origin must not open a socket. */
    public void checkUpgrade(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origins.contains(origin)) {
            log.info("refused WebSocket upgrade from a foreign origin");
            throw new ForbiddenResponse("origin not allowed");
        }
        AtomicInteger open = connectionsPerAddress.get(ctx.ip());
        if (open != null && open.get() >= limits.connectionsPerIp()) {
            throw new HttpResponseException(HttpStatus.TOO_MANY_REQUESTS.getCode(), "too many connections from this address");
        }
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            String address = ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress inet
                    ? inet.getAddress().getHostAddress() : "unknown";
            connectionsPerAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            var connection = new Connection("c" + connectionIds.incrementAndGet(), address,
                    text -> ctx.session.sendText(text, Callback.NOOP), ctx::closeSession,
                    RateLimits.bucket(limits.messageBurst(), limits.messagesPerSecond(), Duration.ofSeconds(1), time));
            ctx.attribute(CONNECTION_ATTRIBUTE, connection);
            online.opened(connection);
            challenges.issue(connection);
        });
        ws.onMessage(ctx -> {
            Connection connection = connectionOf(ctx);
            if (connection != null) {
                handle(connection, ctx.message());
            }
        });
        ws.onBinaryMessage(ctx -> {
            Connection connection = connectionOf(ctx);
            if (connection != null) {
                reject(connection, ErrorCode.BAD_FRAME, "frames are JSON text, not binary", null);
            }
        });
        ws.onClose(ctx -> {
            Connection connection = connectionOf(ctx);
            if (connection == null) {
                return;
            }
            AtomicInteger open = connectionsPerAddress.get(connection.remoteAddress());
            if (open != null && open.decrementAndGet() <= 0) {
                connectionsPerAddress.remove(connection.remoteAddress(), open);
            }
            if (online.closed(connection)) {
                sessions.loggedOut(connection);
            }
        });
        ws.onError(ctx -> log.debug("websocket error on connection={}", idOf(ctx)));
    }

    /** Parses, checks and dispatches one text frame. */
    void handle(Connection connection, String text) {
        if (exceedsUtf8(text, limits.maxFrameBytes())) {
            reject(connection, ErrorCode.FRAME_TOO_LARGE, "frames are limited to " + limits.maxFrameBytes() + " bytes", null);
            return;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            reject(connection, ErrorCode.BAD_JSON, "the frame is not valid JSON", null);
            return;
        }
        if (node == null || !node.isObject()) {
            reject(connection, ErrorCode.BAD_JSON, "a frame is a JSON object", null);
            return;
        }
        var frame = new Frame(node);
        String re = frame.idOrNull();
        if (!connection.tryConsumeFrame()) {
            reject(connection, ErrorCode.RATE_LIMITED, "more than " + limits.messagesPerSecond() + " frames per second", re);
            return;
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            reject(connection, ErrorCode.BAD_FRAME, "'type' must be a string", re);
            return;
        }
        Route route = routes.get(type.asText());
        if (route == null) {
            reject(connection, ErrorCode.UNKNOWN_TYPE, "unknown frame type", re);
            return;
        }
        if (route.requiresLogin() && !connection.isAuthenticated()) {
            reject(connection, ErrorCode.NOT_AUTHENTICATED, "log in or register first", re);
            return;
        }
        try {
            route.handler().handle(connection, frame);
        } catch (ProtocolException e) {
            reject(connection, e.code(), e.getMessage(), re);
        } catch (RuntimeException e) {
            log.error("handler for frame type={} failed on connection={}", type.asText(), connection.id(), e);
            reject(connection, ErrorCode.INTERNAL_ERROR, "internal error", re);
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

    private static Connection connectionOf(WsContext ctx) {
        return ctx.attribute(CONNECTION_ATTRIBUTE);
    }

    private static String idOf(WsContext ctx) {
        Connection connection = connectionOf(ctx);
        return connection == null ? "unknown" : connection.id();
    }
}
