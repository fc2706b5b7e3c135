package dev.parley.protocol.keys;

import dev.parley.protocol.codec.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * The roles an identity signature can have (CRYPTO.md §1.1). Every Ed25519 signature by
 * {@code IKs} is over {@code utf8(label) || 0x00 || data}; the labels are distinct and none is a
 * prefix of another followed by 0x00, so a signature made for one role never verifies in another.
 */
public enum SignatureContext {
    /** data = {@code IKd_pub}. */
    IDENTITY_BINDING("parley-identity-v1"),
    /** data = {@code u32 id || SPK_pub}. */
    SIGNED_PREKEY("parley-signed-prekey-v1"),
    /** data = {@code u32 id || u8 kind || PQ_pub}. */
    KEM_PREKEY("parley-kem-prekey-v1"),
    /** data = {@code u8 flags}. */
    CAPABILITIES("parley-capabilities-v1");

    private final String label;

    SignatureContext(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The exact bytes signed: {@code utf8(label) || 0x00 || data}. */
    public byte[] signedBytes(byte[] data) {
        return Bytes.concat(label.getBytes(StandardCharsets.UTF_8), new byte[] {0x00}, data);
    }
}
