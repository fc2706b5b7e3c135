package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.payload.Quote;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code content.json} (CRYPTO.md §4, types 0x0F..0x15): {@code payloads[]} of {@code {payload,
 * encoded}}, every content type, a message with and without quote and attachment, and the edge
 * lengths; {@code invalid[]} of {@code {reason, encoded}}, encodings every decoder must refuse
 * ({@link ContentInvalidVectors}). Payload JSON: {@link ContentPayloadJson}.
 */
final class ContentVectors {

    static final long SENT_AT = 1_767_225_600_000L;
    /** The message types and variants every file must hold. */
    static final Set<String> KINDS = Set.of("message", "message/quote", "message/attachment", "message/quote+attachment",
            "edit", "delete", "reaction", "timer", "sent-payload", "block");

    private ContentVectors() {}

    static ObjectNode generate() {
        ObjectNode file = Json.vectorFile("content.json", "§4");
        ArrayNode cases = file.putArray("payloads");
        for (Payload payload : payloads()) {
            ObjectNode entry = cases.addObject();
            entry.set("payload", PayloadJson.write(payload));
            entry.put("encoded", Json.b64(PayloadCodec.encode(payload)));
        }
        ArrayNode invalid = file.putArray("invalid");
        for (ContentInvalidVectors.Case c : ContentInvalidVectors.cases()) {
            invalid.addObject().put("reason", c.reason()).put("encoded", Json.b64(c.encoded()));
        }
        return file;
    }

    static int verify(JsonNode file) throws ProtocolException {
        int checks = 0;
        Set<String> kinds = new HashSet<>();
        for (JsonNode entry : Json.required(file, "payloads")) {
            JsonNode json = Json.required(entry, "payload");
            Payload payload = PayloadJson.read(json);
            byte[] encoded = Json.bytes(entry, "encoded");
            assertArrayEquals(encoded, PayloadCodec.encode(payload), "encoded " + payload);
            Payload decoded = PayloadCodec.decode(encoded);
            assertEquals(payload, decoded, "decoded " + payload);
            assertTrue(Json.same(json, PayloadJson.write(decoded)), "JSON of " + payload);
            kinds.add(kind(payload));
            checks += 3;
        }
        assertEquals(KINDS, kinds, "content.json holds every content type and message variant");
        List<String> reasons = new ArrayList<>();
        for (JsonNode entry : Json.required(file, "invalid")) {
            String reason = Json.text(entry, "reason");
            byte[] encoded = Json.bytes(entry, "encoded");
            ProtocolException refused = assertThrows(ProtocolException.class, () -> PayloadCodec.decode(encoded),
                    "must be refused: " + reason);
            assertEquals(ProtocolException.Failure.MALFORMED, refused.failure(), reason);
            reasons.add(reason);
            checks++;
        }
        assertTrue(reasons.containsAll(ContentInvalidVectors.REQUIRED), "content.json lacks invalid cases: "
                + ContentInvalidVectors.REQUIRED.stream().filter(r -> !reasons.contains(r)).toList());
        return checks;
    }

    private static String kind(Payload payload) {
        if (payload instanceof Payload.Message m) {
            List<String> parts = new ArrayList<>();
            if (m.quote() != null) {
                parts.add("quote");
            }
            if (m.attachment() != null) {
                parts.add("attachment");
            }
            return parts.isEmpty() ? "message" : "message/" + String.join("+", parts);
        }
        return ContentPayloadJson.typeName(payload);
    }

    static List<Payload> payloads() {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/content");
        String id64 = "i".repeat(64);
        AttachmentPointer photo = new AttachmentPointer(Bytes.b64(random.bytes(16)), random.bytes(32), random.bytes(32), 123_456,
                "image/jpeg", "holiday photo.jpg", 4032, 3024, jpeg(random, 900));
        AttachmentPointer largest = new AttachmentPointer(Bytes.b64(random.bytes(16)), random.bytes(32), random.bytes(32),
                104_857_600L, "application/vnd.oasis.opendocument.text+x-" + "a".repeat(58), "\u00e9".repeat(127) + "a",
                65535, 65535, png(random, 16_384));
        AttachmentPointer empty = new AttachmentPointer(Bytes.b64(random.bytes(16)), random.bytes(32), random.bytes(32), 0,
                "text/plain", "x", 0, 0, new byte[0]);
        Payload.Message sentMessage = new Payload.Message("s-1", SENT_AT + 20, 300, "to bob", new Quote("bob", "b-9"), photo);
        return List.of(
                new Payload.Message("c-1", SENT_AT, 0, "hello", null, null),
                new Payload.Message("c-2", SENT_AT + 1, 2_419_200, "x".repeat(30_000), null, null),
                new Payload.Message(id64, SENT_AT + 2, 1, "caf\u00e9 \ud83e\uddd7", new Quote("abc", id64), null),
                new Payload.Message("c-4", SENT_AT + 3, 3600, "", null, photo),
                new Payload.Message("c-5", SENT_AT + 4, 0, "caption", new Quote("a_user_name_of_32_characters_xyz", "c-1"), largest),
                new Payload.Message("c-6", SENT_AT + 5, 604_800, "", new Quote("bob", "c-4"), empty),
                new Payload.Edit("c-7", SENT_AT + 6, "c-1", "hello, edited"),
                new Payload.Edit("c-8", SENT_AT + 7, id64, "y".repeat(30_000)),
                new Payload.Delete("c-9", SENT_AT + 8, "c-1"),
                new Payload.Reaction("c-10", SENT_AT + 9, "alice", "c-1", "\ud83d\udc4d"),
                new Payload.Reaction("c-11", SENT_AT + 10, "bob", id64, "\ud83d\ude00".repeat(8)),
                new Payload.Reaction("c-12", SENT_AT + 11, "alice", "c-1", ""),
                new Payload.Timer("c-13", SENT_AT + 12, 0),
                new Payload.Timer("c-14", SENT_AT + 13, 2_419_200),
                new Payload.SentPayload("s-1", SENT_AT + 20, "bob", sentMessage),
                new Payload.SentPayload("s-2", SENT_AT + 21, "bob", new Payload.Edit("s-2", SENT_AT + 21, "s-1", "again")),
                new Payload.SentPayload("s-3", SENT_AT + 22, "bob", new Payload.Delete("s-3", SENT_AT + 22, "s-1")),
                new Payload.SentPayload("s-4", SENT_AT + 23, "carol", new Payload.Reaction("s-4", SENT_AT + 23, "carol", "x", "\u2764\ufe0f")),
                new Payload.SentPayload("s-5", SENT_AT + 24, "carol", new Payload.Timer("s-5", SENT_AT + 24, 86_400)),
                new Payload.Block("c-15", SENT_AT + 30, "mallory", true),
                new Payload.Block("c-16", SENT_AT + 31, "mallory", false));
    }

    /** {@code length} bytes starting with the JPEG marker, the rest deterministic. */
    static byte[] jpeg(DeterministicRandomness random, int length) {
        byte[] out = random.bytes(length);
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        return out;
    }

    /** {@code length} bytes starting with the PNG signature, the rest deterministic. */
    static byte[] png(DeterministicRandomness random, int length) {
        byte[] out = random.bytes(length);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, out, 0, 8);
        return out;
    }
}
