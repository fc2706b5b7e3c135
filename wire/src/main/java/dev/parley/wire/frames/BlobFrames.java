package dev.parley.wire.frames;

import dev.parley.wire.FieldReader;
import dev.parley.wire.FrameType;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Attachment blobs (docs/PROTOCOL.md §9): a logged-in client asks for an upload of
 * {@code size} bytes over the socket and gets a blob id and an upload token; it then sends the
 * bytes over HTTP ({@code PUT /v1/blobs/{blob}?offset=N}, {@link WireLimits#BLOB_PATH}), and
 * anyone who knows the blob id downloads them ({@code GET /v1/blobs/{blob}}). The blob id is a
 * capability and the token a secret: neither is ever printed by {@code toString}.
 */
public final class BlobFrames {

    /** A blob id: {@link WireLimits#BLOB_ID_BYTES} random bytes in base64url, 22 characters. */
    public static final Pattern BLOB_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    /** An upload token: {@link WireLimits#BLOB_TOKEN_BYTES} random bytes in base64url, 43 characters. */
    public static final Pattern UPLOAD_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    /**
     * Asks for an upload of a blob of exactly {@code size} bytes (an attachment's blob length,
     * {@link WireLimits#attachmentBlobLength}). Refused with {@code blob_too_large},
     * {@code quota_exceeded}, {@code storage_full} or {@code rate_limited}.
     */
    public record BlobUpload(String id, long size) implements WireFrame.Request {
        public static final String TYPE = "blob_upload";
    }

    /**
     * The upload may start: {@code blob} names it (and, once complete, is the capability to
     * download it), {@code token} authorizes its {@code PUT}s, and the upload must be complete
     * by {@code expiresAt} (ms since the epoch) or it is deleted.
     */
    public record BlobUploadReady(String re, String blob, String token, long expiresAt) implements WireFrame.Answer {
        public static final String TYPE = "blob_upload_ready";

        /** Neither the blob id (a capability) nor the token (a secret) is printed. */
        @Override
        public String toString() {
            return "BlobUploadReady[re=" + re + ", expiresAt=" + expiresAt + "]";
        }
    }

    public static final List<FrameType<?>> TYPES = List.of(
            FrameType.fromClient(BlobUpload.TYPE, BlobUpload.class,
                    f -> new BlobUpload(f.id("id"), f.integer("size", 1, WireLimits.MAX_JSON_INTEGER)),
                    (u, w) -> w.integer("size", u.size())),
            FrameType.fromServer(BlobUploadReady.TYPE, BlobUploadReady.class, BlobFrames::readReady,
                    (r, w) -> w.string("blob", r.blob()).string("token", r.token()).integer("expiresAt", r.expiresAt())));

    private static BlobUploadReady readReady(FieldReader f) {
        return new BlobUploadReady(f.reOrNull(), f.string("blob", BLOB_ID, "22 characters of A-Z a-z 0-9 _ -"),
                f.string("token", UPLOAD_TOKEN, "43 characters of A-Z a-z 0-9 _ -"),
                f.integer("expiresAt", 0, WireLimits.MAX_JSON_INTEGER));
    }

    private BlobFrames() {
    }
}
