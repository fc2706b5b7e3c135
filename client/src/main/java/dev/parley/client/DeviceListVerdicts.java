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
