package dev.parley.protocol.keys;

import dev.parley.protocol.crypto.Randomness;

/** A local one-time X25519 prekey {@code OPK} (unsigned, used once). */
public final class OneTimePreKey {

    private final long id;
    private final X25519KeyPair keyPair;

    public OneTimePreKey(long id, X25519KeyPair keyPair) {
        this.id = PreKeyIds.requireOneTimeId(id);
        this.keyPair = keyPair;
    }

    public static OneTimePreKey generate(long id, Randomness randomness) {
        return new OneTimePreKey(id, X25519KeyPair.generate(randomness));
    }

    public OneTimePreKeyPublic publicKey() {
        return new OneTimePreKeyPublic(id, keyPair.publicKey());
    }

    public long id() {
        return id;
    }

    public X25519KeyPair keyPair() {
        return keyPair;
    }

    @Override
    public String toString() {
        return "OneTimePreKey[id=" + id + ", " + keyPair + "]";
    }
}
