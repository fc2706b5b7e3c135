package dev.parley.client.attachments;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.BlobFrames;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Asks the server for room for one blob over the logged-in socket ({@code blob_upload} →
 * {@code blob_upload_ready}, PROTOCOL.md §9): the blob's id, the token that authorises its
 * upload, and until when. Refusals become {@link ClientException}s in words.
 */
final class BlobSlots {

    /** Room for one blob. Never printed: the id is the download capability, the token the upload's. */
    record Slot(String blob, String token, long expiresAt) {
        @Override
        public String toString() {
            return "Slot[expiresAt=" + expiresAt + "]";
        }
    }

    private final Supplier<ServerConnection> connection;
    private final Duration timeout;

    BlobSlots(Supplier<ServerConnection> connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** Room for a blob of {@code blobLength} bytes (ciphertext). */
    Slot reserve(long blobLength) throws ClientException {
        ServerConnection current = connection.get();
        if (current == null || !current.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected: a file is uploaded only while connected to the server");
        }
        try {
            var ready = current.request(new BlobFrames.BlobUpload(current.nextRequestId(), blobLength),
                    BlobFrames.BlobUploadReady.class, timeout);
            return new Slot(ready.blob(), ready.token(), ready.expiresAt());
        } catch (ServerError e) {
            String code = e.code().map(ErrorCode::wireName).orElse("");
            String why = switch (code) {
                case "blob_too_large" -> "the file is larger than this server accepts";
                case "quota_exceeded" -> "your files on the server are over your quota; wait until older ones expire";
                case "storage_full" -> "the server's storage is full";
                case "rate_limited" -> "too many uploads in the last hour; wait and try again";
                default -> e.getMessage();
            };
            throw new ClientException(Reason.REFUSED, "the upload was refused by the server: " + why);
        }
    }
}
