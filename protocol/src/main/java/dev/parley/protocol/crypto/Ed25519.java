package dev.parley.protocol.crypto;

import dev.parley.protocol.codec.Bytes;

/**
 * Ed25519 (RFC 8032, pure, no prehash) over BouncyCastle. Private keys are the 32-byte seed.
 *
 * <p>Verification refuses wrong-length keys and signatures and a non-canonical {@code S}
 * ({@code S >= L}, which would make signatures malleable) here, then runs BouncyCastle's
 * verifier, which also refuses non-canonical encodings of {@code R} and {@code A} and
 * small-order {@code A} (CRYPTO.md §0, §9).
 */
public final class Ed25519 {

    public static final int KEY_SIZE = 32;
    public static final int SIGNATURE_SIZE = 64;

    /** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
    private static final byte[] ORDER_LE = {
        (byte) 0xed, (byte) 0xd3, (byte) 0xf5, (byte) 0x5c, (byte) 0x1a, (byte) 0x63, (byte) 0x12, (byte) 0x58,
        (byte) 0xd6, (byte) 0x9c, (byte) 0xf7, (byte) 0xa2, (byte) 0xde, (byte) 0xf9, (byte) 0xde, (byte) 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x10};

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
                || signature == null || signature.length != SIGNATURE_SIZE || !canonicalScalar(signature)) {
            return false;
        }
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                signature, 0, publicKey, 0, message, 0, message.length);
    }

    /** True if {@code S} (bytes 32..63, little-endian) is below L. Public data: no constant-time need. */
    static boolean canonicalScalar(byte[] signature) {
        for (int i = KEY_SIZE - 1; i >= 0; i--) {
            int s = signature[KEY_SIZE + i] & 0xFF;
            int l = ORDER_LE[i] & 0xFF;
            if (s != l) {
                return s < l;
            }
        }
        return false; // S == L
    }
}
