package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.payload.HistoryEntry;
import dev.parley.protocol.payload.HistoryEntry.Direction;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.TrustState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Payloads in vector JSON (the browser implementation's object form):
 * {@code {type: "text", id, sentAt, text}}, {@code {type: "delivery" | "read", id, sentAt, ids}},
 * {@code {type: "typing", id, sentAt, typing}}, {@code {type: "content-key", id, sentAt, key, digest}},
 * and the sync payloads {@code {type: "sent-transcript", id, sentAt, peer, text}},
 * {@code {type: "read-up-to", id, sentAt, peer, readUpTo}},
 * {@code {type: "trust-decision", id, sentAt, peer, identity, state: "unverified" | "verified" | "accepted-change"}},
 * {@code {type: "device-linked", id, sentAt, deviceId, linkedAt, name}},
 * {@code {type: "history-chunk", id, sentAt, index, total, entries: [{direction: "in" | "out", peer, id, sentAt, text}]}}.
 */
final class PayloadJson {

    private PayloadJson() {}

    static ObjectNode write(Payload payload) {
        ObjectNode node = Json.object();
        switch (payload) {
            case Payload.Text text -> head(node, "text", payload).put("text", text.text());
            case Payload.DeliveryReceipt receipt -> ids(head(node, "delivery", payload), receipt.messageIds());
            case Payload.ReadReceipt receipt -> ids(head(node, "read", payload), receipt.messageIds());
            case Payload.Typing typing -> head(node, "typing", payload).put("typing", typing.typing());
            case Payload.ContentKey key -> head(node, "content-key", payload)
                    .put("key", Json.b64(key.key())).put("digest", Json.b64(key.contentDigest()));
            case Payload.SentTranscript p -> head(node, "sent-transcript", payload).put("peer", p.peer()).put("text", p.text());
            case Payload.ReadUpTo p -> head(node, "read-up-to", payload).put("peer", p.peer()).put("readUpTo", p.readUpTo());
            case Payload.TrustDecision p -> head(node, "trust-decision", payload).put("peer", p.peer())
                    .put("identity", Json.b64(p.identity())).put("state", STATES.get(p.state()));
            case Payload.DeviceLinked p -> head(node, "device-linked", payload).put("deviceId", p.deviceId())
                    .put("linkedAt", p.linkedAt()).put("name", p.name());
            case Payload.HistoryChunk p -> {
                ArrayNode entries = head(node, "history-chunk", payload).put("index", p.index()).put("total", p.total())
                        .putArray("entries");
                for (HistoryEntry entry : p.entries()) {
                    entries.addObject().put("direction", entry.direction() == Direction.INCOMING ? "in" : "out")
                            .put("peer", entry.peer()).put("id", entry.messageId()).put("sentAt", entry.sentAt())
                            .put("text", entry.text());
                }
            }
            case Payload.Unknown unknown -> throw new IllegalArgumentException("unknown payloads are not written");
        }
        return node;
    }

    static Payload read(JsonNode node) {
        String id = Json.text(node, "id");
        long sentAt = Json.number(node, "sentAt");
        return switch (Json.text(node, "type")) {
            case "text" -> new Payload.Text(id, sentAt, Json.text(node, "text"));
            case "delivery" -> new Payload.DeliveryReceipt(id, sentAt, readIds(node));
            case "read" -> new Payload.ReadReceipt(id, sentAt, readIds(node));
            case "typing" -> new Payload.Typing(id, sentAt, Json.required(node, "typing").asBoolean());
            case "content-key" -> new Payload.ContentKey(id, sentAt, Json.bytes(node, "key"), Json.bytes(node, "digest"));
            case "sent-transcript" -> new Payload.SentTranscript(id, sentAt, Json.text(node, "peer"), Json.text(node, "text"));
            case "read-up-to" -> new Payload.ReadUpTo(id, sentAt, Json.text(node, "peer"), Json.number(node, "readUpTo"));
            case "trust-decision" -> new Payload.TrustDecision(id, sentAt, Json.text(node, "peer"),
                    Json.bytes(node, "identity"), stateNamed(Json.text(node, "state")));
            case "device-linked" -> new Payload.DeviceLinked(id, sentAt, (int) Json.number(node, "deviceId"),
                    Json.number(node, "linkedAt"), Json.text(node, "name"));
            case "history-chunk" -> new Payload.HistoryChunk(id, sentAt, (int) Json.number(node, "index"),
                    (int) Json.number(node, "total"), readEntries(node));
            default -> throw new IllegalArgumentException("unknown payload type in vector: " + node.get("type"));
        };
    }

    private static final Map<TrustState, String> STATES = Map.of(TrustState.UNVERIFIED, "unverified",
            TrustState.VERIFIED, "verified", TrustState.ACCEPTED_CHANGE, "accepted-change");

    private static TrustState stateNamed(String name) {
        return STATES.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown trust state in vector: " + name));
    }

    private static List<HistoryEntry> readEntries(JsonNode node) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode entry : Json.required(node, "entries")) {
            Direction direction = switch (Json.text(entry, "direction")) {
                case "in" -> Direction.INCOMING;
                case "out" -> Direction.OUTGOING;
                default -> throw new IllegalArgumentException("unknown direction in vector");
            };
            entries.add(new HistoryEntry(direction, Json.text(entry, "peer"), Json.text(entry, "id"),
                    Json.number(entry, "sentAt"), Json.text(entry, "text")));
        }
        return entries;
    }

    private static ObjectNode head(ObjectNode node, String type, Payload payload) {
        return node.put("type", type).put("id", payload.id()).put("sentAt", payload.sentAt());
    }

    private static void ids(ObjectNode node, List<String> ids) {
        ArrayNode array = node.putArray("ids");
        ids.forEach(array::add);
    }

    private static List<String> readIds(JsonNode node) {
        List<String> ids = new ArrayList<>();
        Json.required(node, "ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }
}
