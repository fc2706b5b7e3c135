package dev.parley.server.blobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer of the blob routes: a status and a JSON body, {@code {"received":M, ...}} or
 * {@code {"error":code,"message":text, ...}} (docs/PROTOCOL.md §9). Never holds a blob id or a token.
 */
public record BlobAnswer(int status, Map<String, Object> body) {

    public BlobAnswer {
        body = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    static BlobAnswer error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return new BlobAnswer(status, body);
    }

    /** {@code 409 offset_mismatch}: the upload resumes from {@code received}. */
    static BlobAnswer offsetMismatch(long received, boolean complete) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "offset_mismatch");
        body.put("message", complete ? "the blob is complete" : "the upload has " + received + " bytes; send from there");
        body.put("received", received);
        if (complete) {
            body.put("complete", true);
        }
        return new BlobAnswer(409, body);
    }

    static BlobAnswer received(long received, boolean complete, long expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("received", received);
        if (complete) {
            body.put("complete", true);
            body.put("expiresAt", expiresAt);
        }
        return new BlobAnswer(200, body);
    }

    static final BlobAnswer NOT_FOUND = error(404, "not_found", "no such blob");
    static final BlobAnswer FORBIDDEN = error(403, "forbidden", "the upload token is missing or wrong");
    static final BlobAnswer EXPIRED = error(410, "expired", "the upload window has ended; the blob is being deleted");
}
