package dev.parley.protocol.keys;

import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.signed.SignedBytes;

/**
 * A local signed prekey {@code SPK}: an X25519 pair with a {@code u32} id, signed by
 * {@code IKs} over {@link SignedBytes#signedPreKey}. Prints only its id and public key.
 */
public record SignedPreKey(long id, X25519KeyPair keyPair, byte[] signature) {

    public SignedPreKey {
        PreKeyIds.requireU32(id);
        signature = signature.clone();
    }

    /** Draws 32 bytes for the key and signs it. */
    public static SignedPreKey generate(IdentityKeyPair identity, long id, Randomness randomness) {
        X25519KeyPair keyPair = X25519KeyPair.generate(randomness);
        return new SignedPreKey(id, keyPair, identity.sign(SignedBytes.signedPreKey(id, keyPair.publicKey())));
    }

    public SignedPreKeyPublic publicKey() {
        return new SignedPreKeyPublic(id, keyPair.publicKey(), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "SignedPreKey[id=" + id + ", " + keyPair + "]";
    }
}
