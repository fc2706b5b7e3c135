package dev.parley.server.gateway;

import dev.parley.server.auth.Challenges;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.limits.ConnectionCounter;
import dev.parley.server.limits.FrameRates;
import dev.parley.server.storage.StorageFullException;
import dev.parley.server.storage.StorageUnavailableException;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code /ws}: upgrade checks (not draining, Origin allow-list,
 * connections per client address), the connection lifecycle, and the dispatch of each text frame to its
 * {@link Route} once {@link FrameAdmission} has let it in. Whatever a frame contains, the client
 * gets either the handler's answer or an {@code error{code, message, re}} frame; nothing a
 * client sends can throw out of here.
 */
public final class Gateway {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** The WebSocket endpoint's path. */
    public static final String PATH = "/ws";

    private final OnlineUsers online;
    private final Challenges challenges;
    private final SessionListener sessions;
    private final ServerConfig.Limits limits;
    private final ConnectionLimits connectionLimits;
    private final List<String> origins;
    private final ClientAddresses clientAddresses;
    private final ConnectionCounter connectionsPerAddress;
    private final FrameRates frameRates;
    /** Every connection's callbacks, made once (not a lambda per connection: docs/BENCHMARKS.md, "Idle connections"). */
    private final BiConsumer<ClientConnection, String> slowReaderClosed;
    private final FrameAdmission admission;
    private final Refusals refusals;
    private final AtomicLong connectionIds = new AtomicLong();
    private final LongAdder queuedOutgoingChars = new LongAdder();
    private final Counter closedSlowReaders;
    private final Executor blockingHandlers;
    private final Drain drain;

    public Gateway(Routes routes, OnlineUsers online, Challenges challenges, SessionListener sessions,
                   ServerConfig.Limits limits, ConnectionLimits connectionLimits, List<String> origins, TimeMeter time,
                   Executor blockingHandlers, MeterRegistry metrics, Drain drain) {
        this.blockingHandlers = blockingHandlers;
        this.drain = drain;
        this.online = online;
        this.challenges = challenges;
        this.sessions = sessions;
        this.limits = limits;
        this.connectionLimits = connectionLimits;
        this.origins = origins; // live view: filled in once the port is bound
        this.clientAddresses = ClientAddresses.trusting(connectionLimits.trustedProxies());
        this.connectionsPerAddress = new ConnectionCounter(limits.connectionsPerIp());
        this.frameRates = new FrameRates(limits.messageBurst(), limits.messagesPerSecond(), time);
        this.refusals = new Refusals(metrics);
        this.admission = new FrameAdmission(routes.complete(), limits.maxFrameBytes(), limits.messagesPerSecond(), refusals);
        this.closedSlowReaders = Counter.builder("parley_connections_closed").tag("reason", "slow_reader")
                .description("Sockets closed by the server for misbehaving").register(metrics);
        this.slowReaderClosed = (connection, why) -> {
            closedSlowReaders.increment();
            log.info("disconnecting a slow reader connection={}: {}", connection.id(), why);
        };
        Gauge.builder("parley_connections", online, OnlineUsers::connectionCount).description("Open WebSockets").register(metrics);
        Gauge.builder("parley_connection_slots", connectionsPerAddress, ConnectionCounter::total)
                .description("Per-address connection slots held: open WebSockets and upgrades under way").register(metrics);
        Gauge.builder("parley_users_online", online, OnlineUsers::userCount).description("Logged-in users").register(metrics);
        Gauge.builder("parley_outgoing_queued_chars", queuedOutgoingChars, LongAdder::sum)
                .description("Characters of answers handed to sockets and not yet written, over all connections").register(metrics);
    }

    /**
     * The handler in front of the server's others that upgrades {@code /ws}: Jetty's WebSocket
     * core, without the servlet layer nor Jetty's WebSocket API, so that a socket keeps no
     * servlet request, HTTP session, Javalin context or copy of its upgrade request
     * ({@link SocketEndpoint}). Frames are handled on Jetty's threads: routes that may block
     * hand themselves to a virtual thread ({@link #receive}), so nothing there waits. A request
     * for {@code /ws} reaches the upgrade with its URI wrapped ({@link UpgradeRequestUri}), so
     * that the sockets share the copy of it that Jetty keeps.
     */
    public WebSocketUpgradeHandler upgradeHandler(Server server) {
        var sharedUris = new UpgradeRequestUri.Shared();
        var handler = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server)) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                boolean upgrade = PATH.equals(Request.getPathInContext(request));
                return super.handle(upgrade ? sharedUris.wrap(request) : request, response, callback);
            }
        };
        var configuration = handler.getConfiguration();
        configuration.setIdleTimeout(limits.idleTimeout());
        // Frames past the protocol limit are still read (up to 4x) so that the client gets a
        // frame_too_large error instead of a bare close; beyond that Jetty closes (1009).
        configuration.setMaxTextMessageSize(4L * limits.maxFrameBytes());
        configuration.setMaxBinaryMessageSize(1024);
        handler.addMapping(PATH, this::upgrade);
        handler.setHandler((Handler) null); // Javalin puts its own there (it refuses one it did not place)
        return handler;
    }

    /**
     * Runs before the upgrade: a browser page from another origin must not open a socket, and
     * an address may hold at most {@code connectionsPerIp} sockets. The slot is taken here, in
     * one atomic step with the check, and given back by the endpoint when the socket ends, or
     * when the upgrade fails before the socket opens (the client went away before the 101 was
     * written: Jetty then never opens the endpoint, and without this the slot would be held
     * until the server restarts).
     */
    private SocketEndpoint upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (drain.refusesUpgrades()) { // this node is stopping: the client retries, through the proxy, elsewhere
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "this node is restarting");
            return null;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origins.contains(origin)) {
            log.info("refused WebSocket upgrade from a foreign origin");
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return null;
        }
        String address = clientAddresses.resolve(Request.getRemoteAddr(request),
                request.getHeaders().getValuesList(HttpHeader.FORWARDED),
                request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        if (!connectionsPerAddress.tryOpen(address)) {
            Response.writeError(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                    "too many connections from this address");
            return null;
        }
        var endpoint = new SocketEndpoint(this, address);
        Request.addCompletionListener(request, failure -> {
            if (failure != null) {
                endpoint.upgradeFailed();
            }
        });
        return endpoint;
    }

    ClientConnection opened(CoreSession session, String address) {
        var connection = new ClientConnection(connectionIds.incrementAndGet(), address, new JettyTransport(session), connectionLimits,
                frameRates, queuedOutgoingChars, slowReaderClosed);
        online.opened(connection);
        if (drain.refusesUpgrades()) { // upgraded just before the drain closed every socket: this one too
            connection.closeForRestart();
            return connection;
        }
        challenges.issue(connection);
        return connection;
    }

    /** The socket is gone (or never opened): its address slot is free again. Called once per endpoint. */
    void released(String address) {
        connectionsPerAddress.release(address);
    }

    void closed(ClientConnection connection) {
        sessions.closed(connection, online.closed(connection));
    }

    void failed(ClientConnection connection, Throwable cause) {
        log.debug("websocket error on connection={}: {}", connection == null ? "unknown" : connection.id(),
                cause.getClass().getSimpleName());
    }

    void rejectBinary(ClientConnection connection) {
        refusals.refuse(connection, ErrorCode.BAD_FRAME, "frames are JSON text, not binary", null);
    }

    /**
     * Handles one text frame and then lets the connection read its next one
     * ({@link ClientConnection#frameHandled}): at once for a non-blocking route, or on a virtual
     * thread once a handler that may block has returned.
     */
    void receive(ClientConnection connection, String text) {
        FrameAdmission.Accepted accepted = admission.accept(connection, text);
        if (accepted == null) {
            connection.frameHandled();
        } else if (accepted.bound().route().mayBlock()) {
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

    private void dispatch(ClientConnection connection, FrameAdmission.Accepted accepted) {
        try {
            accepted.dispatch(connection);
            return;
        } catch (FrameRefused e) {
            refusals.refuse(connection, e.code(), e.getMessage(), accepted.re());
        } catch (StorageFullException e) {
            refusals.refuse(connection, ErrorCode.STORAGE_FULL, e.getMessage(), accepted.re());
        } catch (RuntimeException e) {
            if (StorageUnavailableException.in(e) != null) { // thrown by a read, or a write's future joined
                refusals.refuse(connection, ErrorCode.UNAVAILABLE, StorageUnavailableException.in(e).getMessage(), accepted.re());
                accepted.bound().route().afterRefusal().accept(connection);
                return;
            }
            log.error("handler for frame type={} failed on connection={}", accepted.bound().type().name(), connection.id(), e);
            refusals.refuse(connection, ErrorCode.INTERNAL_ERROR, "internal error", accepted.re());
        }
        accepted.bound().route().afterRefusal().accept(connection);
    }

    /** {@link ClientConnection.Transport} over a Jetty WebSocket core session. */
    private record JettyTransport(CoreSession session) implements ClientConnection.Transport {
        @Override
        public void sendText(String text, Runnable whenLeft) {
            session.sendFrame(new Frame(OpCode.TEXT).setPayload(text), new WhenLeft(whenLeft), false);
        }

        @Override
        public void demand() {
            session.demand();
        }

        @Override
        public void close(int statusCode, String reason) {
            session.close(statusCode, reason, Callback.NOOP);
        }

        @Override
        public void disconnect() {
            session.abort();
        }
    }

    /** Runs its action once the frame has been written, or has failed (the socket is gone). */
    private record WhenLeft(Runnable action) implements Callback {
        @Override
        public void succeeded() {
            action.run();
        }

        @Override
        public void failed(Throwable cause) {
            action.run();
        }
    }
}
