package dev.parley.wire.signed;

import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeviceFrames;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every byte layout an identity key or a device key signs, label included ({@link SignatureLabel}); the signer
 * signs these bytes and the verifier rebuilds them. Integers are unsigned big-endian.
 * Pinned by {@code test-vectors/wire/signed.json}, which the browser's {@code web/js/wire/signed.js}
 * is checked against too.
 */
public final class SignedBytes {

    /** A group id's size (the protocol's {@code GroupId.SIZE}). */
    private static final int GROUP_ID_BYTES = 32;

    private SignedBytes() {
    }

    /**
     * The auth signature of register, login and reset (docs/PROTOCOL.md §3):
     * <pre>
     * utf8("parley-auth-v1") || 0x00
     * || nonce (32 bytes, the server's single-use challenge)
     * || u16 len || utf8(origin)      the server origin as the client addressed it
     * || u64 timestamp                client clock, ms since the epoch
     * || u8 len || utf8(action)       the frame's type: "register" | "login" | "reset"
     * || u8 len || utf8(username)
     * </pre>
     * The nonce makes each signature single-use; the origin stops a signature made for one
     * server being replayed to another.
     */
    public static byte[] auth(byte[] nonce, String origin, long timestamp, String action, String username) {
        return SignatureLabel.AUTH.signedBytes(authData(nonce, origin, timestamp, action, username).toByteArray());
    }

    /**
     * A device's login signature, by its device key {@code DKs} (docs/PROTOCOL.md §3): the
     * {@link #auth} layout with action {@code "login"}, followed by the device id.
     * <pre>
     * utf8("parley-device-auth-v1") || 0x00
     * || nonce (32) || u16 len || utf8(origin) || u64 timestamp
     * || u8 len || utf8("login") || u8 len || utf8(username) || u8 deviceId
     * </pre>
     */
    public static byte[] deviceAuth(byte[] nonce, String origin, long timestamp, String username, int device) {
        checkDeviceId(device);
        var data = authData(nonce, origin, timestamp, "login", username);
        data.write(device);
        return SignatureLabel.DEVICE_AUTH.signedBytes(data.toByteArray());
    }

    /**
     * An account's device list, signed by its identity key {@code IKs}:
     * <pre>
     * utf8("parley-device-list-v1") || 0x00
     * || u8 0x01 (format) || u64 version || u64 issuedAt
     * || u8 count || count x ( u8 deviceId || 32 DKs_pub || u64 linkedAt )
     * </pre>
     * Entries in the order given; that the order is ascending and the ids distinct is the
     * list's own rule ({@link DeviceFrames.DeviceList}), checked where lists are read.
     */
    public static byte[] deviceList(long version, long issuedAt, List<DeviceEntry> devices) {
        if (devices.size() > 0xFF) {
            throw new IllegalArgumentException("a device list holds at most 255 devices");
        }
        var data = ByteBuffer.allocate(1 + 8 + 8 + 1 + devices.size() * (1 + WireLimits.ED25519_KEY_BYTES + 8));
        data.put((byte) 0x01).putLong(version).putLong(issuedAt).put((byte) devices.size());
        for (DeviceEntry device : devices) {
            checkDeviceId(device.id());
            if (device.key().length != WireLimits.ED25519_KEY_BYTES) {
                throw new IllegalArgumentException("a device key is " + WireLimits.ED25519_KEY_BYTES + " bytes");
            }
            data.put((byte) device.id()).put(device.key()).putLong(device.linkedAt());
        }
        return SignatureLabel.DEVICE_LIST.signedBytes(data.array());
    }

    private static void checkDeviceId(int device) {
        if (device < 1 || device > WireLimits.MAX_DEVICE_ID) {
            throw new IllegalArgumentException("a device id is from 1 to " + WireLimits.MAX_DEVICE_ID);
        }
    }

    /** The data of the auth layouts, without their label. */
    private static ByteArrayOutputStream authData(byte[] nonce, String origin, long timestamp, String action, String username) {
        if (nonce.length != WireLimits.NONCE_BYTES) {
            throw new IllegalArgumentException("the nonce must be " + WireLimits.NONCE_BYTES + " bytes");
        }
        byte[] originBytes = origin.getBytes(StandardCharsets.UTF_8);
        byte[] actionBytes = action.getBytes(StandardCharsets.UTF_8);
        byte[] userBytes = username.getBytes(StandardCharsets.UTF_8);
        if (originBytes.length > 0xFFFF || actionBytes.length > 0xFF || userBytes.length > 0xFF) {
            throw new IllegalArgumentException("an auth field is too long");
        }
        var data = new ByteArrayOutputStream(128);
        data.writeBytes(nonce);
        data.write(originBytes.length >>> 8);
        data.write(originBytes.length & 0xFF);
        data.writeBytes(originBytes);
        data.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(timestamp).array());
        data.write(actionBytes.length);
        data.writeBytes(actionBytes);
        data.write(userBytes.length);
        data.writeBytes(userBytes);
        return data;
    }

    /** The binding of an identity's X25519 key to its Ed25519 key. */
    public static byte[] identityBinding(byte[] dhKey) {
        return SignatureLabel.IDENTITY_BINDING.signedBytes(dhKey);
    }

    public static byte[] signedPreKey(long id, byte[] key) {
        return SignatureLabel.SIGNED_PREKEY.signedBytes(ByteBuffer.allocate(4 + key.length).putInt((int) id).put(key).array());
    }

    public static byte[] kemPreKey(long id, KemKeyKind kind, byte[] key) {
        return SignatureLabel.KEM_PREKEY.signedBytes(
                ByteBuffer.allocate(5 + key.length).putInt((int) id).put(kind.signedByte()).put(key).array());
    }

    public static byte[] capabilities(int flags) {
        return SignatureLabel.CAPABILITIES.signedBytes(new byte[] {(byte) flags});
    }

    /**
     * A group change, signed by its author's identity key {@code IKs} (docs/CRYPTO.md §11):
     * <pre>
     * utf8("parley-group-change-v1") || 0x00 || ChangeBody
     * </pre>
     * {@code ChangeBody} is the whole change without its signature; its layout is the protocol's
     * ({@code dev.parley.protocol.groups.GroupChange}).
     */
    public static byte[] groupChange(byte[] changeBody) {
        if (changeBody.length == 0) {
            throw new IllegalArgumentException("a change body is not empty");
        }
        return SignatureLabel.GROUP_CHANGE.signedBytes(changeBody);
    }

    /**
     * A group message, signed by its sender-key chain's signing key (docs/CRYPTO.md §11):
     * <pre>
     * utf8("parley-group-message-v1") || 0x00 || 32 groupId || header || ciphertext
     * </pre>
     * The group id is signed although it is not sent: a message signed for one group never
     * verifies in another.
     */
    public static byte[] groupMessage(byte[] groupId, byte[] headerAndCiphertext) {
        if (groupId.length != GROUP_ID_BYTES) {
            throw new IllegalArgumentException("a group id is " + GROUP_ID_BYTES + " bytes");
        }
        byte[] data = new byte[groupId.length + headerAndCiphertext.length];
        System.arraycopy(groupId, 0, data, 0, groupId.length);
        System.arraycopy(headerAndCiphertext, 0, data, groupId.length, headerAndCiphertext.length);
        return SignatureLabel.GROUP_MESSAGE.signedBytes(data);
    }
}
