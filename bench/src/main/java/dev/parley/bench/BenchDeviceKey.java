package dev.parley.bench;

import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair of the load generator: a device's own key (docs/PROTOCOL.md §3), listed
 * in its account's signed device list, which signs the device's logins over
 * {@link SignedBytes#deviceAuth}; and the signing half of a {@link BenchIdentity}.
 */
final class BenchDeviceKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] privateKey = new byte[32];
    private final byte[] publicKey = new byte[32];

    BenchDeviceKey() {
        RANDOM.nextBytes(privateKey);
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /** Signs bytes built by {@link SignedBytes} (they carry their label). */
    byte[] sign(byte[] signedBytes) {
        byte[] signature = new byte[64];
        Ed25519.sign(privateKey, 0, signedBytes, 0, signedBytes.length, signature, 0);
        return signature;
    }
}
