package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.crypto.X25519;

/** A local X25519 key pair (identity DH key, prekeys, ratchet keys). Prints only its public key. */
public final class X25519KeyPair {

    private final byte[] privateKey;
    private final byte[] publicKey;

    private X25519KeyPair(byte[] privateKey) {
        this.privateKey = Bytes.requireLength(privateKey, X25519.KEY_SIZE, "X25519 private key").clone();
        this.publicKey = X25519.publicKey(this.privateKey);
    }

    /** Draws 32 bytes from {@code randomness} as the private key. */
    public static X25519KeyPair generate(Randomness randomness) {
        return new X25519KeyPair(X25519.newPrivateKey(randomness));
    }

    public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
        return new X25519KeyPair(privateKey);
    }

    /** {@code DH(this, remotePublicKey)}; refuses an all-zero result. */
    public byte[] agree(byte[] remotePublicKey) throws ProtocolException {
        return X25519.agree(privateKey, remotePublicKey);
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The raw private key, for the caller's key store only. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public String toString() {
        return "X25519KeyPair[public=" + Bytes.b64(publicKey) + "]";
    }
}
