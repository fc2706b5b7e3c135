package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.payload.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * Payloads in vector JSON (the browser implementation's object form):
 * {@code {type: "text", id, sentAt, text}}, {@code {type: "delivery" | "read", id, sentAt, ids}},
 * {@code {type: "typing", id, sentAt, typing}}, {@code {type: "content-key", id, sentAt, key, digest}}.
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
            default -> throw new IllegalArgumentException("unknown payload type in vector: " + node.get("type"));
        };
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
