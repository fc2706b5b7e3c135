package dev.parley.protocol;

import dev.parley.wire.WireLimits;
import java.time.Duration;

/**
 * Every numeric limit of the protocol, in one place, each with the trade-off it makes.
 * Normative values: <a href="../../../../../../../docs/CRYPTO.md">CRYPTO.md §3.6</a>; the
 * browser implementation has the same values in {@code web/js/protocol/limits.js}.
 */
public final class Limits {

    /**
     * Skipped message keys one header may make us derive in one receiving chain. A larger jump is
     * refused, so a forged or corrupted header cannot make us compute unbounded keys; 1000 covers
     * any realistic burst of lost or reordered messages.
     */
    public static final int MAX_SKIP = 1000;

    /**
     * Skipped keys stored per session; the oldest are evicted first. Bounds memory and storage
     * per session at roughly 2000 x 70 bytes while still allowing two full MAX_SKIP gaps.
     */
    public static final int MAX_SKIPPED_KEYS = 2000;

    /**
     * A skipped key older than this is deleted. Limits how long a key that could decrypt an old,
     * never-delivered message survives on the device (forward secrecy against later compromise).
     * Time is supplied by the caller; the protocol reads no clock.
     */
    public static final Duration SKIPPED_KEY_TTL = Duration.ofDays(30);

    /** Older sessions per peer kept so late messages of a replaced session still decrypt. */
    public static final int MAX_ARCHIVED_SESSIONS = 5;

    /**
     * Largest padded plaintext (the largest padding bucket). With the PreKeyMessage overhead and
     * base64 it still fits the server's 48 KiB envelope limit inside a 64 KiB WebSocket frame.
     */
    public static final int MAX_PADDED_PAYLOAD = 32768;

    /** Smallest padding bucket: hides the type and length of short payloads such as receipts. */
    public static final int MIN_PADDED_PAYLOAD = 256;

    /*
     * Prekey batches and refill levels are the wire protocol's numbers (WireLimits): a batch is
     * the most one upload may carry, and the refill level is where the server sends prekeys_low.
     */

    /** One-time X25519 prekeys uploaded per batch (CRYPTO.md §1): enough for a burst of new contacts. */
    public static final int ONE_TIME_PREKEY_BATCH = WireLimits.MAX_ONE_TIME_PER_UPLOAD;

    /** Upload a new batch when fewer one-time X25519 prekeys than this remain on the server. */
    public static final int ONE_TIME_PREKEY_REFILL_BELOW = WireLimits.LOW_ONE_TIME;

    /** One-time ML-KEM prekeys per batch: each is 1184 bytes public, so fewer than X25519 ones. */
    public static final int KEM_PREKEY_BATCH = WireLimits.MAX_KEM_ONE_TIME_PER_UPLOAD;

    /** Upload new one-time ML-KEM prekeys below this; the signed last-resort key covers the gap. */
    public static final int KEM_PREKEY_REFILL_BELOW = WireLimits.LOW_KEM_ONE_TIME;

    /**
     * Recommended rotation of the signed prekey and the last-resort KEM prekey: bounds how long a
     * compromised medium-term key helps against new sessions, without frequent uploads.
     */
    public static final Duration SIGNED_PREKEY_ROTATION = Duration.ofDays(7);

    /**
     * Largest message number a chain uses (the header's {@code N} is a {@code u32}; the last value
     * is kept free so the next chain index stays representable). Reaching it needs 2^32 messages
     * in one chain; encryption refuses beyond it and a header naming it is refused.
     */
    public static final long MAX_MESSAGE_NUMBER = 0xFFFF_FFFEL;

    /*
     * Groups (CRYPTO.md §11).
     */

    /**
     * Members of one group. With at most 6 devices per account a message reaches at most 6,000
     * devices, and the recipient list of one send still fits one 64 KiB frame.
     */
    public static final int MAX_GROUP_MEMBERS = 1000;

    /**
     * Usernames one group change names (create, add, remove). A change travels in each recipient
     * device's pairwise session, and all of one member's devices (up to 6) must be in the same
     * send_multi frame: 64 x 34 bytes pads to a 4 KiB payload, about 9 KiB of base64 per device
     * even as a first PreKeyMessage, so one member's part stays well inside a 64 KiB frame.
     * Larger adds are split into successive changes.
     */
    public static final int MAX_GROUP_CHANGE_USERNAMES = 64;

    /**
     * Sender-key chains kept per sender device in one group: the newest distributed ones, so that
     * messages sent just before a rotation still open, while an old chain does not live forever.
     */
    public static final int MAX_SENDER_KEY_CHAINS = 3;

    /**
     * Skipped sender-key message keys kept per sender device in one group, oldest evicted, as
     * {@link #MAX_SKIPPED_KEYS} for a session. One message may skip at most {@link #MAX_SKIP}
     * iterations, and skipped keys expire after {@link #SKIPPED_KEY_TTL}, as the ratchet's.
     */
    public static final int MAX_SKIPPED_SENDER_KEYS = 2000;

    /*
     * Everyday content (CRYPTO.md §4 types 0x0F..0x15, §12 attachments). Clients check these
     * before queueing; decoders refuse anything outside them.
     */

    /** Longest disappearing-message timer (4 weeks, the queue's lifetime); 0 means off. */
    public static final int MAX_EXPIRE_SECONDS = 2_419_200;

    /** Text of a message or an edit, in UTF-8 bytes (a whole payload must still fit {@link #MAX_PADDED_PAYLOAD}). */
    public static final int MAX_TEXT_BYTES = 30_000;

    /** A reaction's emoji in UTF-8 bytes: room for any emoji sequence (flags, skin tones, ZWJ families). */
    public static final int MAX_EMOJI_BYTES = 32;

    /** A sender-made thumbnail inside the message (JPEG or PNG), small enough to leave room for a caption. */
    public static final int MAX_THUMBNAIL_BYTES = 16_384;

    /** An attachment's file name in UTF-8 bytes (the common file-system limit). */
    public static final int MAX_FILE_NAME_BYTES = 255;

    /** An attachment's content type ("type/subtype") in bytes. */
    public static final int MAX_CONTENT_TYPE_BYTES = 100;

    /** Largest attachment, in plaintext bytes (100 MiB): the server's default blob limit. */
    public static final long MAX_ATTACHMENT_BYTES = 104_857_600L;

    private Limits() {}
}
