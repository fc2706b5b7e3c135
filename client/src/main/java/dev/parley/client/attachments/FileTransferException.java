package dev.parley.client.attachments;

import java.io.IOException;

/**
 * An attachment that could not be sent or saved, with a short stable {@link #code}:
 * {@code digest} or {@code tag} (the blob was changed on the server), {@code length} (the blob
 * is truncated or longer than announced), {@code not_found} (expired, never completed, or
 * unknown), {@code cancelled}, {@code http} (another server answer), {@code too_large}.
 * The message is for a person; it never names the blob id, the key or the file's content.
 */
public final class FileTransferException extends IOException {

    public static final String DIGEST = "digest";
    public static final String TAG = "tag";
    public static final String LENGTH = "length";
    public static final String NOT_FOUND = "not_found";
    public static final String CANCELLED = "cancelled";
    public static final String HTTP = "http";
    public static final String TOO_LARGE = "too_large";

    private final String code;

    public FileTransferException(String code, String message) {
        super(message);
        this.code = code;
    }

    public FileTransferException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether the blob itself was refused (changed on the server or truncated): nothing was saved. */
    public boolean refused() {
        return DIGEST.equals(code) || TAG.equals(code) || LENGTH.equals(code);
    }
}
