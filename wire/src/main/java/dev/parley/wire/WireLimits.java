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

    /** Relayed messages one connection may hold unacknowledged; also the sends a client may pipeline. */
    public static final int DELIVERY_WINDOW = 256;

    private WireLimits() {
    }
}
