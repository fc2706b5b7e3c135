package dev.parley.protocol.crypto;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;

/**
 * X25519 (RFC 7748) over BouncyCastle's constant-time implementation. Private keys are the raw
 * 32 bytes as drawn (clamping happens inside the scalar multiplication), public keys the raw
 * 32-byte u-coordinate.
 */
public final class X25519 {

    public static final int KEY_SIZE = 32;

    private X25519() {}

    /** Draws a private key: exactly 32 bytes from {@code randomness}. */
    public static byte[] newPrivateKey(Randomness randomness) {
        return randomness.bytes(KEY_SIZE);
    }

    public static byte[] publicKey(byte[] privateKey) {
        Bytes.requireLength(privateKey, KEY_SIZE, "X25519 private key");
        byte[] out = new byte[KEY_SIZE];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, out, 0);
        return out;
    }

    /**
     * {@code DH(a, B)} of CRYPTO.md §0. An all-zero result (low-order or small-subgroup public
     * key) is refused, so nothing is ever derived from it.
     */
    public static byte[] agree(byte[] privateKey, byte[] publicKey) throws ProtocolException {
        Bytes.requireLength(privateKey, KEY_SIZE, "X25519 private key");
        if (publicKey == null || publicKey.length != KEY_SIZE) {
            throw new ProtocolException(Failure.INVALID_KEY, "X25519 public key must be 32 bytes");
        }
        byte[] out = new byte[KEY_SIZE];
        // calculateAgreement performs the RFC 7748 §6.1 all-zero check in constant time.
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0)) {
            throw new ProtocolException(Failure.LOW_ORDER_POINT, "X25519 output is all zero");
        }
        return out;
    }
}
