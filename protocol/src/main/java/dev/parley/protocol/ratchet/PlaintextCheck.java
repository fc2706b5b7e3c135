package dev.parley.protocol.ratchet;

import dev.parley.protocol.ProtocolException;

/**
 * A check that runs on a decrypted plaintext <em>before</em> the decryption is committed. If it
 * throws, the decryption is rolled back as if the ciphertext had not authenticated: no session
 * state changes and no prekey is consumed. Fan-out uses it so that a key message whose content
 * fails its digest or tag counts as never received.
 */
@FunctionalInterface
public interface PlaintextCheck {

    /** Accepts every plaintext. */
    PlaintextCheck NONE = plaintext -> { };

    void check(byte[] plaintext) throws ProtocolException;
}
