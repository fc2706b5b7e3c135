package dev.parley.server.blobs;

import dev.parley.server.storage.BlobRecords;
import dev.parley.server.storage.StoredBlob;
import dev.parley.wire.WireLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of blobs (docs/PROTOCOL.md §9), free of any web framework: {@link #put} appends
 * one part of an upload, {@link #download} opens a complete blob.
 *
 * <p>A part is all or nothing: its bytes are streamed to the blob store (never held whole),
 * made durable, and only then is {@code received} advanced in the database
 * ({@link BlobStore#append}), so an upload cut off mid-part resumes from the last whole part.
 * One part of a blob is written at a time: a second one at once is answered {@code 409} with
 * the bytes received, on the same node at once, across the nodes of a cluster when the first
 * has landed (the record's {@code received} is advanced by compare-and-set on the part's offset).
 * A blob becomes complete, and downloadable, with its last byte; until then {@code GET} answers
 * {@code 404}.
 */
public final class BlobTransfers {

    private static final Logger log = LoggerFactory.getLogger(BlobTransfers.class);

    /** A download: the blob's length and its bytes (the caller closes them). */
    public record Download(long size, InputStream bytes) {
    }

    private final BlobStore store;
    private final BlobRecords records;
    private final Clock clock;
    private final Counter completed;

    public BlobTransfers(BlobStore store, BlobRecords records, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.records = records;
        this.clock = clock;
        this.completed = Counter.builder("parley_blob_uploads_completed").description("Blob uploads completed").register(metrics);
    }

    /**
     * Appends {@code body} at {@code offset} of blob {@code id}. {@code authorization} is the
     * request's {@code Authorization} header (null when absent), {@code offsetParameter} its
     * {@code offset} query parameter (null when absent) and {@code contentLength} its declared
     * length (-1 when chunked). {@code body} is read only once every check has passed.
     */
    public BlobAnswer put(String id, String authorization, String offsetParameter, long contentLength, InputStream body) {
        if (!BlobIds.isBlobId(id)) {
            return BlobAnswer.NOT_FOUND;
        }
        Optional<StoredBlob> found = records.find(id);
        if (found.isEmpty()) {
            return BlobAnswer.NOT_FOUND;
        }
        StoredBlob blob = found.get();
        if (!BlobIds.tokenMatches(bearer(authorization), blob.tokenHash())) {
            return BlobAnswer.FORBIDDEN;
        }
        if (blob.expired(clock.millis())) {
            return blob.complete() ? BlobAnswer.NOT_FOUND : BlobAnswer.EXPIRED; // being deleted
        }
        if (blob.complete()) {
            return BlobAnswer.offsetMismatch(blob.size(), true);
        }
        Long offset = offset(offsetParameter);
        if (offset == null) {
            return BlobAnswer.error(400, "bad_request", "'offset' must be a non-negative integer");
        }
        if (offset != blob.received()) {
            return BlobAnswer.offsetMismatch(blob.received(), false);
        }
        BlobAnswer tooLarge = tooLarge(blob, offset, contentLength);
        if (tooLarge != null) {
            return tooLarge;
        }
        return append(blob, offset, body);
    }

    private BlobAnswer append(StoredBlob blob, long offset, InputStream body) {
        long room = blob.size() - offset;
        long maxBytes = Math.min(WireLimits.MAX_BLOB_PART_BYTES, room);
        var source = new WatchedInput(body);
        Appended appended;
        try {
            appended = store.append(blob.id(), offset, source, maxBytes);
        } catch (BlobTooLongException e) {
            return room < WireLimits.MAX_BLOB_PART_BYTES ? pastSize(blob) : partTooLarge();
        } catch (IOException e) {
            if (source.failed()) {
                // The client went away mid-part: nothing of it counts.
                return BlobAnswer.error(400, "incomplete_body", "the part ended early; send it again from " + offset);
            }
            if (records.find(blob.id()).map(b -> b.expired(clock.millis())).orElse(true)) {
                return BlobAnswer.EXPIRED;
            }
            log.error("writing a blob part failed: {}", e.getClass().getSimpleName());
            return BlobAnswer.error(507, "storage_full", "the part could not be stored; send it again later");
        }
        return switch (appended) {
            case Appended.Busy busy -> BlobAnswer.offsetMismatch(blob.received(), false); // another part is being written
            case Appended.Refused refused -> refusedNow(blob.id());
            case Appended.Stored stored -> {
                boolean complete = stored.received() == blob.size();
                if (complete) {
                    completed.increment();
                }
                yield BlobAnswer.received(stored.received(), complete, stored.expiresAt());
            }
        };
    }

    /** The answer to a part its blob's record no longer took, from what the record says now. */
    private BlobAnswer refusedNow(String id) {
        StoredBlob now = records.find(id).orElse(null);
        if (now == null) {
            return BlobAnswer.NOT_FOUND;
        }
        if (now.expired(clock.millis())) {
            return now.complete() ? BlobAnswer.NOT_FOUND : BlobAnswer.EXPIRED;
        }
        return BlobAnswer.offsetMismatch(now.received(), now.complete());
    }

    /** Refuses a part whose declared length is over the part limit or past the declared size, before reading it. */
    private static BlobAnswer tooLarge(StoredBlob blob, long offset, long contentLength) {
        if (contentLength > WireLimits.MAX_BLOB_PART_BYTES) {
            return partTooLarge();
        }
        if (contentLength > blob.size() - offset) {
            return pastSize(blob);
        }
        return null;
    }

    private static BlobAnswer partTooLarge() {
        return BlobAnswer.error(413, "part_too_large", "a part has at most " + WireLimits.MAX_BLOB_PART_BYTES + " bytes");
    }

    private static BlobAnswer pastSize(StoredBlob blob) {
        return BlobAnswer.error(413, "past_size", "the blob was declared with " + blob.size() + " bytes");
    }

    /** A complete blob that has not expired, opened; empty for anything else (unknown, incomplete, expired). */
    public Optional<Download> download(String id) {
        if (!BlobIds.isBlobId(id)) {
            return Optional.empty();
        }
        Optional<StoredBlob> found = records.find(id);
        if (found.isEmpty() || !found.get().complete() || found.get().expired(clock.millis())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Download(found.get().size(), store.open(id)));
        } catch (IOException e) {
            return Optional.empty(); // deleted meanwhile (expiry)
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null for anything else. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /** A non-negative decimal offset; null when absent or malformed. */
    static Long offset(String parameter) {
        if (parameter == null || parameter.isEmpty() || parameter.length() > 18 || !parameter.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(parameter);
    }

    /** Remembers whether reading the request body failed (the client went away), as opposed to writing the blob. */
    private static final class WatchedInput extends java.io.FilterInputStream {
        private boolean failed;

        WatchedInput(InputStream in) {
            super(in);
        }

        boolean failed() {
            return failed;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
