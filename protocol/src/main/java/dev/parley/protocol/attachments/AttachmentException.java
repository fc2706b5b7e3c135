package dev.parley.protocol.attachments;

import java.io.IOException;

/**
 * An attachment blob (or, when encrypting, a file) that does not match what it must be
 * (CRYPTO.md §12). The message never contains key material or plaintext.
 */
public final class AttachmentException extends IOException {

    /** Why the blob was refused. */
    public enum Reason {
        /** The blob (or the plaintext being encrypted) is not exactly the declared length. */
        LENGTH("length"),
        /** A chunk's GCM tag did not verify (changed, reordered, dropped or cut chunks). */
        TAG("tag"),
        /** Every chunk opened, but the blob's digest differs from the one in the message. */
        DIGEST("digest");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The stable code: "length", "tag" or "digest" (the browser's AttachmentError reasons). */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public AttachmentException(Reason reason, String message) {
        super(reason.code() + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
