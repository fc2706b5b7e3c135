package dev.parley.protocol.handshake;

import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.wire.signed.KemKeyKind;
import java.util.Optional;

/**
 * The responder's private prekeys, provided by the caller (the SDK's database, the browser's
 * IndexedDB, a map in tests). {@link Responder} only reads until a PreKeyMessage has been
 * fully verified and decrypted, and calls the {@code consume} methods only then (CRYPTO.md §2.1
 * step 4); a corrupted message therefore never consumes a prekey.
 */
public interface PrivatePreKeys {

    Optional<SignedPreKey> signedPreKey(long id);

    Optional<OneTimePreKey> oneTimePreKey(long id);

    Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind);

    /** Deletes a one-time prekey after a successful handshake that used it. */
    void consumeOneTimePreKey(long id);

    /** Deletes a one-time KEM prekey after a successful handshake that used it. */
    void consumeOneTimeKemPreKey(long id);
}
