package dev.parley.server.auth;

import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 verification for everything the server checks: auth signatures, identity bindings
 * and prekey signatures, each over the bytes {@link dev.parley.wire.signed.SignedBytes} lays out
 * (label included). BouncyCastle's low-level Ed25519, chosen for its cost per verification
 * (every login and prekey upload verifies) and because it rejects non-canonical S and invalid
 * point encodings.
 */
public final class Signatures {

    private Signatures() {
    }

    public static boolean verify(byte[] publicKey, byte[] signedBytes, byte[] signature) {
        if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        return Ed25519.verify(signature, 0, publicKey, 0, signedBytes, 0, signedBytes.length);
    }

    /** Refuses the frame with {@code bad_signature} and {@code message} unless the signature verifies. */
    public static void require(byte[] publicKey, byte[] signedBytes, byte[] signature, String message) {
        if (!verify(publicKey, signedBytes, signature)) {
            throw new FrameRefused(ErrorCode.BAD_SIGNATURE, message);
        }
    }
}
