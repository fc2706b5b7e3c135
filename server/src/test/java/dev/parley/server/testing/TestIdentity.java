package dev.parley.server.testing;

import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.signed.SignedBytes;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An account identity for tests: Ed25519 signing key and an X25519 key bound to it, and the
 * device key of the device that registers or resets with it (device 1 of the account), so that
 * an identity alone is enough to log in again as that device.
 */
public final class TestIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The identity signing key IKs (the same kind of Ed25519 pair as a device key). */
    private final TestDeviceKey signing = new TestDeviceKey();
    final byte[] dhPublic = new byte[32];
    final byte[] binding;
    private final TestDeviceKey firstDevice = new TestDeviceKey();

    public TestIdentity() {
        byte[] dhPrivate = new byte[32];
        X25519.generatePrivateKey(RANDOM, dhPrivate);
        X25519.generatePublicKey(dhPrivate, 0, dhPublic, 0);
        binding = sign(SignedBytes.identityBinding(dhPublic));
    }

    public byte[] sign(byte[] message) {
        return signing.sign(message);
    }

    /** The public identity as register and reset carry it. */
    public IdentityKeys keys() {
        return new IdentityKeys(signing.publicKey(), dhPublic.clone(), binding.clone());
    }

    /** The key of device 1, the device that registered or reset with this identity. */
    public TestDeviceKey firstDevice() {
        return firstDevice;
    }

    /** A device list signed by this identity. */
    public DeviceList deviceList(long version, List<DeviceEntry> devices) {
        long issuedAt = System.currentTimeMillis();
        return new DeviceList(version, issuedAt, devices, sign(SignedBytes.deviceList(version, issuedAt, devices)));
    }

    /** Version 1 with {@link #firstDevice} alone as device 1: what register and reset carry. */
    public DeviceList firstDeviceList() {
        return deviceList(1, List.of(new DeviceEntry(1, firstDevice.publicKey(), System.currentTimeMillis())));
    }

    public byte[] signingPublic() {
        return signing.publicKey();
    }

    public byte[] dhPublic() {
        return dhPublic.clone();
    }
}
