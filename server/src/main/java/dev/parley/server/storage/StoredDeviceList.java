package dev.parley.server.storage;

import dev.parley.wire.frames.DeviceFrames.DeviceList;

/**
 * An account's latest signed device list as the server keeps it.
 *
 * @param maxDeviceId the largest device id the account's lists have ever held: a new device's
 *                    id must be larger (ids are never reused within one identity)
 */
public record StoredDeviceList(DeviceList list, int maxDeviceId) {
}
