package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.wire.signed.SignedBytes;

/**
 * A device's signed capability flags (CRYPTO.md §2.4), signed over
 * {@link SignedBytes#capabilities}. Parley clients publish {@code flags = 0}.
 */
public record Capabilities(int flags, byte[] signature) {

    /** Bit 0: the device accepts X3DH (mode 0x02) initial messages. */
    public static final int ACCEPTS_X3DH = 0x01;

    public Capabilities {
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("capability flags are a u8");
        }
        signature = signature.clone();
    }

    public static Capabilities sign(IdentityKeyPair identity, int flags) {
        return new Capabilities(flags, identity.sign(SignedBytes.capabilities(flags)));
    }

    public void verify(PublicIdentity owner) throws ProtocolException {
        owner.verifySignature(SignedBytes.capabilities(flags), signature, "capabilities");
    }

    public boolean acceptsX3dh() {
        return (flags & ACCEPTS_X3DH) != 0;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "Capabilities[flags=" + flags + "]";
    }
}
