package dev.parley.protocol.keys;

import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.crypto.Randomness;

/**
 * A local signed prekey {@code SPK}: an X25519 pair with a {@code u32} id, signed by
 * {@code IKs} over {@code u32 id || SPK_pub} in context {@link SignatureContext#SIGNED_PREKEY}.
 */
public final class SignedPreKey {

    private final long id;
    private final X25519KeyPair keyPair;
    private final byte[] signature;

    public SignedPreKey(long id, X25519KeyPair keyPair, byte[] signature) {
        this.id = PreKeyIds.requireU32(id);
        this.keyPair = keyPair;
        this.signature = signature.clone();
    }

    /** Draws 32 bytes for the key and signs it. */
    public static SignedPreKey generate(IdentityKeyPair identity, long id, Randomness randomness) {
        X25519KeyPair keyPair = X25519KeyPair.generate(randomness);
        return new SignedPreKey(id, keyPair, identity.sign(SignatureContext.SIGNED_PREKEY, signedData(id, keyPair.publicKey())));
    }

    /** {@code u32 id || SPK_pub}. */
    static byte[] signedData(long id, byte[] publicKey) {
        return new ByteWriter(36).u32(id).bytes(publicKey).toByteArray();
    }

    public SignedPreKeyPublic publicKey() {
        return new SignedPreKeyPublic(id, keyPair.publicKey(), signature);
    }

    public long id() {
        return id;
    }

    public X25519KeyPair keyPair() {
        return keyPair;
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "SignedPreKey[id=" + id + ", " + keyPair + "]";
    }
}
