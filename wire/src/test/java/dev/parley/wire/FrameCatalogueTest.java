package dev.parley.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.frames.DeliveryFrames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The catalogue against {@code test-vectors/wire/frames.json}: every example decodes and
 * encodes back to the same JSON, every frame type has an example and every example a type,
 * and every refused example is refused with its code, naming its field.
 */
class FrameCatalogueTest {

    private static Direction direction(JsonNode vector) {
        return switch (vector.path("direction").asText()) {
            case "client" -> Direction.CLIENT_TO_SERVER;
            case "server" -> Direction.SERVER_TO_CLIENT;
            default -> throw new AssertionError("direction " + vector.path("direction"));
        };
    }

    @Test
    void everyExampleRoundTrips() throws Exception {
        for (JsonNode vector : WireVectors.read("wire/frames.json").path("frames")) {
            JsonNode frame = vector.path("frame");
            WireFrame decoded = FrameCatalogue.decode(direction(vector), frame.toString());
            assertEquals(frame, WireJson.MAPPER.readTree(FrameCatalogue.encode(decoded)), frame.path("type").asText());
            assertEquals(direction(vector), FrameCatalogue.typeOf(decoded).direction());
        }
    }

    @Test
    void everyTypeHasAnExampleAndEveryExampleAType() throws Exception {
        Set<String> examples = new TreeSet<>();
        for (JsonNode vector : WireVectors.read("wire/frames.json").path("frames")) {
            examples.add(vector.path("direction").asText() + " " + vector.path("frame").path("type").asText());
        }
        Set<String> types = new TreeSet<>();
        for (FrameType<?> type : FrameCatalogue.TYPES) {
            types.add((type.direction() == Direction.CLIENT_TO_SERVER ? "client " : "server ") + type.name());
        }
        assertEquals(types, examples);
    }

    @Test
    void everyRefusedExampleIsRefusedForItsField() throws Exception {
        for (JsonNode vector : WireVectors.read("wire/frames.json").path("rejected")) {
            String text = vector.path("frame").toString();
            FrameRefused refused = assertThrows(FrameRefused.class, () -> FrameCatalogue.decode(direction(vector), text), text);
            assertEquals(vector.path("code").asText(), refused.code().wireName(), text);
            if (vector.hasNonNull("field")) {
                assertTrue(refused.getMessage().startsWith("'" + vector.path("field").asText() + "'"),
                        text + " -> " + refused.getMessage());
            }
        }
    }

    @Test
    void strictJsonRefusesTrailingDataAndDuplicateKeys() {
        for (String text : new String[] {"{\"type\":\"ping\",\"id\":\"a\"} {}", "{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}", "[1]"}) {
            FrameRefused refused = assertThrows(FrameRefused.class, () -> FrameCatalogue.decode(Direction.CLIENT_TO_SERVER, text));
            assertEquals(ErrorCode.BAD_JSON, refused.code(), text);
        }
    }

    @Test
    void noFramePrintsACiphertextOrARecoveryCode() throws Exception {
        for (JsonNode vector : WireVectors.read("wire/frames.json").path("frames")) {
            JsonNode frame = vector.path("frame");
            String printed = FrameCatalogue.decode(direction(vector), frame.toString()).toString();
            List<String> secrets = new ArrayList<>(List.of(frame.path("envelope").asText(""), frame.path("content").asText(""),
                    frame.path("recoveryCode").asText(""), frame.path("request").asText(""), frame.path("sealed").asText(""),
                    frame.path("blob").asText(""), frame.path("token").asText("")));
            frame.path("devices").forEach(device -> secrets.add(device.path("envelope").asText("")));
            frame.path("recipients").forEach(recipient -> recipient.path("devices")
                    .forEach(device -> secrets.add(device.path("envelope").asText(""))));
            for (String secret : secrets) {
                assertTrue(secret.isEmpty() || !printed.contains(secret), printed);
            }
        }
    }

    @Test
    void sendMultiNamesAtMostAThousandAccounts() {
        FrameRefused refused = assertThrows(FrameRefused.class,
                () -> FrameCatalogue.decode(Direction.CLIENT_TO_SERVER, sendMulti(WireLimits.MAX_MULTI_RECIPIENTS + 1)));
        assertEquals(ErrorCode.BAD_FRAME, refused.code());
        assertTrue(refused.getMessage().startsWith("'recipients'"), refused.getMessage());
        var decoded = (DeliveryFrames.SendMulti) FrameCatalogue.decode(Direction.CLIENT_TO_SERVER,
                sendMulti(WireLimits.MAX_MULTI_RECIPIENTS));
        assertEquals(WireLimits.MAX_MULTI_RECIPIENTS, decoded.recipients().size());
        assertEquals(null, decoded.recipients().getFirst().devices().getFirst().envelope());
    }

    @Test
    void sendMultiNamesItsRecipientsOrASetAndStoredAndRelayCarryTheirMarkers() {
        var toSet = (DeliveryFrames.SendMulti) FrameCatalogue.decode(Direction.CLIENT_TO_SERVER,
                "{\"type\":\"send_multi\",\"id\":\"g2\",\"content\":\"BAAA\",\"recipientSet\":\"HhKKGaPkPa4_Dlf5FObwAw\"}");
        assertEquals("HhKKGaPkPa4_Dlf5FObwAw", toSet.recipientSet());
        assertTrue(toSet.recipients().isEmpty());
        assertEquals(toSet, DeliveryFrames.SendMulti.toSet("g2", "BAAA", "HhKKGaPkPa4_Dlf5FObwAw"));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryFrames.SendMulti("g2", "BAAA",
                List.of(new DeliveryFrames.MultiRecipient("bob", List.of(new DeliveryFrames.MultiDevice(1, null)))), "set"));
        assertEquals(null, new DeliveryFrames.SendMulti("g3", "BAAA", List.of()).recipientSet());

        var stored = (DeliveryFrames.Stored) FrameCatalogue.decode(Direction.SERVER_TO_CLIENT,
                "{\"type\":\"stored\",\"re\":\"g1\",\"serverTime\":1}");
        assertEquals(null, stored.recipientSet());
        assertEquals("{\"type\":\"stored\",\"re\":\"g1\",\"serverTime\":1}", FrameCatalogue.encode(stored));

        var fanOut = (DeliveryFrames.RelayMessage) FrameCatalogue.decode(Direction.SERVER_TO_CLIENT,
                "{\"type\":\"relay_message\",\"id\":\"m1\",\"from\":\"alice\",\"fromDevice\":1,\"envelope\":\"AAAA\","
                        + "\"content\":\"BAAA\",\"serverTime\":1}");
        assertEquals(false, fanOut.multi(), "absent: a send_message copy, whatever its content's first byte");
        assertEquals(fanOut, new DeliveryFrames.RelayMessage("m1", "alice", 1, "AAAA", "BAAA", 1));
        String multi = FrameCatalogue.encode(new DeliveryFrames.RelayMessage("m1", "alice", 1, null, "BAAA", 1, true));
        assertTrue(multi.endsWith(",\"multi\":true}"), multi);
    }

    @Test
    void expiresInIsOptionalAndOneToFourWeeks() {
        var plain = new DeliveryFrames.SendMessage("m1", "bob", null, List.of(new DeliveryFrames.DeviceEnvelope(1, "AAAA")));
        assertEquals(null, plain.expiresIn());
        assertTrue(!FrameCatalogue.encode(plain).contains("expiresIn"), "absent when not set");
        var timed = plain.withExpiresIn(300);
        assertTrue(FrameCatalogue.encode(timed).endsWith(",\"expiresIn\":300}"), FrameCatalogue.encode(timed));
        assertEquals(timed, FrameCatalogue.decode(Direction.CLIENT_TO_SERVER, FrameCatalogue.encode(timed)));
        for (int bad : new int[] {0, -5, WireLimits.MAX_EXPIRES_IN_SECONDS + 1}) {
            assertThrows(IllegalArgumentException.class, () -> plain.withExpiresIn(bad));
            assertThrows(IllegalArgumentException.class, () -> DeliveryFrames.SendMulti.toSet("g1", "BAAA", "set").withExpiresIn(bad));
        }
        var multi = DeliveryFrames.SendMulti.toSet("g1", "BAAA", "HhKKGaPkPa4_Dlf5FObwAw")
                .withExpiresIn(WireLimits.MAX_EXPIRES_IN_SECONDS);
        assertEquals(multi, FrameCatalogue.decode(Direction.CLIENT_TO_SERVER, FrameCatalogue.encode(multi)));
    }

    @Test
    void anAttachmentsBlobLengthIsItsSizeAndOneTagPerChunk() {
        assertEquals(16, WireLimits.attachmentBlobLength(0));
        assertEquals(1 + 16, WireLimits.attachmentBlobLength(1));
        assertEquals(65_536 + 16, WireLimits.attachmentBlobLength(65_536));
        assertEquals(65_537 + 32, WireLimits.attachmentBlobLength(65_537));
        assertEquals(104_857_600L + 16 * 1600, WireLimits.attachmentBlobLength(WireLimits.MAX_ATTACHMENT_BYTES));
        assertThrows(IllegalArgumentException.class, () -> WireLimits.attachmentBlobLength(-1));
    }

    @Test
    void serverLimitsCarryTheAttachmentLimitOnlyWhenSet() {
        var without = new dev.parley.wire.frames.SessionFrames.ServerLimits("k", 1, 1, 1, 1, 1, 0, "open");
        assertTrue(!FrameCatalogue.encode(without).contains("maxAttachmentBytes"));
        var with = new dev.parley.wire.frames.SessionFrames.ServerLimits("k", 1, 1, 1, 1, 1, 104_857_600L, "private");
        assertEquals(with, FrameCatalogue.decode(Direction.SERVER_TO_CLIENT, FrameCatalogue.encode(with)));
        assertEquals(without, FrameCatalogue.decode(Direction.SERVER_TO_CLIENT, FrameCatalogue.encode(without)));
    }

    /** A {@code send_multi} with {@code count} accounts of two content-only copies each, as JSON text. */
    private static String sendMulti(int count) {
        StringBuilder text = new StringBuilder("{\"type\":\"send_multi\",\"id\":\"g1\",\"content\":\"BAAA\",\"recipients\":[");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ",").append("{\"to\":\"user").append(i).append("\",\"devices\":[{\"device\":1},{\"device\":2}]}");
        }
        return text.append("]}").toString();
    }

    @Test
    void recordsAndNamesAreUnique() {
        Set<Class<?>> records = new HashSet<>();
        for (FrameType<?> type : FrameCatalogue.TYPES) {
            assertTrue(records.add(type.recordClass()), type.recordClass().getName());
            assertEquals(type, FrameCatalogue.typeFor(type.direction(), WireJson.MAPPER.createObjectNode().put("type", type.name())));
        }
    }
}
