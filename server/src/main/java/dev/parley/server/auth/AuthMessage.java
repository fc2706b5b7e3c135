package dev.parley.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a client signs with its Ed25519 identity key to register, log in or reset
 * (docs/PROTOCOL.md, "Authentication"):
 *
 * <pre>
 * utf8("parley-auth-v1") || 0x00
 * || nonce (32 bytes, the server's single-use challenge)
 * || u16 len || utf8(origin)      the server origin as the client sees it, e.g. http://127.0.0.1:5000
 * || u64 timestamp                client clock, ms since the epoch
 * || u8 len || utf8(action)       "register" | "login" | "reset"
 * || u8 len || utf8(username)
 * </pre>
 *
 * The context label keeps these signatures apart from every other signature the identity key
 * makes (docs/CRYPTO.md §1.1); the nonce makes each one single-use; the origin stops a
 * signature made for one server being replayed to another.
 */
public final class AuthMessage {

    public static final String LABEL = "parley-auth-v1";
    public static final int NONCE_BYTES = 32;

    private AuthMessage() {
    }

    public static byte[] encode(byte[] nonce, String origin, long timestamp, String action, String username) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be 32 bytes");
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
