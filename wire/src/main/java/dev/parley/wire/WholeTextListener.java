package dev.parley.wire;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A listener of the JDK's {@link WebSocket} that hands each whole text message (one frame of
 * the catalogue) to {@link #onFrameText}, however the JDK split it, and then asks for the next.
 * The one place where the Java clients (the SDK, the bench, the test clients) reassemble
 * frames; what they do with the text is theirs.
 */
public abstract class WholeTextListener implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();

    @Override
    public final CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String whole = null;
        if (last && partial.isEmpty()) {
            whole = data.toString();
        } else {
            partial.append(data);
            if (last) {
                whole = partial.toString();
                partial.setLength(0);
            }
        }
        if (whole == null || onFrameText(webSocket, whole)) {
            webSocket.request(1);
        }
        return null;
    }

    /** One whole text message; returns false to read no more (the socket was given up). */
    protected abstract boolean onFrameText(WebSocket webSocket, String text);
}
