package dev.parley.protocol;

/**
 * A protocol operation was refused. Thrown before any state changed: every operation that can
 * fail works on copies and commits only on success, so a caller may keep using its state after
 * catching this.
 *
 * <p>Messages name the check that failed, never key material or plaintext.
 */
public final class ProtocolException extends Exception {

    /** Why an operation was refused; stable, so callers (SDK, UI) can branch on it. */
    public enum Failure {
        /** Bytes do not parse as the structure CRYPTO.md defines (length, kind byte, field range). */
        MALFORMED,
        /** An Ed25519 signature did not verify. */
        INVALID_SIGNATURE,
        /** An X25519 output was all zero (low-order public key); nothing was derived. */
        LOW_ORDER_POINT,
        /** A public key was rejected by its primitive (e.g. an ML-KEM key that is not reduced). */
        INVALID_KEY,
        /** AES-GCM authentication failed: wrong key, tampered header, ciphertext or associated data. */
        DECRYPT_FAILED,
        /** The message was already decrypted (a replay or a duplicate delivery). */
        DUPLICATE,
        /** Decrypting would require deriving more skipped keys than {@link Limits#MAX_SKIP}. */
        TOO_MANY_SKIPPED,
        /** A PreKeyMessage named a prekey this device does not have (unknown or already consumed). */
        UNKNOWN_PREKEY,
        /** X3DH was offered where the signed capabilities do not allow it (downgrade refused). */
        DOWNGRADE_REFUSED,
        /** A version byte this implementation does not know. */
        UNSUPPORTED_VERSION,
        /** A value is larger than the protocol allows (payload, counters). */
        TOO_LARGE,
        /** No session can decrypt the message. */
        NO_SESSION
    }

    private final Failure failure;

    public ProtocolException(Failure failure, String message) {
        super(failure + ": " + message);
        this.failure = failure;
    }

    public ProtocolException(Failure failure, String message, Throwable cause) {
        super(failure + ": " + message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
