package dev.parley.client;

import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.WireJson;

/**
 * Message ids: 128 random bits in base64url (22 characters of {@code A-Z a-z 0-9 _ -}), used both
 * as the wire id of {@code send_message} (unique per sender and recipient, so the server
 * deduplicates resends) and as the payload id that receipts name.
 */
final class MessageIds {

    private MessageIds() {
    }

    static String random(Randomness randomness) {
        return WireJson.base64(randomness.bytes(16));
    }
}
