package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.signed.SignedBytes;

/**
 * This device's identity: the Ed25519 signing key {@code IKs} and the X25519 DH key {@code IKd},
 * with the binding signature (CRYPTO.md §1). Prints only public material.
 */
public final class IdentityKeyPair {

    private final byte[] signingPrivateKey;
    private final byte[] signingPublicKey;
    private final X25519KeyPair dh;
    private final PublicIdentity publicIdentity;

    private IdentityKeyPair(byte[] signingPrivateKey, X25519KeyPair dh) {
        this.signingPrivateKey = Bytes.requireLength(signingPrivateKey, Ed25519.KEY_SIZE, "Ed25519 private key").clone();
        this.signingPublicKey = Ed25519.publicKey(this.signingPrivateKey);
        this.dh = dh;
        byte[] binding = sign(SignedBytes.identityBinding(dh.publicKey()));
        try {
            this.publicIdentity = PublicIdentity.verify(signingPublicKey, dh.publicKey(), binding);
        } catch (ProtocolException e) {
            throw new IllegalStateException("own identity binding does not verify", e);
        }
    }

    /** Draws 32 bytes for {@code IKs}, then 32 bytes for {@code IKd}. */
    public static IdentityKeyPair generate(Randomness randomness) {
        byte[] signing = Ed25519.newPrivateKey(randomness);
        return new IdentityKeyPair(signing, X25519KeyPair.generate(randomness));
    }

    /** Restores an identity from its two raw private keys. */
    public static IdentityKeyPair fromPrivateKeys(byte[] signingPrivateKey, byte[] dhPrivateKey) {
        return new IdentityKeyPair(signingPrivateKey, X25519KeyPair.fromPrivateKey(dhPrivateKey));
    }

    /**
     * Ed25519 signature over {@code signedBytes}, which are always one of the labelled layouts
     * of {@link SignedBytes} (the label keeps a signature for one role from verifying in another).
     */
    public byte[] sign(byte[] signedBytes) {
        return Ed25519.sign(signingPrivateKey, signingPublicKey, signedBytes);
    }

    public PublicIdentity publicIdentity() {
        return publicIdentity;
    }

    /** The X25519 identity key {@code IKd}. */
    public X25519KeyPair dh() {
        return dh;
    }

    /** The raw Ed25519 seed, for the caller's key store only. */
    public byte[] signingPrivateKey() {
        return signingPrivateKey.clone();
    }

    @Override
    public String toString() {
        return "IdentityKeyPair[" + publicIdentity + "]";
    }
}
