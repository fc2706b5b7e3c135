package dev.parley.protocol.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Hkdf;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sealed link request and link message (CRYPTO.md §10.2, §10.3). */
class LinkSealingTest {

    private final DeterministicRandomness random = new DeterministicRandomness("link-sealing");
    private final X25519KeyPair e = X25519KeyPair.generate(random);
    private final LinkRequest request = new LinkRequest(random.bytes(32), "Laptop \u00e9");

    @Test
    void requestRoundTripsAndAnyTamperingFails() throws ProtocolException {
        byte[] sealed = LinkSealing.sealRequest(e.publicKey(), request);
        assertEquals(request, LinkSealing.openRequest(e.publicKey(), sealed));
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            assertEquals(Failure.DECRYPT_FAILED, failure(() -> LinkSealing.openRequest(e.publicKey(), changed)));
        }
        byte[] otherKey = e.publicKey();
        otherKey[0] ^= 0x01;
        assertEquals(Failure.DECRYPT_FAILED, failure(() -> LinkSealing.openRequest(otherKey, sealed)));
        assertEquals(Failure.DECRYPT_FAILED, failure(() -> LinkSealing.openRequest(e.publicKey(), Arrays.copyOf(sealed, 15))));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("Laptop"), "the name is encrypted");
    }

    @Test
    void openRequestDecodesStrictly() throws ProtocolException {
        byte[] valid = request.encode();
        assertEquals(request, LinkRequest.decode(valid));
        byte[] withTrailing = Bytes.concat(valid, new byte[1]);
        byte[] wrongFormat = valid.clone();
        wrongFormat[0] = 0x02;
        byte[] emptyName = new ByteWriter().u8(1).bytes(request.deviceKey()).u8(0).toByteArray();
        byte[] longName = new ByteWriter().u8(1).bytes(request.deviceKey()).u8Prefixed("x".repeat(65).getBytes()).toByteArray();
        byte[] badUtf8 = new ByteWriter().u8(1).bytes(request.deviceKey()).u8Prefixed(new byte[] {(byte) 0xC3}).toByteArray();
        byte[] newline = new ByteWriter().u8(1).bytes(request.deviceKey()).u8Prefixed("a\nb".getBytes()).toByteArray();
        byte[] bidi = new ByteWriter().u8(1).bytes(request.deviceKey()).u8Prefixed("a\u202Eb".getBytes(StandardCharsets.UTF_8)).toByteArray();
        for (byte[] bad : new byte[][] {withTrailing, wrongFormat, emptyName, longName, badUtf8, newline, bidi,
                Arrays.copyOf(valid, 20)}) {
            byte[] sealed = sealRaw(bad);
            ProtocolException thrown = assertThrows(ProtocolException.class, () -> LinkSealing.openRequest(e.publicKey(), sealed));
            assertTrue(thrown.failure() == Failure.MALFORMED || thrown.failure() == Failure.UNSUPPORTED_VERSION, thrown.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new LinkRequest(new byte[31], "x"));
        assertThrows(IllegalArgumentException.class, () -> new LinkRequest(new byte[32], ""));
        assertFalse(request.toString().contains("Laptop"));
    }

    @Test
    void messageRoundTripsOnlyWithTheLinkKey() throws ProtocolException {
        byte[] plaintext = "{\"username\":\"alice\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = LinkSealing.sealMessage(e.publicKey(), plaintext, random);
        assertEquals(32 + plaintext.length + 16, sealed.length);
        assertArrayEquals(plaintext, LinkSealing.openMessage(e, sealed));
        byte[] again = LinkSealing.sealMessage(e.publicKey(), plaintext, random);
        assertFalse(Arrays.equals(Arrays.copyOf(sealed, 32), Arrays.copyOf(again, 32)), "a fresh ek per message");
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            Failure failure = failure(() -> LinkSealing.openMessage(e, changed));
            assertTrue(failure == Failure.DECRYPT_FAILED || failure == Failure.LOW_ORDER_POINT, "byte " + i + ": " + failure);
        }
        X25519KeyPair other = X25519KeyPair.generate(random);
        assertEquals(Failure.DECRYPT_FAILED, failure(() -> LinkSealing.openMessage(other, sealed)));
        assertEquals(Failure.MALFORMED, failure(() -> LinkSealing.openMessage(e, Arrays.copyOf(sealed, 47))));
    }

    @Test
    void lowOrderPointsAreRefusedOnBothSides() {
        byte[] lowOrder = new byte[32]; // u = 0
        assertEquals(Failure.LOW_ORDER_POINT, failure(() -> LinkSealing.sealMessage(lowOrder, new byte[1], random)));
        byte[] sealed = Bytes.concat(lowOrder, new byte[17]);
        assertEquals(Failure.LOW_ORDER_POINT, failure(() -> LinkSealing.openMessage(e, sealed)));
    }

    /** Seals arbitrary bytes exactly as sealRequest would seal an encoded request. */
    private byte[] sealRaw(byte[] plaintext) {
        byte[] key = Hkdf.derive(new byte[32], e.publicKey(), LinkSealing.REQUEST_INFO, 32);
        return AesGcm.encrypt(key, new byte[12], plaintext, LinkSealing.channel(e.publicKey()));
    }

    private interface Call {
        void run() throws ProtocolException;
    }

    private static Failure failure(Call call) {
        return assertThrows(ProtocolException.class, call::run).failure();
    }
}
