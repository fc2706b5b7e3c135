package dev.parley.wire;

/**
 * A frame refused with an {@link ErrorCode}: by the codec when the frame does not match the
 * catalogue, and by the server when it cannot act on it. The message goes to the client
 * verbatim, so it describes the client's input only: never keys, envelopes or internal state.
 */
public final class FrameRefused extends RuntimeException {

    private final ErrorCode code;

    public FrameRefused(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
