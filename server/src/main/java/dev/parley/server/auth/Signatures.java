package dev.parley.server.auth;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 verification for everything the server checks: auth signatures, identity bindings
 * and prekey signatures. BouncyCastle's low-level Ed25519, chosen for its cost per verification
 * (every login and prekey upload verifies) and because it rejects non-canonical S and invalid
 * point encodings.
 */
public final class Signatures {

    /** Context labels of docs/CRYPTO.md §1.1. */
    public static final String IDENTITY_LABEL = "parley-identity-v1";
    public static final String SIGNED_PREKEY_LABEL = "parley-signed-prekey-v1";
    public static final String KEM_PREKEY_LABEL = "parley-kem-prekey-v1";
    public static final String CAPABILITIES_LABEL = "parley-capabilities-v1";

    public static final byte KEM_LAST_RESORT = 0x01;
    public static final byte KEM_ONE_TIME = 0x02;

    private Signatures() {
    }

    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }

    /** Verifies {@code signature} over {@code utf8(label) || 0x00 || data}. */
    public static boolean verifyWithContext(byte[] publicKey, String label, byte[] data, byte[] signature) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[labelBytes.length + 1 + data.length];
        System.arraycopy(labelBytes, 0, message, 0, labelBytes.length);
        System.arraycopy(data, 0, message, labelBytes.length + 1, data.length);
        return verify(publicKey, message, signature);
    }

    /** {@code u32 id || key}, the signed data of a signed X25519 prekey. */
    public static byte[] signedPreKeyData(long id, byte[] key) {
        return concat(u32(id), key);
    }

    /** {@code u32 id || u8 kind || key}, the signed data of an ML-KEM prekey. */
    public static byte[] kemPreKeyData(long id, byte kind, byte[] key) {
        return concat(u32(id), new byte[] {kind}, key);
    }

    private static byte[] u32(long id) {
        return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
