package dev.parley.wire.signed;

import dev.parley.wire.WireLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every byte layout an identity key signs, label included ({@link SignatureLabel}); the signer
 * signs these bytes and the verifier rebuilds them. Integers are unsigned big-endian.
 * Pinned by {@code test-vectors/wire/signed.json}, which the browser's {@code web/js/wire/signed.js}
 * is checked against too.
 */
public final class SignedBytes {

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
        return SignatureLabel.AUTH.signedBytes(data.toByteArray());
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
}
