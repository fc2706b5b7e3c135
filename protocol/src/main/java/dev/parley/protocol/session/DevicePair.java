package dev.parley.protocol.session;

/**
 * The two device ids a {@link PeerSessions} connects (CRYPTO.md §10.5): this device's id in its
 * account's device list and the peer device's id in the peer's list, each 1..255.
 *
 * <p>They matter only for simultaneous initiation between two devices of the <em>same</em>
 * account, whose {@code IK}s are equal: the §2.3 rule then compares {@code IK || u8 deviceId}
 * of each session's initiator. Between different identities the 64-byte {@code IK} prefix
 * already decides, so passing the ids changes nothing there.
 */
public record DevicePair(int localDevice, int remoteDevice) {

    public DevicePair {
        if (localDevice < 1 || localDevice > 255 || remoteDevice < 1 || remoteDevice > 255) {
            throw new IllegalArgumentException("device ids must be 1..255");
        }
    }
}
