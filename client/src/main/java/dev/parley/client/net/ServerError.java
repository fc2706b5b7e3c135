package dev.parley.client.net;

/** An {@code error} frame answering a request (PROTOCOL.md §7): its code and human message. */
public final class ServerError extends Exception {

    private final String code;

    public ServerError(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
