package dev.parley.protocol.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.testing.TestDevice;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sessions between two devices of one account (CRYPTO.md §10.5): equal IKs, the device id breaks the §2.3 tie. */
class OwnDeviceSessionsTest {

    private final TestDevice one = new TestDevice("own-1");
    private final TestDevice two = new TestDevice("own-2", one.identity);
    private final PeerSessions oneToTwo = new PeerSessions();
    private final PeerSessions twoToOne = new PeerSessions();

    @Test
    void simultaneousInitiationBetweenOwnDevicesConvergesOnTheSmallerDeviceId() throws ProtocolException {
        DevicePair atOne = new DevicePair(1, 2);
        DevicePair atTwo = new DevicePair(2, 1);
        byte[] oneInitiated = initiateBoth();
        exchangeFirstMessages(atOne, atTwo);

        assertArrayEquals(oneInitiated, oneToTwo.current().orElseThrow().baseKey(), "device 1 keeps its own session");
        assertArrayEquals(oneInitiated, twoToOne.current().orElseThrow().baseKey(), "device 2 adopts device 1's session");
        for (int i = 0; i < 3; i++) {
            assertEquals("1-" + i, text(receive(two, twoToOne, oneToTwo.encrypt(utf8("1-" + i)), atTwo)));
            assertEquals("2-" + i, text(receive(one, oneToTwo, twoToOne.encrypt(utf8("2-" + i)), atOne)));
        }
        assertFalse(oneToTwo.current().orElseThrow().isPending());
        assertFalse(twoToOne.current().orElseThrow().isPending());
    }

    @Test
    void withoutDeviceIdsOwnDevicesKeepDifferentSessions() throws ProtocolException {
        initiateBoth();
        exchangeFirstMessages(null, null);
        assertFalse(Arrays.equals(oneToTwo.current().orElseThrow().baseKey(), twoToOne.current().orElseThrow().baseKey()),
                "the IK comparison alone ties, so each keeps its own: what DevicePair exists to prevent");
    }

    @Test
    void deviceIdsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DevicePair(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DevicePair(1, 256));
    }

    /** Both devices initiate; returns the base key of device 1's session. */
    private byte[] initiateBoth() throws ProtocolException {
        oneToTwo.adoptInitiated(one.initiate(two));
        twoToOne.adoptInitiated(two.initiate(one));
        return oneToTwo.current().orElseThrow().baseKey();
    }

    private void exchangeFirstMessages(DevicePair atOne, DevicePair atTwo) throws ProtocolException {
        byte[] fromOne = oneToTwo.encrypt(utf8("from one"));
        byte[] fromTwo = twoToOne.encrypt(utf8("from two"));
        assertEquals("from two", text(receive(one, oneToTwo, fromTwo, atOne)));
        assertEquals("from one", text(receive(two, twoToOne, fromOne, atTwo)));
    }

    private static byte[] receive(TestDevice device, PeerSessions sessions, byte[] message, DevicePair devices)
            throws ProtocolException {
        return sessions.decrypt(message, device.identity, device.capabilities, device.preKeys, device.randomness,
                TestDevice.NOW, plaintext -> { }, devices).plaintext();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
