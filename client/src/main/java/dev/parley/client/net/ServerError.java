package dev.parley.client.net;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import java.util.List;
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

    /** The device ids a {@code mismatched_devices} refusal says are missing from the frame (empty otherwise). */
    public List<Integer> missing() {
        return frame.missing() == null ? List.of() : frame.missing();
    }

    /** The device ids a {@code mismatched_devices} refusal says the frame had and should not have. */
    public List<Integer> extra() {
        return frame.extra() == null ? List.of() : frame.extra();
    }

    public boolean is(ErrorCode code) {
        return code.wireName().equals(frame.code());
    }
}
