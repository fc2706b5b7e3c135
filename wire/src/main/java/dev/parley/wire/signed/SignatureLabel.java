package dev.parley.wire.signed;

import java.nio.charset.StandardCharsets;

/**
 * The roles a signature can have (docs/CRYPTO.md §1.1, docs/PROTOCOL.md §3). Every Ed25519
 * signature by an identity key or a device key is over {@code utf8(label) || 0x00 || data}; the labels
 * are distinct and none is a prefix of another followed by 0x00, so a signature made for one
 * role never verifies in another. A new signed layout gets a new label here, a method in
 * {@link SignedBytes} and an entry in {@code test-vectors/wire/signed.json}.
 */
public enum SignatureLabel {
    /** data: the auth layout of {@link SignedBytes#auth}. */
    AUTH("parley-auth-v1"),
    /** data: {@code dhKey}, the identity's X25519 key. */
    IDENTITY_BINDING("parley-identity-v1"),
    /** data: {@code u32 id || key}. */
    SIGNED_PREKEY("parley-signed-prekey-v1"),
    /** data: {@code u32 id || u8 kind || key}. */
    KEM_PREKEY("parley-kem-prekey-v1"),
    /** data: {@code u8 flags}. */
    CAPABILITIES("parley-capabilities-v1"),
    /** data: the account's device list of {@link SignedBytes#deviceList}, signed by the identity. */
    DEVICE_LIST("parley-device-list-v1"),
    /** data: the device login layout of {@link SignedBytes#deviceAuth}, signed by the device key, not the identity. */
    DEVICE_AUTH("parley-device-auth-v1"),
    /** data: a group change's {@code ChangeBody} ({@link SignedBytes#groupChange}), signed by the author's identity. */
    GROUP_CHANGE("parley-group-change-v1"),
    /** data: {@code 32 groupId || header || ciphertext} of a group message ({@link SignedBytes#groupMessage}), signed by the sender-key chain's key. */
    GROUP_MESSAGE("parley-group-message-v1");

    private final String label;

    SignatureLabel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The exact bytes signed: {@code utf8(label) || 0x00 || data}. */
    public byte[] signedBytes(byte[] data) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[labelBytes.length + 1 + data.length];
        System.arraycopy(labelBytes, 0, out, 0, labelBytes.length);
        System.arraycopy(data, 0, out, labelBytes.length + 1, data.length);
        return out;
    }
}
