package dev.parley.bench;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A load-generator account's identity as the server sees it (docs/PROTOCOL.md §3): an Ed25519
 * signing key and an X25519 key, bound by a signature over {@link SignedBytes#identityBinding};
 * it signs the account's device lists. The bench needs no sessions, so it keeps no more than that.
 */
final class BenchIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The identity signing key IKs (the same kind of Ed25519 pair as a device key). */
    private final BenchDeviceKey signing = new BenchDeviceKey();
    private final IdentityKeys keys;

    BenchIdentity() {
        byte[] dhPrivate = new byte[32];
        byte[] dhPublic = new byte[32];
        X25519.generatePrivateKey(RANDOM, dhPrivate);
        X25519.generatePublicKey(dhPrivate, 0, dhPublic, 0);
        keys = new IdentityKeys(signing.publicKey(), dhPublic, sign(SignedBytes.identityBinding(dhPublic)));
    }

    /** Signs bytes built by {@link SignedBytes} (they carry their label). */
    byte[] sign(byte[] signedBytes) {
        return signing.sign(signedBytes);
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
