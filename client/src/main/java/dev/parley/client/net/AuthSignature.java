package dev.parley.client.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ClientException;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.IdentityKeyPair;
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

    /**
     * A signed {@code register} / {@code login} / {@code reset} frame (PROTOCOL.md §3) over the
     * connection's next challenge, for the origin the connection addressed; the caller adds the
     * action's other fields.
     */
    public static ObjectNode frame(Connection connection, String action, String username, IdentityKeyPair identity,
            long timestamp) throws ClientException {
        byte[] nonce = connection.takeChallenge();
        String origin = connection.server().origin();
        byte[] signature = Ed25519.sign(identity.signingPrivateKey(), identity.publicIdentity().signingKey(),
                signedBytes(nonce, origin, timestamp, action, username));
        return Connection.JSON.createObjectNode().put("type", action).put("id", connection.nextRequestId())
                .put("username", username).put("origin", origin).put("timestamp", timestamp)
                .put("signature", Connection.b64(signature));
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
