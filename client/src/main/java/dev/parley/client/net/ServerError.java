package dev.parley.client.net;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import java.util.Optional;

/**
 * An {@code error} frame answering a request (PROTOCOL.md §7): its {@link ErrorCode} (empty for
 * a code newer than this client) and the server's human message.
 */
public final class ServerError extends Exception {

    private final transient ErrorFrame frame;

    public ServerError(ErrorFrame frame) {
        super(frame.code() + ": " + frame.message());
        this.frame = frame;
    }

    /** The code, if this client knows it. */
    public Optional<ErrorCode> code() {
        return frame.knownCode();
    }

    public boolean is(ErrorCode code) {
        return code.wireName().equals(frame.code());
    }
}
