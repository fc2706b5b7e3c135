package dev.parley.client.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a device signs with its Ed25519 identity key to register, log in or reset
 * (PROTOCOL.md §3):
 *
 * <pre>
 * utf8("parley-auth-v1") || 0x00
 * || nonce (32 bytes, the server's single-use challenge)
 * || u16 len || utf8(origin)
 * || u64 timestamp (ms since the epoch)
 * || u8 len || utf8(action)       "register" | "login" | "reset"
 * || u8 len || utf8(username)
 * </pre>
 *
 * The label separates these signatures from every other one the identity key makes (CRYPTO.md
 * §1.1); the nonce makes each single-use; the origin ties it to one server.
 */
public final class AuthSignature {

    public static final String LABEL = "parley-auth-v1";
    public static final int NONCE_BYTES = 32;

    private AuthSignature() {
    }

    public static byte[] signedBytes(byte[] nonce, String origin, long timestamp, String action, String username) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("challenge nonce must be 32 bytes");
        }
        byte[] originBytes = origin.getBytes(StandardCharsets.UTF_8);
        byte[] actionBytes = action.getBytes(StandardCharsets.UTF_8);
        byte[] userBytes = username.getBytes(StandardCharsets.UTF_8);
        if (originBytes.length > 0xFFFF || actionBytes.length > 0xFF || userBytes.length > 0xFF) {
            throw new IllegalArgumentException("auth field too long");
        }
        var out = new ByteArrayOutputStream(128);
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(nonce);
        out.write(originBytes.length >>> 8);
        out.write(originBytes.length & 0xFF);
        out.writeBytes(originBytes);
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(timestamp).array());
        out.write(actionBytes.length);
        out.writeBytes(actionBytes);
        out.write(userBytes.length);
        out.writeBytes(userBytes);
        return out.toByteArray();
    }
}
