package dev.parley.server.testing;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair for tests: a device key {@code DKs} (a device signs its logins with it),
 * and the signing half of a {@link TestIdentity}.
 */
public final class TestDeviceKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] privateKey = new byte[32];
    private final byte[] publicKey = new byte[32];

    public TestDeviceKey() {
        RANDOM.nextBytes(privateKey);
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    public byte[] sign(byte[] message) {
        byte[] signature = new byte[64];
        Ed25519.sign(privateKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }
}
