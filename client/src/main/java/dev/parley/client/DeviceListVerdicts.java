package dev.parley.client;

import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.SignedBytes;
import java.util.Optional;

/**
 * The sender's device-list check (LINKED-DEVICES.md, "The device list"), as the SDK asks it:
 * empty when {@code received} may be accepted after {@code held}, else the reason.
 *
 * <p>TEMPORARY, NOT TO BE MERGED AS IS: the rule belongs to the protocol module (devices-crypto,
 * item 6); this body stands in until it lands and is then replaced by a call to it.
 */
final class DeviceListVerdicts {

    private DeviceListVerdicts() {
    }

    static Optional<String> refusal(PublicIdentity owner, Optional<DeviceList> held, DeviceList received) {
        var devices = received.devices();
        if (devices.isEmpty() || devices.size() > dev.parley.wire.WireLimits.MAX_DEVICES) {
            return Optional.of("malformed: " + devices.size() + " devices");
        }
        var keys = new java.util.HashSet<String>();
        for (int i = 0; i < devices.size(); i++) {
            int id = devices.get(i).id();
            if (id < 1 || id > dev.parley.wire.WireLimits.MAX_DEVICE_ID || (i > 0 && id <= devices.get(i - 1).id())
                    || devices.get(i).key().length != Ed25519.KEY_SIZE
                    || !keys.add(java.util.HexFormat.of().formatHex(devices.get(i).key()))) {
                return Optional.of("malformed: device ids not ascending and distinct in 1..255, or device keys repeated");
            }
        }
        byte[] signed = SignedBytes.deviceList(received.version(), received.issuedAt(), received.devices());
        if (!Ed25519.verify(owner.signingKey(), signed, received.signature())) {
            return Optional.of("bad signature");
        }
        if (held.isPresent()) {
            DeviceList before = held.get();
            if (received.version() < before.version()) {
                return Optional.of("rollback from version " + before.version() + " to " + received.version());
            }
            if (received.version() == before.version() && !java.util.Arrays.equals(signed,
                    SignedBytes.deviceList(before.version(), before.issuedAt(), before.devices()))) {
                return Optional.of("version " + received.version() + " with other content");
            }
        }
        return Optional.empty();
    }
}
