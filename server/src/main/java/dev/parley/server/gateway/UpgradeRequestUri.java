package dev.parley.server.gateway;

import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance.Violation;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.websocket.core.Negotiated;

/**
 * The URI of a WebSocket upgrade request, whose {@link #toURI()} hands out one shared
 * {@link URI} per distinct request URI instead of a new one per socket.
 *
 * <p>Jetty's handshake keeps {@code request.getHttpURI().toURI()}, turned into its WebSocket
 * form ({@code ws:} or {@code wss:}, {@link Negotiated#toWebsocket}), in every session for the
 * socket's whole life, and {@link HttpURI#toURI()} parses a new {@link URI} each time: with
 * its five strings (scheme, authority, host, path, the whole) about 350 bytes per open socket,
 * all holding the same {@code ws://host/ws}. Nothing reads it but Jetty's own descriptions of
 * the session. So {@link #toURI()} answers that WebSocket form, shared, which the session then
 * keeps as it is; every other method is the request's own URI, unchanged.
 *
 * <p>The shared URIs are kept for at most {@value #SHARED_AT_MOST} distinct request URIs (the
 * host and query come from the client, so their variety is the client's to choose); past that
 * a request gets its own {@link URI}, as without this class.
 */
final class UpgradeRequestUri implements HttpURI {

    static final int SHARED_AT_MOST = 64;

    /** One server's shared URIs: at most {@value #SHARED_AT_MOST}. */
    static final class Shared {

        private final Map<String, URI> uris = new ConcurrentHashMap<>();

        /** The request, answering {@link Request#getHttpURI()} with its URI wrapped. */
        Request wrap(Request request) {
            var wrapped = wrap(request.getHttpURI());
            return new Request.Wrapper(request) {
                @Override
                public HttpURI getHttpURI() {
                    return wrapped;
                }
            };
        }

        HttpURI wrap(HttpURI uri) {
            return new UpgradeRequestUri(uri, this);
        }

        private URI uri(String text) {
            URI shared = uris.get(text);
            if (shared != null) {
                return shared;
            }
            URI own = Negotiated.toWebsocket(URI.create(text));
            if (uris.size() < SHARED_AT_MOST) {
                URI first = uris.putIfAbsent(text, own);
                return first != null ? first : own;
            }
            return own;
        }
    }

    private final HttpURI uri;
    private final Shared shared;

    private UpgradeRequestUri(HttpURI uri, Shared shared) {
        this.uri = uri;
        this.shared = shared;
    }

    @Override
    public URI toURI() {
        return shared.uri(uri.toString());
    }

    @Override
    public Immutable asImmutable() {
        return uri.asImmutable();
    }

    @Override
    public String asString() {
        return uri.asString();
    }

    @Override
    public String getAuthority() {
        return uri.getAuthority();
    }

    @Override
    public String getDecodedPath() {
        return uri.getDecodedPath();
    }

    @Override
    public String getCanonicalPath() {
        return uri.getCanonicalPath();
    }

    @Override
    public String getFragment() {
        return uri.getFragment();
    }

    @Override
    public String getHost() {
        return uri.getHost();
    }

    @Override
    public String getParam() {
        return uri.getParam();
    }

    @Override
    public String getPath() {
        return uri.getPath();
    }

    @Override
    public String getPathQuery() {
        return uri.getPathQuery();
    }

    @Override
    public int getPort() {
        return uri.getPort();
    }

    @Override
    public String getQuery() {
        return uri.getQuery();
    }

    @Override
    public String getScheme() {
        return uri.getScheme();
    }

    @Override
    public String getUser() {
        return uri.getUser();
    }

    @Override
    public boolean hasAuthority() {
        return uri.hasAuthority();
    }

    @Override
    public boolean isAbsolute() {
        return uri.isAbsolute();
    }

    @Override
    public boolean isAmbiguous() {
        return uri.isAmbiguous();
    }

    @Override
    public boolean hasViolations() {
        return uri.hasViolations();
    }

    @Override
    public boolean hasViolation(Violation violation) {
        return uri.hasViolation(violation);
    }

    @Override
    public Collection<Violation> getViolations() {
        return uri.getViolations();
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    @Override
    public boolean equals(Object other) {
        return uri.equals(other instanceof UpgradeRequestUri that ? that.uri : other);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }
}
