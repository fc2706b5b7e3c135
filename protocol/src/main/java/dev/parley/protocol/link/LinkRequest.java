package dev.parley.protocol.link;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteReader;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Ed25519;

/**
 * What a new device asks to be linked as (CRYPTO.md §10.2), before sealing:
 * {@code LinkRequest = u8 0x01 || 32 DKs_pub || u8 len || utf8(name)}, the name a
 * {@link DeviceName}. Decoding is strict: another format byte, a short key, a bad name or
 * trailing bytes are refused.
 *
 * @param deviceKey the new device's Ed25519 device key {@code DKs_pub}
 * @param name      the device's name, shown in the approval dialog
 */
public record LinkRequest(byte[] deviceKey, String name) {

    public static final int FORMAT = 0x01;

    public LinkRequest {
        deviceKey = Bytes.requireLength(deviceKey, Ed25519.KEY_SIZE, "device key").clone();
        DeviceName.encode(name);
    }

    @Override
    public byte[] deviceKey() {
        return deviceKey.clone();
    }

    public byte[] encode() {
        return new ByteWriter(2 + Ed25519.KEY_SIZE + DeviceName.MAX_BYTES)
                .u8(FORMAT).bytes(deviceKey).u8Prefixed(DeviceName.encode(name)).toByteArray();
    }

    public static LinkRequest decode(byte[] bytes) throws ProtocolException {
        ByteReader in = ByteReader.versioned(bytes, "LinkRequest", FORMAT);
        byte[] deviceKey = in.bytes(Ed25519.KEY_SIZE);
        String name = DeviceName.read(in);
        in.expectEnd();
        return new LinkRequest(deviceKey, name);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkRequest that && java.util.Arrays.equals(deviceKey, that.deviceKey)
                && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(deviceKey) * 31 + name.hashCode();
    }

    /** The name came out of an encrypted request: it is not printed. */
    @Override
    public String toString() {
        return "LinkRequest[deviceKey=" + Bytes.b64(deviceKey) + "]";
    }
}
