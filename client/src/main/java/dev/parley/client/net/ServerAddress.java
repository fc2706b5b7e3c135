package dev.parley.client.net;

import dev.parley.client.ClientException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a Parley server is: the WebSocket URL the client connects to and the origin it signs
 * into every auth message (PROTOCOL.md §3). Accepts {@code http://host:port},
 * {@code https://host}, {@code ws://host:port/ws} or {@code wss://host/ws}.
 */
public record ServerAddress(URI webSocket, String origin) {

    /** The server {@code bin/parley-server} starts by default. */
    public static final String DEFAULT = "http://127.0.0.1:5000";

    public static ServerAddress parse(String text) throws ClientException {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ClientException(ClientException.Reason.FAILED, "not a server URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = switch (scheme) {
            case "http", "ws" -> false;
            case "https", "wss" -> true;
            default -> throw new ClientException(ClientException.Reason.FAILED,
                    "server URL must start with http://, https://, ws:// or wss://: " + text);
        };
        if (uri.getHost() == null) {
            throw new ClientException(ClientException.Reason.FAILED, "server URL has no host: " + text);
        }
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        String origin = (secure ? "https://" : "http://") + hostPort;
        URI ws = URI.create((secure ? "wss://" : "ws://") + hostPort + "/ws");
        return new ServerAddress(ws, origin);
    }

    @Override
    public String toString() {
        return origin;
    }
}
