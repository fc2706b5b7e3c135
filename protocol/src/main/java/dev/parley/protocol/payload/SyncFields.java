package dev.parley.protocol.payload;

import dev.parley.protocol.codec.Utf8;
import dev.parley.wire.WireLimits;

/**
 * The field rules of the sync payloads (CRYPTO.md §4, types 0x06..0x0A), in one place: the
 * record constructors call them (so an invalid payload cannot be built) and the decoder turns
 * their {@link IllegalArgumentException} into a malformed-payload error.
 */
final class SyncFields {

    /** Largest timestamp or counter in a sync payload: 2^53 - 1, so both implementations hold it exactly. */
    static final long MAX_TIMESTAMP = (1L << 53) - 1;

    private SyncFields() {}

    /** A peer is a username ({@link WireLimits#USERNAME}: {@code [a-z0-9_]{3,32}}). */
    static void requirePeer(String peer) {
        if (peer == null || !WireLimits.USERNAME.matcher(peer).matches()) {
            throw new IllegalArgumentException("peer must be a username ([a-z0-9_]{3,32})");
        }
    }

    /** A message id: 1..64 UTF-8 bytes, as the payload's own id. */
    static void requireMessageId(String id) {
        int length = id == null ? 0 : Utf8.encode(id).length;
        if (length < 1 || length > PayloadCodec.MAX_ID_BYTES) {
            throw new IllegalArgumentException("message id must be 1..64 UTF-8 bytes");
        }
    }

    static void requireTimestamp(long value, String what) {
        if (value < 0 || value > MAX_TIMESTAMP) {
            throw new IllegalArgumentException(what + " must be 0..2^53-1");
        }
    }
}
