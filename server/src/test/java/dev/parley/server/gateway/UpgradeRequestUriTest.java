package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.websocket.core.Behavior;
import org.eclipse.jetty.websocket.core.ExtensionStack;
import org.eclipse.jetty.websocket.core.Negotiated;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketConstants;
import org.junit.jupiter.api.Test;

/**
 * The upgrade request's URI: the same {@link URI}, in the WebSocket form the session keeps, for
 * every socket of one request URI; everything else unchanged.
 */
class UpgradeRequestUriTest {

    private final UpgradeRequestUri.Shared shared = new UpgradeRequestUri.Shared();

    @Test
    void socketsOfOneRequestUriShareOneUriAndOthersGetTheirOwn() {
        URI first = shared.wrap(HttpURI.from("http://chat.example:5000/ws")).toURI();
        URI second = shared.wrap(HttpURI.from("http://chat.example:5000/ws")).toURI();
        URI other = shared.wrap(HttpURI.from("https://127.0.0.1:5000/ws")).toURI();
        assertSame(first, second);
        assertEquals(URI.create("ws://chat.example:5000/ws"), first);
        assertEquals(URI.create("wss://127.0.0.1:5000/ws"), other);
        assertSame(first, negotiated(first).getRequestURI(), "the session keeps it as it is");
    }

    /** What Jetty's handshake makes of the upgrade request's URI and keeps in the session. */
    private static Negotiated negotiated(URI requestUri) {
        var extensions = new ExtensionStack(new WebSocketComponents(), Behavior.SERVER);
        return new Negotiated(requestUri, null, false, extensions, WebSocketConstants.SPEC_VERSION_STRING);
    }

    @Test
    void pastItsBoundEachRequestGetsItsOwnCorrectUri() {
        for (int i = 0; i < UpgradeRequestUri.SHARED_AT_MOST; i++) {
            shared.wrap(HttpURI.from("http://chat.example/ws?n=" + i)).toURI();
        }
        URI one = shared.wrap(HttpURI.from("http://chat.example/ws?n=past")).toURI();
        URI two = shared.wrap(HttpURI.from("http://chat.example/ws?n=past")).toURI();
        assertNotSame(one, two);
        assertEquals(URI.create("ws://chat.example/ws?n=past"), one);
        assertSame(shared.wrap(HttpURI.from("http://chat.example/ws?n=0")).toURI(),
                shared.wrap(HttpURI.from("http://chat.example/ws?n=0")).toURI());
    }

    @Test
    void everythingButTheUriIsTheRequestsOwn() {
        HttpURI request = HttpURI.from("http://user@chat.example:5000/ws;p?q=1#f");
        HttpURI wrapped = shared.wrap(request);
        assertEquals(request.getScheme(), wrapped.getScheme());
        assertEquals(request.getUser(), wrapped.getUser());
        assertEquals(request.getHost(), wrapped.getHost());
        assertEquals(request.getPort(), wrapped.getPort());
        assertEquals(request.getAuthority(), wrapped.getAuthority());
        assertEquals(request.getPath(), wrapped.getPath());
        assertEquals(request.getCanonicalPath(), wrapped.getCanonicalPath());
        assertEquals(request.getDecodedPath(), wrapped.getDecodedPath());
        assertEquals(request.getParam(), wrapped.getParam());
        assertEquals(request.getQuery(), wrapped.getQuery());
        assertEquals(request.getPathQuery(), wrapped.getPathQuery());
        assertEquals(request.getFragment(), wrapped.getFragment());
        assertEquals(request.asString(), wrapped.asString());
        assertEquals(request.toString(), wrapped.toString());
        assertEquals(request.hasViolations(), wrapped.hasViolations());
        assertEquals(request, wrapped);
        assertEquals(request.hashCode(), wrapped.hashCode());
    }
}
