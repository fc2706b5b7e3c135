package dev.parley.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/** The one JSON mapper and the helpers every handler uses to build server frames. */
public final class Json {

    /**
     * Strict on input: a frame with anything after its JSON value, or with a key twice in one
     * object, is not valid JSON ({@code bad_json}), so the frame the server acts on is exactly
     * the frame it received (one parser cannot read a different frame than another). Duplicates
     * are caught while the tree is built (a key already in the object), which costs nothing per
     * frame, unlike the parser's own duplicate detection, which keeps a set per object.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Json() {
    }

    /** A new server frame {@code {"type": type}}. */
    public static ObjectNode frame(String type) {
        return MAPPER.createObjectNode().put("type", type);
    }

    /** A response frame: {@code {"type": type, "re": requestId}}. */
    public static ObjectNode reply(String type, String requestId) {
        ObjectNode frame = frame(type);
        if (requestId != null) {
            frame.put("re", requestId);
        }
        return frame;
    }

    /** {@code error{code, message, re}}; {@code re} is omitted when the frame had no usable id. */
    public static ObjectNode error(ErrorCode code, String message, String requestId) {
        return reply("error", requestId).put("code", code.wireName()).put("message", message);
    }

    public static String base64(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    public static String write(ObjectNode frame) {
        try {
            return MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a server frame", e);
        }
    }
}
