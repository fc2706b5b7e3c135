package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A device identity as the server sees it (docs/PROTOCOL.md §3): an Ed25519 signing key and an
 * X25519 key, bound by a signature with the label {@code parley-identity-v1}.
 */
final class Identity {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] signingPrivate = new byte[32];
    private final byte[] signingPublic = new byte[32];
    private final byte[] dhPublic = new byte[32];
    private final byte[] binding;

    Identity() {
        RANDOM.nextBytes(signingPrivate);
        Ed25519.generatePublicKey(signingPrivate, 0, signingPublic, 0);
        byte[] dhPrivate = new byte[32];
        X25519.generatePrivateKey(RANDOM, dhPrivate);
        X25519.generatePublicKey(dhPrivate, 0, dhPublic, 0);
        byte[] label = "parley-identity-v1".getBytes(StandardCharsets.US_ASCII);
        byte[] bound = new byte[label.length + 1 + dhPublic.length];
        System.arraycopy(label, 0, bound, 0, label.length);
        System.arraycopy(dhPublic, 0, bound, label.length + 1, dhPublic.length);
        binding = sign(bound);
    }

    byte[] sign(byte[] message) {
        byte[] signature = new byte[64];
        Ed25519.sign(signingPrivate, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** The {@code identity} object of a {@code register} frame. */
    String json() {
        return "{\"signingKey\":\"" + B64.encodeToString(signingPublic) + "\",\"dhKey\":\"" + B64.encodeToString(dhPublic)
                + "\",\"binding\":\"" + B64.encodeToString(binding) + "\"}";
    }

    /**
     * The bytes signed to register or log in: {@code utf8("parley-auth-v1") || 0x00 || nonce ||
     * u16 len || origin || u64 timestamp || u8 len || action || u8 len || username}.
     */
    static byte[] authMessage(byte[] nonce, String origin, long timestamp, String action, String username) {
        byte[] label = "parley-auth-v1".getBytes(StandardCharsets.US_ASCII);
        byte[] originBytes = origin.getBytes(StandardCharsets.UTF_8);
        byte[] actionBytes = action.getBytes(StandardCharsets.UTF_8);
        byte[] userBytes = username.getBytes(StandardCharsets.UTF_8);
        var out = java.nio.ByteBuffer.allocate(label.length + 1 + nonce.length + 2 + originBytes.length + 8
                + 1 + actionBytes.length + 1 + userBytes.length);
        out.put(label).put((byte) 0).put(nonce)
                .putShort((short) originBytes.length).put(originBytes)
                .putLong(timestamp)
                .put((byte) actionBytes.length).put(actionBytes)
                .put((byte) userBytes.length).put(userBytes);
        return out.array();
    }
}
