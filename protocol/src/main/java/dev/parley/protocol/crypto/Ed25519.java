package dev.parley.protocol.crypto;

import dev.parley.protocol.codec.Bytes;

/**
 * Ed25519 (RFC 8032, pure, no prehash) over BouncyCastle. Private keys are the 32-byte seed.
 *
 * <p>Verification is BouncyCastle's: it refuses {@code S >= L} (non-canonical S), non-canonical
 * encodings of {@code R} and {@code A}, and small-order {@code A}; wrong-length signatures and keys
 * are refused here before reaching it.
 */
public final class Ed25519 {

    public static final int KEY_SIZE = 32;
    public static final int SIGNATURE_SIZE = 64;

    private Ed25519() {}

    /** Draws a private key (seed): exactly 32 bytes from {@code randomness}. */
    public static byte[] newPrivateKey(Randomness randomness) {
        return randomness.bytes(KEY_SIZE);
    }

    public static byte[] publicKey(byte[] privateKey) {
        Bytes.requireLength(privateKey, KEY_SIZE, "Ed25519 private key");
        byte[] out = new byte[KEY_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(privateKey, 0, out, 0);
        return out;
    }

    /** Signs {@code message}; deterministic (RFC 8032). */
    public static byte[] sign(byte[] privateKey, byte[] publicKey, byte[] message) {
        Bytes.requireLength(privateKey, KEY_SIZE, "Ed25519 private key");
        Bytes.requireLength(publicKey, KEY_SIZE, "Ed25519 public key");
        byte[] signature = new byte[SIGNATURE_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
                privateKey, 0, publicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** True only for a valid signature of exactly 64 bytes by a 32-byte public key. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_SIZE
                || signature == null || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                signature, 0, publicKey, 0, message, 0, message.length);
    }
}
