package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.X25519;
import dev.parley.wire.signed.SignedBytes;
import java.util.Arrays;

/**
 * A remote device's public identity: {@code IKs_pub} (Ed25519), {@code IKd_pub} (X25519) and the
 * binding signature of {@code IKd_pub} by {@code IKs}. Instances exist only with a verified
 * binding. {@link #bytes()} is {@code IK = IKs_pub || IKd_pub} (64 bytes, CRYPTO.md §1); equality
 * is over these 64 bytes.
 */
public final class PublicIdentity implements Comparable<PublicIdentity> {

    public static final int SIZE = 64;

    private final byte[] signingKey;
    private final byte[] dhKey;
    private final byte[] binding;

    private PublicIdentity(byte[] signingKey, byte[] dhKey, byte[] binding) {
        this.signingKey = signingKey.clone();
        this.dhKey = dhKey.clone();
        this.binding = binding.clone();
    }

    /** Verifies the binding signature; refuses the identity if it does not verify. */
    public static PublicIdentity verify(byte[] signingKey, byte[] dhKey, byte[] binding) throws ProtocolException {
        if (signingKey == null || signingKey.length != Ed25519.KEY_SIZE
                || dhKey == null || dhKey.length != X25519.KEY_SIZE) {
            throw new ProtocolException(Failure.MALFORMED, "identity keys must be 32 bytes each");
        }
        if (!Ed25519.verify(signingKey, SignedBytes.identityBinding(dhKey), binding)) {
            throw new ProtocolException(Failure.INVALID_SIGNATURE, "identity binding signature");
        }
        return new PublicIdentity(signingKey, dhKey, binding);
    }

    /** Verifies {@code signature} by {@code IKs} over {@code signedBytes}, a layout of {@link SignedBytes}. */
    public void verifySignature(byte[] signedBytes, byte[] signature, String what) throws ProtocolException {
        if (!Ed25519.verify(signingKey, signedBytes, signature)) {
            throw new ProtocolException(Failure.INVALID_SIGNATURE, what + " signature");
        }
    }

    /** {@code IK = IKs_pub || IKd_pub}. */
    public byte[] bytes() {
        return Bytes.concat(signingKey, dhKey);
    }

    public byte[] signingKey() {
        return signingKey.clone();
    }

    public byte[] dhKey() {
        return dhKey.clone();
    }

    public byte[] binding() {
        return binding.clone();
    }

    /** Bytewise unsigned order over {@code IK} (CRYPTO.md §2.3). */
    @Override
    public int compareTo(PublicIdentity other) {
        return Bytes.compareUnsigned(bytes(), other.bytes());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicIdentity that
                && Arrays.equals(signingKey, that.signingKey) && Arrays.equals(dhKey, that.dhKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signingKey) * 31 + Arrays.hashCode(dhKey);
    }

    @Override
    public String toString() {
        return "PublicIdentity[" + Bytes.b64(bytes()) + "]";
    }
}
