package dev.parley.client;

/**
 * Every failure the SDK reports: a stable {@link Reason} (each with the CLI's exit code) and a
 * message written for the person at the terminal. Messages never contain keys, plaintext or
 * ciphertext.
 */
public final class ClientException extends Exception {

    /** Why an operation failed. The exit codes are those of the {@code parley} CLI (docs/CLIENT.md). */
    public enum Reason {
        /** Anything not covered below (a bug, a corrupt store, an unexpected server answer). */
        FAILED(1),
        /** The server could not be reached, or the connection was lost and not restored in time. */
        SERVER_UNREACHABLE(3),
        /** No such user on the server. */
        UNKNOWN_USER(4),
        /** A verified contact's identity changed: sending stops until the new safety number is verified. */
        IDENTITY_CHANGED(5),
        /** The safety number given does not match the one computed from the keys. */
        SAFETY_NUMBER_MISMATCH(6),
        /** Another process holds the client's home folder. */
        HOME_LOCKED(7),
        /** The home folder has no registered account (or already has one, for register). */
        NO_ACCOUNT(8),
        /** The server refused the request (name taken, wrong recovery code, rate limit, ...). */
        REFUSED(9),
        /** No answer in time; an outgoing message stays in the outbox and is resent on the next connect. */
        TIMEOUT(10);

        private final int exitCode;

        Reason(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Reason reason;

    public ClientException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ClientException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
