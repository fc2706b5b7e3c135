package dev.parley.protocol.keys;

import dev.parley.protocol.crypto.Randomness;

/** A local one-time X25519 prekey {@code OPK} (unsigned, used once). Prints only its id and public key. */
public record OneTimePreKey(long id, X25519KeyPair keyPair) {

    public OneTimePreKey {
        PreKeyIds.requireOneTimeId(id);
    }

    public static OneTimePreKey generate(long id, Randomness randomness) {
        return new OneTimePreKey(id, X25519KeyPair.generate(randomness));
    }

    public OneTimePreKeyPublic publicKey() {
        return new OneTimePreKeyPublic(id, keyPair.publicKey());
    }

    @Override
    public String toString() {
        return "OneTimePreKey[id=" + id + ", " + keyPair + "]";
    }
}
