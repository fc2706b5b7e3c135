package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.SenderKeyDistribution;
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
 * {@code {type: "history-chunk", id, sentAt, index, total, entries: [{direction: "in" | "out", peer, id, sentAt, text}]}},
 * and the group payloads {@code {type: "sender-key", id, sentAt, distribution: {groupId, chainId, iteration, chainKey, signingPublic}}},
 * {@code {type: "group-change", id, sentAt, change}} (change: b64 of SignedChange),
 * {@code {type: "group-snapshot-part", id, sentAt, groupId, version, stateHash, index, total, part}},
 * {@code {type: "group-receipt", id, sentAt, groupId, kind: "delivery" | "read", ids}},
 * {@code {type: "group-read-up-to", id, sentAt, groupId, readUpTo}}; group ids in their text form;
 * the content payloads as in {@link ContentPayloadJson}.
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
            case Payload.SenderKey p -> head(node, "sender-key", payload).set("distribution", distribution(p.distribution()));
            case Payload.GroupChangeUpdate p -> head(node, "group-change", payload).put("change", Json.b64(p.change().encode()));
            case Payload.GroupSnapshotPart p -> head(node, "group-snapshot-part", payload).put("groupId", p.groupId().text())
                    .put("version", p.version()).put("stateHash", Json.b64(p.stateHash())).put("index", p.index())
                    .put("total", p.total()).put("part", Json.b64(p.part()));
            case Payload.GroupReceipt p -> ids(head(node, "group-receipt", payload).put("groupId", p.groupId().text())
                    .put("kind", p.read() ? "read" : "delivery"), p.messageIds());
            case Payload.GroupReadUpTo p -> head(node, "group-read-up-to", payload).put("groupId", p.groupId().text())
                    .put("readUpTo", p.readUpTo());
            case Payload.Unknown unknown -> throw new IllegalArgumentException("unknown payloads are not written");
            default -> ContentPayloadJson.write(head(node, ContentPayloadJson.typeName(payload), payload), payload);
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
            default -> readGroup(node, id, sentAt);
        };
    }

    private static Payload readGroup(JsonNode node, String id, long sentAt) {
        return switch (Json.text(node, "type")) {
            case "sender-key" -> new Payload.SenderKey(id, sentAt, readDistribution(Json.required(node, "distribution")));
            case "group-change" -> new Payload.GroupChangeUpdate(id, sentAt, decode(() -> GroupChange.decode(Json.bytes(node, "change"))));
            case "group-snapshot-part" -> new Payload.GroupSnapshotPart(id, sentAt, groupId(node), Json.number(node, "version"),
                    Json.bytes(node, "stateHash"), (int) Json.number(node, "index"), (int) Json.number(node, "total"),
                    Json.bytes(node, "part"));
            case "group-receipt" -> new Payload.GroupReceipt(id, sentAt, groupId(node), switch (Json.text(node, "kind")) {
                case "delivery" -> false;
                case "read" -> true;
                default -> throw new IllegalArgumentException("unknown group receipt kind in vector");
            }, readIds(node));
            case "group-read-up-to" -> new Payload.GroupReadUpTo(id, sentAt, groupId(node), Json.number(node, "readUpTo"));
            default -> ContentPayloadJson.read(node, id, sentAt);
        };
    }

    /** A distribution as {@code {groupId, chainId, iteration, chainKey, signingPublic}}. */
    static ObjectNode distribution(SenderKeyDistribution d) {
        return Json.object().put("groupId", d.groupId().text()).put("chainId", Json.b64(d.chainId()))
                .put("iteration", d.iteration()).put("chainKey", Json.b64(d.chainKey()))
                .put("signingPublic", Json.b64(d.signingPublic()));
    }

    static SenderKeyDistribution readDistribution(JsonNode node) {
        return new SenderKeyDistribution(groupId(node), Json.bytes(node, "chainId"), Json.number(node, "iteration"),
                Json.bytes(node, "chainKey"), Json.bytes(node, "signingPublic"));
    }

    private static GroupId groupId(JsonNode node) {
        return decode(() -> GroupId.parse(Json.text(node, "groupId")));
    }

    private interface Decoding<T> {
        T run() throws ProtocolException;
    }

    private static <T> T decode(Decoding<T> decoding) {
        try {
            return decoding.run();
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("vector value does not decode: " + e.getMessage(), e);
        }
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
