package dev.parley.bench;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A load-generator account's identity as the server sees it (docs/PROTOCOL.md §3): an Ed25519
 * signing key and an X25519 key, bound by a signature over {@link SignedBytes#identityBinding};
 * it signs the account's device lists. The bench needs no sessions, so it keeps no more than that.
 */
final class BenchIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] signingPrivate = new byte[32];
    private final IdentityKeys keys;

    BenchIdentity() {
        RANDOM.nextBytes(signingPrivate);
        byte[] signingPublic = new byte[32];
        Ed25519.generatePublicKey(signingPrivate, 0, signingPublic, 0);
        byte[] dhPrivate = new byte[32];
        byte[] dhPublic = new byte[32];
        X25519.generatePrivateKey(RANDOM, dhPrivate);
        X25519.generatePublicKey(dhPrivate, 0, dhPublic, 0);
        keys = new IdentityKeys(signingPublic, dhPublic, sign(SignedBytes.identityBinding(dhPublic)));
    }

    /** Signs bytes built by {@link SignedBytes} (they carry their label). */
    byte[] sign(byte[] signedBytes) {
        byte[] signature = new byte[64];
        Ed25519.sign(signingPrivate, 0, signedBytes, 0, signedBytes.length, signature, 0);
        return signature;
    }

    /** The account's device list at {@code version}, signed over {@link SignedBytes#deviceList}. */
    DeviceList deviceList(long version, List<DeviceEntry> devices) {
        long issuedAt = System.currentTimeMillis();
        return new DeviceList(version, issuedAt, List.copyOf(devices), sign(SignedBytes.deviceList(version, issuedAt, devices)));
    }

    /** The public identity of a {@code register} frame. */
    IdentityKeys keys() {
        return keys;
    }
}
