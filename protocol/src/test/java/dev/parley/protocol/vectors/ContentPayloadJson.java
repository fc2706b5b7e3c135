package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.attachments.AttachmentPointer;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.Quote;

/**
 * Content payloads (0x0F..0x15) in vector JSON, the browser's payload objects with bytes as b64:
 * {@code {type: "message", expireSeconds, text, quote: {author, id} | null, attachment: {blobId, key, digest,
 * size, contentType, fileName, width, height, thumbnail} | null}}, {@code {type: "edit", targetId, text}},
 * {@code {type: "delete", targetId}}, {@code {type: "reaction", targetAuthor, targetId, emoji}},
 * {@code {type: "timer", expireSeconds}}, {@code {type: "sent-payload", peer, inner}},
 * {@code {type: "block", peer, blocked}}, each with {@code id} and {@code sentAt}.
 */
final class ContentPayloadJson {

    private ContentPayloadJson() {}

    static String typeName(Payload payload) {
        return switch (payload) {
            case Payload.Message p -> "message";
            case Payload.Edit p -> "edit";
            case Payload.Delete p -> "delete";
            case Payload.Reaction p -> "reaction";
            case Payload.Timer p -> "timer";
            case Payload.SentPayload p -> "sent-payload";
            case Payload.Block p -> "block";
            default -> throw new IllegalArgumentException("not a content payload: " + payload.type());
        };
    }

    /** Adds the fields of {@code payload} to {@code node} (which has type, id and sentAt). */
    static ObjectNode write(ObjectNode node, Payload payload) {
        switch (payload) {
            case Payload.Message p -> {
                node.put("expireSeconds", p.expireSeconds()).put("text", p.text());
                if (p.quote() == null) {
                    node.putNull("quote");
                } else {
                    node.putObject("quote").put("author", p.quote().author()).put("id", p.quote().id());
                }
                if (p.attachment() == null) {
                    node.putNull("attachment");
                } else {
                    node.set("attachment", attachment(p.attachment()));
                }
            }
            case Payload.Edit p -> node.put("targetId", p.targetId()).put("text", p.text());
            case Payload.Delete p -> node.put("targetId", p.targetId());
            case Payload.Reaction p -> node.put("targetAuthor", p.targetAuthor()).put("targetId", p.targetId())
                    .put("emoji", p.emoji());
            case Payload.Timer p -> node.put("expireSeconds", p.expireSeconds());
            case Payload.SentPayload p -> node.put("peer", p.peer()).set("inner", PayloadJson.write(p.inner()));
            case Payload.Block p -> node.put("peer", p.peer()).put("blocked", p.blocked());
            default -> throw new IllegalArgumentException("not a content payload: " + payload.type());
        }
        return node;
    }

    static Payload read(JsonNode node, String id, long sentAt) {
        return switch (Json.text(node, "type")) {
            case "message" -> new Payload.Message(id, sentAt, (int) Json.number(node, "expireSeconds"), Json.text(node, "text"),
                    nullable(node, "quote") == null ? null
                            : new Quote(Json.text(node.get("quote"), "author"), Json.text(node.get("quote"), "id")),
                    nullable(node, "attachment") == null ? null : readAttachment(node.get("attachment")));
            case "edit" -> new Payload.Edit(id, sentAt, Json.text(node, "targetId"), Json.text(node, "text"));
            case "delete" -> new Payload.Delete(id, sentAt, Json.text(node, "targetId"));
            case "reaction" -> new Payload.Reaction(id, sentAt, Json.text(node, "targetAuthor"), Json.text(node, "targetId"),
                    Json.text(node, "emoji"));
            case "timer" -> new Payload.Timer(id, sentAt, (int) Json.number(node, "expireSeconds"));
            case "sent-payload" -> new Payload.SentPayload(id, sentAt, Json.text(node, "peer"),
                    PayloadJson.read(Json.required(node, "inner")));
            case "block" -> new Payload.Block(id, sentAt, Json.text(node, "peer"), Json.required(node, "blocked").asBoolean());
            default -> throw new IllegalArgumentException("unknown payload type in vector: " + node.get("type"));
        };
    }

    static ObjectNode attachment(AttachmentPointer a) {
        return Json.object().put("blobId", a.blobId()).put("key", Json.b64(a.key())).put("digest", Json.b64(a.digest()))
                .put("size", a.size()).put("contentType", a.contentType()).put("fileName", a.fileName())
                .put("width", a.width()).put("height", a.height()).put("thumbnail", Json.b64(a.thumbnail()));
    }

    static AttachmentPointer readAttachment(JsonNode node) {
        return new AttachmentPointer(Json.text(node, "blobId"), Json.bytes(node, "key"), Json.bytes(node, "digest"),
                Json.number(node, "size"), Json.text(node, "contentType"), Json.text(node, "fileName"),
                (int) Json.number(node, "width"), (int) Json.number(node, "height"), Json.bytes(node, "thumbnail"));
    }

    private static JsonNode nullable(JsonNode node, String field) {
        if (!node.has(field)) {
            throw new IllegalArgumentException("vector field '" + field + "' missing (null when absent)");
        }
        JsonNode value = node.get(field);
        return value.isNull() ? null : value;
    }
}
