package dev.parley.server.gateway;

/**
 * A frame the server refuses. The message goes to the client verbatim, so it must describe
 * the client's input only: never keys, envelopes or internal state.
 */
public final class ProtocolException extends RuntimeException {

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
