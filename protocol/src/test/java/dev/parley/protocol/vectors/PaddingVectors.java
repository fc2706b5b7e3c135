package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.payload.HistoryEntry;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.payload.TrustState;
import java.util.List;

/**
 * {@code padding.json}: every payload type with its encoding and padded form, text payloads
 * whose encodings sit at the bucket edges, and one payload too large to pad (CRYPTO.md §4).
 */
final class PaddingVectors {

    private static final long SENT_AT = 1_767_225_600_000L;
    /** Encoded sizes at bucket edges: last size of a bucket, first of the next, and the maximum. */
    private static final int[] EDGES = {255, 256, 511, 512, 1023, 1024, 32767};
    // "tooLarge" (optional in other implementations' files): payloads whose encoding exceeds the largest bucket.

    private PaddingVectors() {}

    static ObjectNode generate() throws ProtocolException {
        ObjectNode file = Json.vectorFile("padding.json", "§4");
        ArrayNode cases = file.putArray("cases");
        List<Payload> payloads = new java.util.ArrayList<>(List.of(
                new Payload.Text("msg-1", SENT_AT, "Hello, \u00e9\u00e8 \u6f22\u5b57 \ud83d\udc4b"),
                new Payload.DeliveryReceipt("rcpt-1", SENT_AT + 1, List.of("msg-1", "msg-2")),
                new Payload.ReadReceipt("rcpt-2", SENT_AT + 2, List.of("msg-1")),
                new Payload.Typing("typing-1", SENT_AT + 3, true),
                new Payload.Typing("typing-2", SENT_AT + 4, false),
                new Payload.ContentKey("msg-3", SENT_AT + 5, filled(32, 0x11), filled(32, 0x22)),
                new Payload.SentTranscript("msg-4", SENT_AT + 6, "bob", "Sent from my laptop é"),
                new Payload.ReadUpTo("sync-1", SENT_AT + 7, "carol_2", SENT_AT - 1),
                new Payload.TrustDecision("sync-2", SENT_AT + 8, "bob", filled(64, 0x33), TrustState.VERIFIED),
                new Payload.DeviceLinked("sync-3", SENT_AT + 9, 2, SENT_AT, "Laptop é"),
                new Payload.HistoryChunk("sync-4", SENT_AT + 10, 1, 3, List.of(
                        new HistoryEntry(HistoryEntry.Direction.INCOMING, "bob", "msg-1", SENT_AT - 5, "hello"),
                        new HistoryEntry(HistoryEntry.Direction.OUTGOING, "carol_2", "msg-2", SENT_AT - 4, "")))));
        for (int edge : EDGES) {
            payloads.add(textOfEncodedLength("edge-" + edge, edge));
        }
        for (Payload payload : payloads) {
            byte[] encoded = PayloadCodec.encode(payload);
            ObjectNode entry = cases.addObject();
            entry.set("payload", PayloadJson.write(payload));
            entry.put("encoded", Json.b64(encoded));
            entry.put("padded", Json.b64(Padding.pad(encoded)));
        }
        Payload tooLarge = textOfEncodedLength("too-large", Padding.MAX_PAYLOAD + 1);
        ObjectNode refused = file.putArray("tooLarge").addObject();
        refused.set("payload", PayloadJson.write(tooLarge));
        refused.put("encodedLength", PayloadCodec.encode(tooLarge).length);
        return file;
    }

    static int verify(JsonNode file) throws ProtocolException {
        int checks = 0;
        for (JsonNode entry : Json.required(file, "cases")) {
            Payload payload = PayloadJson.read(Json.required(entry, "payload"));
            byte[] encoded = Json.bytes(entry, "encoded");
            byte[] padded = Json.bytes(entry, "padded");
            String id = payload.id();
            assertArrayEquals(encoded, PayloadCodec.encode(payload), id + ": encoding");
            assertArrayEquals(encoded, PayloadCodec.encode(PayloadCodec.decode(encoded)), id + ": decoding");
            assertArrayEquals(padded, Padding.pad(encoded), id + ": padded form");
            assertArrayEquals(encoded, Padding.unpad(padded), id + ": unpadding");
            checks += 4;
        }
        for (JsonNode entry : file.path("tooLarge")) {
            byte[] encoded = PayloadCodec.encode(PayloadJson.read(Json.required(entry, "payload")));
            assertEquals(Json.number(entry, "encodedLength"), encoded.length, "tooLarge: encoded length");
            assertEquals(Failure.TOO_LARGE, assertThrows(ProtocolException.class, () -> Padding.pad(encoded)).failure());
            checks += 2;
        }
        return checks;
    }

    /** A text payload whose encoding is exactly {@code length} bytes (ASCII text). */
    private static Payload textOfEncodedLength(String id, int length) {
        int overhead = 1 + 1 + 8 + 1 + id.length() + 4;
        StringBuilder text = new StringBuilder(length - overhead);
        for (int i = 0; i < length - overhead; i++) {
            text.append((char) ('a' + i % 26));
        }
        return new Payload.Text(id, SENT_AT, text.toString());
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        java.util.Arrays.fill(out, (byte) value);
        return out;
    }
}
