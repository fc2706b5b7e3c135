package dev.parley.wire;

import java.util.regex.Pattern;

/**
 * The limits that are part of the protocol (docs/PROTOCOL.md): every implementation refuses or
 * respects the same numbers. Limits an operator sets (rates, queue sizes, the envelope limit)
 * are not here: they are the server's settings, and clients learn them from its answers.
 */
public final class WireLimits {

    /** The largest frame, in UTF-8 bytes. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Request and message ids: 1 to 64 characters of {@code A-Z a-z 0-9 _ -}. */
    public static final int MAX_ID_CHARS = 64;
    /** A username a new account may take. Other frames carry any string of at most {@link #MAX_NAME_CHARS}. */
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9_]{3,32}");
    public static final int MAX_NAME_CHARS = 64;
    /** The origin a client signs: the server as the client addressed it. */
    public static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]{1,255}");
    /** How far an auth timestamp may be from the server's clock. */
    public static final long AUTH_CLOCK_SKEW_MILLIS = 5 * 60 * 1000;
    public static final int MAX_RECOVERY_CODE_CHARS = 256;

    public static final int NONCE_BYTES = 32;
    public static final int ED25519_KEY_BYTES = 32;
    public static final int X25519_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    public static final int HASH_BYTES = 32;
    public static final int KEM_KEY_BYTES = 1184;
    /** Prekey ids are unsigned 32-bit, with {@code 0xFFFFFFFF} reserved. */
    public static final long MAX_PREKEY_ID = 0xFFFF_FFFEL;

    public static final int MAX_ONE_TIME_PER_UPLOAD = 100;
    public static final int MAX_KEM_ONE_TIME_PER_UPLOAD = 20;
    public static final int MAX_ONE_TIME_STOCK = 1000;
    public static final int MAX_KEM_ONE_TIME_STOCK = 200;
    /** Below these stocks the owner is told {@code prekeys_low}. */
    public static final int LOW_ONE_TIME = 20;
    public static final int LOW_KEM_ONE_TIME = 5;

    /** The most devices one account's list may hold (the first and five linked). */
    public static final int MAX_DEVICES = 6;
    /** Device ids are {@code 1..255} (a u8 in the signed layouts); an account never reuses one. */
    public static final int MAX_DEVICE_ID = 255;
    /**
     * The largest integer a device list carries (version, issuedAt, linkedAt): every JSON
     * reader, the browser's included, holds integers up to 2^53 - 1 exactly, so both sides
     * rebuild the same signed bytes from the JSON.
     */
    public static final long MAX_JSON_INTEGER = (1L << 53) - 1;
    /** A link channel: SHA-256 of the new device's one-time X25519 key. */
    public static final int LINK_CHANNEL_BYTES = 32;
    /** A sealed link request: AES-256-GCM of {@code u8 0x01 || 32 DKs || u8 len || name (0..255)}, tag included. */
    public static final int MIN_LINK_REQUEST_BYTES = 1 + 32 + 1 + 16;
    public static final int MAX_LINK_REQUEST_BYTES = 1 + 32 + 1 + 255 + 16;
    /** A sealed link message: {@code ek_pub (32) || AES-256-GCM(LinkMessage)}, tag included; at most what fits a frame. */
    public static final int MIN_LINK_SEALED_BYTES = 32 + 16 + 1;
    public static final int MAX_LINK_SEALED_BYTES = 46 * 1024;

    /**
     * The most accounts one {@code send_multi} names (a group's most members): their device
     * list, about 40 bytes per account, fits one frame with a short message beside it.
     */
    public static final int MAX_MULTI_RECIPIENTS = 1000;

    /**
     * The longest timer of a disappearing message, in seconds (4 weeks): the largest
     * {@code expiresIn} of a send.
     */
    public static final int MAX_EXPIRES_IN_SECONDS = 2_419_200;

    /** Attachments are encrypted in chunks of this many plaintext bytes (the last one shorter). */
    public static final int ATTACHMENT_CHUNK_BYTES = 65_536;
    /** Each encrypted chunk carries an authentication tag of this many bytes. */
    public static final int ATTACHMENT_TAG_BYTES = 16;
    /** The largest attachment, in plaintext bytes (100 MiB): the protocol's limit and the server's default. */
    public static final long MAX_ATTACHMENT_BYTES = 104_857_600L;
    /** A blob id: this many random bytes, in base64url (22 characters). */
    public static final int BLOB_ID_BYTES = 16;
    /** A blob's upload token: this many random bytes, in base64url (43 characters). */
    public static final int BLOB_TOKEN_BYTES = 32;
    /** The most bytes one {@code PUT} of a blob upload may carry (8 MiB). */
    public static final int MAX_BLOB_PART_BYTES = 8 * 1024 * 1024;
    /** Where the blobs are on the server's HTTP port: {@code /v1/blobs/{blob}}. */
    public static final String BLOB_PATH = "/v1/blobs/";

    /**
     * The length of the blob of an attachment of {@code size} plaintext bytes: the plaintext
     * and one tag per chunk, {@code size + 16 * max(1, ceil(size / 65536))} (an empty file is one
     * empty chunk). The server's size limit uses it; the protocol's {@code AttachmentFormat.blobLength}
     * must give the same (the wire and attachment tests pin both).
     */
    public static long attachmentBlobLength(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("an attachment's size is not negative");
        }
        // At least one chunk: an empty file is one empty chunk with its tag (CRYPTO.md §12).
        return size + ATTACHMENT_TAG_BYTES * Math.max(1, (size + ATTACHMENT_CHUNK_BYTES - 1) / ATTACHMENT_CHUNK_BYTES);
    }

    /** Relayed messages one connection may hold unacknowledged; also the sends a client may pipeline. */
    public static final int DELIVERY_WINDOW = 256;

    private WireLimits() {
    }
}
