package dev.parley.server.devices;

import dev.parley.server.auth.Signatures;
import dev.parley.server.storage.StoredDeviceList;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.util.Arrays;

/**
 * When the server accepts a device list (docs/PROTOCOL.md §4a), in one place. A decoded list
 * is already well formed (the codec: ids ascending and distinct, keys distinct, at most 6
 * devices); these rules add its signature under the account's identity key and its relation
 * to the stored list. Each returns the refusal, or null when the list is accepted. The server
 * never builds a list: it only accepts or refuses the account's own.
 */
public final class DeviceListRules {

    private DeviceListRules() {
    }

    /**
     * The list of a new identity (register, reset) or of an account from before devices
     * (its first publish_devices): version 1, device 1 alone, signed by {@code signingKey}.
     */
    public static FrameRefused first(DeviceList list, byte[] signingKey) {
        if (list.version() != 1 || list.devices().size() != 1 || list.devices().getFirst().id() != 1) {
            return new FrameRefused(ErrorCode.BAD_DEVICE_LIST, "a first device list is version 1 with device 1 alone");
        }
        return signature(list, signingKey);
    }

    /** publish_devices on an account with a list: the next version, some stored devices removed, nothing else changed. */
    public static FrameRefused removal(StoredDeviceList current, DeviceList list, byte[] signingKey) {
        FrameRefused refused = successor(current, list, signingKey);
        if (refused != null) {
            return refused;
        }
        for (DeviceEntry entry : list.devices()) {
            if (!sameEntry(entry, current.list().device(entry.id()))) {
                return new FrameRefused(ErrorCode.BAD_DEVICE_LIST,
                        "publish_devices only removes devices (devices are added by link_approve); device " + entry.id()
                                + " is not in the current list as it is");
            }
        }
        if (list.devices().size() == current.list().devices().size()) {
            return new FrameRefused(ErrorCode.BAD_DEVICE_LIST, "the list removes no device");
        }
        return null;
    }

    /**
     * link_approve: the next version, every stored device unchanged, and exactly one device
     * added whose id is above every id the account has ever listed.
     */
    public static FrameRefused addition(StoredDeviceList current, DeviceList list, byte[] signingKey) {
        FrameRefused refused = successor(current, list, signingKey);
        if (refused != null) {
            return refused;
        }
        for (DeviceEntry entry : current.list().devices()) {
            if (!sameEntry(entry, list.device(entry.id()))) {
                return new FrameRefused(ErrorCode.BAD_DEVICE_LIST,
                        "a link adds one device and keeps the others as they are; device " + entry.id() + " changed or is missing");
            }
        }
        if (list.devices().size() != current.list().devices().size() + 1) {
            return new FrameRefused(ErrorCode.BAD_DEVICE_LIST, "a link adds exactly one device");
        }
        if (list.maxDeviceId() <= current.maxDeviceId()) {
            return new FrameRefused(ErrorCode.BAD_DEVICE_LIST, "the new device's id must be above " + current.maxDeviceId()
                    + ", the largest this account has used (ids are never reused)");
        }
        return null;
    }

    /** A list that replaces {@code current}: there is one, the version follows it, and the signature verifies. */
    private static FrameRefused successor(StoredDeviceList current, DeviceList list, byte[] signingKey) {
        if (current == null) {
            return new FrameRefused(ErrorCode.UNKNOWN_DEVICE, "this account has no device list yet");
        }
        if (list.version() != current.list().version() + 1) {
            return new FrameRefused(ErrorCode.STALE_DEVICE_LIST, "the list must be version " + (current.list().version() + 1)
                    + " (the stored list is version " + current.list().version() + ")");
        }
        return signature(list, signingKey);
    }

    private static FrameRefused signature(DeviceList list, byte[] signingKey) {
        if (signingKey == null || !Signatures.verify(signingKey, list.signedBytes(), list.signature())) {
            return new FrameRefused(ErrorCode.BAD_DEVICE_LIST, "the device list's signature does not verify under the account's identity key");
        }
        return null;
    }

    private static boolean sameEntry(DeviceEntry a, DeviceEntry b) {
        return b != null && a.id() == b.id() && Arrays.equals(a.key(), b.key()) && a.linkedAt() == b.linkedAt();
    }
}
