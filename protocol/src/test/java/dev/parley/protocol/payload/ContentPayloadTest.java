package dev.parley.protocol.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.groups.GroupMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Content payloads 0x0F..0x15 (CRYPTO.md §4): exact layout, rules in constructors, strict decoding, printing. */
class ContentPayloadTest {

    private static final String BLOB = "AbCdEfGhIjKlMnOpQrStUg";
    private static final byte[] KEY = Bytes.fromHex("11".repeat(32));
    private static final byte[] DIGEST = Bytes.fromHex("22".repeat(32));
    private static final byte[] PNG = Bytes.fromHex("89504e470d0a1a0a" + "33".repeat(20));

    static AttachmentPointer pointer() {
        return new AttachmentPointer(BLOB, KEY, DIGEST, 70_000, "image/png", "secret-plan.png", 640, 480, PNG);
    }

    @Test
    void messageLayoutIsExact() throws ProtocolException {
        Payload.Message message = new Payload.Message("m", 1L, 300, "hi", new Quote("bob", "q"), null);
        byte[] expected = Bytes.fromHex("01" + "0f" + "0000000000000001" + "01" + "6d" // version, type, sentAt, id "m"
                + "01" + "0000012c" + "00000002" + "6869" // flags quote, 300 s, "hi"
                + "03" + "626f62" + "01" + "71"); // quote bob / q
        assertArrayEquals(expected, PayloadCodec.encode(message));
        assertEquals(message, PayloadCodec.decode(expected));
    }

    @Test
    void attachmentLayoutIsExact() throws ProtocolException {
        Payload.Message message = new Payload.Message("m", 1L, 0, "", null, pointer());
        byte[] encoded = PayloadCodec.encode(message);
        String tail = "16" + Bytes.hex(BLOB.getBytes()) + "11".repeat(32) + "22".repeat(32) + "0000000000011170"
                + "09" + Bytes.hex("image/png".getBytes()) + "000f" + Bytes.hex("secret-plan.png".getBytes())
                + "0280" + "01e0" + "001c" + Bytes.hex(PNG);
        assertEquals("01" + "0f" + "0000000000000001" + "016d" + "02" + "00000000" + "00000000" + tail, Bytes.hex(encoded));
        assertEquals(message, PayloadCodec.decode(encoded));
    }

    @Test
    void constructorsEnforceTheRules() {
        assertThrows(IllegalArgumentException.class, () -> new Payload.Message("m", 1L, 0, "", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Message("m", 1L, -1, "x", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Message("m", 1L, 2_419_201, "x", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Message("m", 1L, 0, "x".repeat(30_001), null, null));
        assertThrows(IllegalArgumentException.class, () -> new Quote("Bob", "q"));
        assertThrows(IllegalArgumentException.class, () -> new Quote("bob", ""));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Edit("e", 1L, "t", ""));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Delete("d", 1L, "x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Reaction("r", 1L, "bob", "t", "\u0000"));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Reaction("r", 1L, "bob", "t", "x".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Timer("t", 1L, 2_419_201));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Block("b", 1L, "no", true));
        Payload.Timer timer = new Payload.Timer("t", 1L, 60);
        assertThrows(IllegalArgumentException.class, () -> new Payload.SentPayload("x", 1L, "bob", timer));
        assertThrows(IllegalArgumentException.class, () -> new Payload.SentPayload("t", 2L, "bob", timer));
        assertThrows(IllegalArgumentException.class, () -> new Payload.SentPayload("t", 1L, "bob", new Payload.Text("t", 1L, "x")));
        assertThrows(IllegalArgumentException.class, () -> new Payload.SentPayload("t", 1L, "bob",
                new Payload.SentPayload("t", 1L, "bob", timer)));
        assertEquals(timer, new Payload.SentPayload("t", 1L, "bob", timer).inner());
    }

    @Test
    void attachmentPointerRules() {
        assertThrows(IllegalArgumentException.class, () -> withBlob("AbCdEfGhIjKlMnOpQrStUh"));
        assertThrows(IllegalArgumentException.class, () -> withBlob("AbCdEfGhIjKlMnOpQrSt+g"));
        assertThrows(IllegalArgumentException.class,
                () -> new AttachmentPointer(BLOB, KEY, DIGEST, 104_857_601L, "image/png", "a", 0, 0, new byte[0]));
        for (String type : List.of("image", "Image/png", "image/png; q=1", "image/png/x", "/png", "image/" + "p".repeat(95))) {
            assertThrows(IllegalArgumentException.class,
                    () -> new AttachmentPointer(BLOB, KEY, DIGEST, 1, type, "a", 0, 0, new byte[0]), type);
        }
        for (String name : List.of("", "a/b", "a\\b", "a\u0000b", "a\nb", "a\u009fb", "\u00e9".repeat(128))) {
            assertThrows(IllegalArgumentException.class,
                    () -> new AttachmentPointer(BLOB, KEY, DIGEST, 1, "text/plain", name, 0, 0, new byte[0]), name);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new AttachmentPointer(BLOB, KEY, DIGEST, 1, "image/png", "a", 0, 5, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new AttachmentPointer(BLOB, KEY, DIGEST, 1, "image/png", "a", 65_536, 5, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new AttachmentPointer(BLOB, KEY, DIGEST, 1, "image/gif", "a", 5, 5, "GIF89a".getBytes()));
        assertThrows(IllegalArgumentException.class,
                () -> new AttachmentPointer(BLOB, KEY, DIGEST, 1, "image/png", "a", 5, 5, Arrays.copyOf(PNG, 16_385)));
        assertThrows(IllegalArgumentException.class,
                () -> new AttachmentPointer(BLOB, new byte[31], DIGEST, 1, "image/png", "a", 5, 5, PNG));
        byte[] key = KEY.clone();
        AttachmentPointer pointer = new AttachmentPointer(BLOB, key, DIGEST, 1, "image/png", "a", 5, 5, PNG);
        key[0] ^= 1;
        assertArrayEquals(KEY, pointer.key(), "the pointer holds its own copy of the key");
        assertEquals(pointer(), pointer());
        assertNotEquals(pointer(), pointer);
    }

    private static AttachmentPointer withBlob(String blob) {
        return new AttachmentPointer(blob, KEY, DIGEST, 1, "text/plain", "a", 0, 0, new byte[0]);
    }

    @Test
    void printsNoTextKeyDigestBlobFileNameOrThumbnail() {
        String text = "very secret words";
        List<Payload> payloads = List.of(new Payload.Message("m", 1L, 0, text, new Quote("bob", "q"), pointer()),
                new Payload.Edit("e", 1L, "m", text), new Payload.Reaction("r", 1L, "bob", "m", "\ud83e\udd2b"),
                new Payload.SentPayload("s", 1L, "bob", new Payload.Message("s", 1L, 0, text, null, pointer())));
        for (Payload payload : payloads) {
            String printed = payload.toString();
            for (String secret : List.of(text, "\ud83e\udd2b", BLOB, "secret-plan", Bytes.b64(KEY), Bytes.hex(KEY),
                    Bytes.b64(DIGEST), Bytes.hex(DIGEST), Arrays.toString(KEY), Bytes.hex(PNG), Arrays.toString(PNG))) {
                assertFalse(printed.contains(secret), () -> "printed form leaks: " + printed);
            }
        }
        assertTrue(pointer().toString().contains("70000"), "the size may be printed");
    }

    @Test
    void groupMessagesCarryContentButNotOwnDevicePayloads() throws ProtocolException {
        Payload.Message message = new Payload.Message("m", 1L, 60, "x", null, pointer());
        assertEquals(message, GroupMessage.payload(Padding.encodeAndPad(message)));
        for (Payload p : List.of(new Payload.Edit("e", 1L, "m", "y"), new Payload.Delete("d", 1L, "m"),
                new Payload.Reaction("r", 1L, "bob", "m", ""), new Payload.Timer("t", 1L, 0))) {
            assertEquals(p, GroupMessage.payload(Padding.encodeAndPad(p)));
        }
        for (Payload p : List.of(new Payload.Block("b", 1L, "bob", true),
                new Payload.SentPayload("s", 1L, "bob", new Payload.Timer("s", 1L, 5)))) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> GroupMessage.payload(Padding.encodeAndPad(p)));
            assertEquals(Failure.MALFORMED, e.failure());
        }
    }

    @Test
    void theLargestMessageStillPads() throws ProtocolException {
        byte[] thumbnail = Arrays.copyOf(PNG, 16_384);
        AttachmentPointer big = new AttachmentPointer(BLOB, KEY, DIGEST, 1, "image/png", "a.png", 1, 1, thumbnail);
        Payload.Message fits = new Payload.Message("m", 1L, 0, "c".repeat(16_000), null, big);
        assertEquals(32_768, Padding.encodeAndPad(fits).length);
        Payload.Message tooLarge = new Payload.Message("m", 1L, 0, "c".repeat(30_000), null, big);
        ProtocolException e = assertThrows(ProtocolException.class, () -> Padding.encodeAndPad(tooLarge));
        assertEquals(Failure.TOO_LARGE, e.failure());
    }
}
