package dev.parley.wire;

/**
 * Every error a client can receive in an {@code error} frame. The wire name is the lower-case
 * enum name. docs/PROTOCOL.md §7 lists them with their meaning and what a client does; keep the two in step.
 */
public enum ErrorCode {
    /** The frame is not a JSON object. */
    BAD_JSON,
    /** A required field is missing or has the wrong type or form. */
    BAD_FRAME,
    /** The {@code type} is not one this server knows. */
    UNKNOWN_TYPE,
    /** The frame exceeds the frame size limit. */
    FRAME_TOO_LARGE,
    /** The envelope exceeds the envelope size limit. */
    ENVELOPE_TOO_LARGE,
    /** Too many frames, registrations or bundle fetches; retry later. */
    RATE_LIMITED,
    /** This frame type needs a logged-in connection. */
    NOT_AUTHENTICATED,
    /** register/login/reset on a connection that is already logged in. */
    ALREADY_AUTHENTICATED,
    /** The auth signature, identity binding or a prekey signature does not verify. */
    BAD_SIGNATURE,
    /** The auth timestamp is too far from the server's clock. */
    STALE_TIMESTAMP,
    /** The signed origin is not one of this server's origins. */
    BAD_ORIGIN,
    /** The username does not match ^[a-z0-9_]{3,32}$. */
    INVALID_USERNAME,
    /** The username is bound to another identity. */
    USERNAME_TAKEN,
    /** The username's confusable skeleton equals an existing account's (docs/SECURITY.md). */
    USERNAME_CONFUSABLE,
    /** No such user. */
    UNKNOWN_USER,
    /** The recovery code does not match. */
    BAD_RECOVERY_CODE,
    /** The user has not uploaded a signed prekey and a last-resort KEM prekey yet. */
    NO_PREKEYS,
    /** The recipient's queue is full. */
    QUEUE_FULL,
    /** This sender holds its whole share of the recipient's queue; other senders are unaffected. */
    QUEUE_SHARE_FULL,
    /** The sender's queued bytes, across all recipients, are at the account's quota. */
    QUOTA_EXCEEDED,
    /** The server's disk is full or below its free-space watermark; nothing was stored. */
    STORAGE_FULL,
    /** A {@code blob_upload} larger than the server's attachment limit ({@code server_limits.maxAttachmentBytes}, as a blob length). */
    BLOB_TOO_LARGE,
    /** This login was replaced by a newer login of the same account. */
    SESSION_REPLACED,
    /** The account's identity was reset; this connection's identity is no longer valid. */
    IDENTITY_RESET,
    /** The send's devices are not exactly the recipient's current device set; the error lists {@code missing} and {@code extra}. */
    MISMATCHED_DEVICES,
    /** No such device in the account's list (login, bundle fetch), or an account that has not published a list yet. */
    UNKNOWN_DEVICE,
    /** This device was removed from the account's list; the connection closes and its logins are refused. */
    DEVICE_UNLINKED,
    /** A device list that does not verify, is not well formed, or changes what this frame may not change. */
    BAD_DEVICE_LIST,
    /** A device list whose version is not the stored version plus one. */
    STALE_DEVICE_LIST,
    /** A device list of more than {@link WireLimits#MAX_DEVICES} devices. */
    TOO_MANY_DEVICES,
    /** No link channel with this id. */
    UNKNOWN_LINK,
    /** The link channel has expired or was approved already. */
    LINK_EXPIRED,
    /**
     * A {@code send_multi} names a recipient set the server does not hold for this device
     * (never issued to it, evicted, or lost in a restart); nothing was stored. Send the frame
     * again with its {@code recipients}.
     */
    UNKNOWN_RECIPIENT_SET,
    /** This server's directory is private: accounts are found by exact name with {@code find_users}, never listed. */
    DIRECTORY_PRIVATE,
    /**
     * The server cannot reach its database (a cluster's PostgreSQL is down or unreachable):
     * nothing was stored or read. Transient: keep what was sent and send it again later, as
     * after a connection loss.
     */
    UNAVAILABLE,
    /** Something failed inside the server; nothing about it is disclosed. */
    INTERNAL_ERROR;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The code of a wire name; empty for a code this version does not know (a newer server's). */
    public static java.util.Optional<ErrorCode> fromWire(String wireName) {
        for (ErrorCode code : values()) {
            if (code.wireName().equals(wireName)) {
                return java.util.Optional.of(code);
            }
        }
        return java.util.Optional.empty();
    }
}
