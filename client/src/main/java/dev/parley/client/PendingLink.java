package dev.parley.client;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Digests;

/**
 * A new device waiting to be linked, as an existing device sees it after opening its request
 * with the link code ({@link ParleyClient#peekLink}): the name it gave and the fingerprint of
 * its device key, for the user to compare with what the new device shows. Prints no key.
 *
 * @param expiresAt when the server forgets the request, ms since the Unix epoch
 */
public record PendingLink(String name, String fingerprint, long expiresAt, byte[] linkKey, byte[] deviceKey) {

    public PendingLink {
        linkKey = linkKey.clone();
        deviceKey = deviceKey.clone();
    }

    @Override
    public byte[] linkKey() {
        return linkKey.clone();
    }

    @Override
    public byte[] deviceKey() {
        return deviceKey.clone();
    }

    /** The fingerprint of a device key as both devices show it: SHA-256, first 16 bytes, hex in groups of four. */
    public static String fingerprint(byte[] deviceKey) {
        String hex = Bytes.hex(java.util.Arrays.copyOf(Digests.sha256(deviceKey), 16));
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            grouped.append(i == 0 ? "" : " ").append(hex, i, i + 4);
        }
        return grouped.toString();
    }

    @Override
    public String toString() {
        return "PendingLink[name=" + name + ", fingerprint=" + fingerprint + "]";
    }
}
