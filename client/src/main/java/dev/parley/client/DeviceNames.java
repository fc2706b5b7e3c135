package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.protocol.link.DeviceName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Names of this account's devices ("Laptop"), shown to its other devices only: 1..64 bytes of
 * UTF-8 ({@link DeviceName}, the protocol's rule). They are not in the signed list: neither
 * contacts nor the server need them.
 */
final class DeviceNames {

    private DeviceNames() {
    }

    /** "parley on HOST", shortened to fit. */
    static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            host = "this computer";
        }
        String name = "parley on " + host;
        while (name.getBytes(StandardCharsets.UTF_8).length > DeviceName.MAX_BYTES) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    static boolean valid(String name) {
        try {
            DeviceName.encode(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code name} if it is a valid device name, else REFUSED saying why. */
    static String check(String name) throws ClientException {
        try {
            DeviceName.encode(name);
            return name;
        } catch (IllegalArgumentException e) {
            throw new ClientException(Reason.REFUSED, "a device name is 1 to " + DeviceName.MAX_BYTES
                    + " bytes of UTF-8: " + e.getMessage());
        }
    }
}
