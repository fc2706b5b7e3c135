package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import java.util.Optional;

/**
 * What an initiator fetches for a device (CRYPTO.md §1.2). The identity is verified on
 * construction of {@link PublicIdentity}; {@link #verify()} checks every other signature, and a
 * bundle with any invalid signature is refused as a whole.
 *
 * @param capabilities absent when the device never uploaded any: flags 0, no X3DH consent
 * @param oneTimePreKey absent when the server has no one-time prekey left
 * @param kemPreKey absent only for a bundle of a device without ML-KEM (X3DH, §2.4)
 */
public record PreKeyBundle(
        PublicIdentity identity,
        Optional<Capabilities> capabilities,
        SignedPreKeyPublic signedPreKey,
        Optional<OneTimePreKeyPublic> oneTimePreKey,
        Optional<KemPreKeyPublic> kemPreKey) {

    public PreKeyBundle {
        java.util.Objects.requireNonNull(identity);
        java.util.Objects.requireNonNull(capabilities);
        java.util.Objects.requireNonNull(signedPreKey);
        java.util.Objects.requireNonNull(oneTimePreKey);
        java.util.Objects.requireNonNull(kemPreKey);
    }

    /** True only if signed capabilities are present and accept X3DH. */
    public boolean acceptsX3dh() {
        return capabilities.map(Capabilities::acceptsX3dh).orElse(false);
    }

    /** Verifies the capabilities, signed prekey and KEM prekey signatures by {@code IKs}. */
    public void verify() throws ProtocolException {
        if (capabilities.isPresent()) {
            capabilities.get().verify(identity);
        }
        signedPreKey.verify(identity);
        if (kemPreKey.isPresent()) {
            kemPreKey.get().verify(identity);
        }
    }
}
