package dev.parley.server.blobs;

import dev.parley.server.config.BlobLimits;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.BlobRecords;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.StorageFullException;
import dev.parley.server.storage.StoredBlob;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.frames.BlobFrames.BlobUpload;
import dev.parley.wire.frames.BlobFrames.BlobUploadReady;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code blob_upload} (docs/PROTOCOL.md §9): a logged-in account asks to upload a blob of
 * {@code size} bytes and gets its id, an upload token and the end of the upload window. Refused,
 * with nothing stored, in this order: {@code blob_too_large} (over the attachment limit as a blob
 * length), {@code storage_full} (the database's disk guard, or the blob folder's free space
 * minus the declared size under the watermark; a store in a database server cannot tell its
 * free space, and is checked only by what the database refuses), {@code rate_limited} ({@code --uploads-per-hour}
 * per account) and {@code quota_exceeded} (the account's blobs, pending and complete, checked in
 * the writer's transaction). Only then is the row committed and the blob created in the store.
 */
public final class BlobUploads {

    private static final Logger log = LoggerFactory.getLogger(BlobUploads.class);

    private final BlobStore store;
    private final BlobRecords records;
    private final BlobLimits limits;
    private final long watermarkBytes;
    private final DiskGuard disk;
    private final KeyedRateLimiter uploads;
    private final BlobIds ids;
    private final Clock clock;
    private final Counter started;

    public BlobUploads(BlobStore store, BlobRecords records, BlobLimits limits, long watermarkBytes, DiskGuard disk,
                       KeyedRateLimiter uploads, BlobIds ids, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.records = records;
        this.limits = limits;
        this.watermarkBytes = watermarkBytes;
        this.disk = disk;
        this.uploads = uploads;
        this.ids = ids;
        this.clock = clock;
        this.started = Counter.builder("parley_blob_uploads_started").description("Blob uploads started (blob_upload)")
                .register(metrics);
    }

    public void upload(ClientConnection connection, BlobUpload request) {
        connection.send(start(connection.username(), request));
    }

    /** The answer to {@code request} from {@code owner}; throws the refusal. */
    BlobUploadReady start(String owner, BlobUpload request) {
        long size = request.size();
        if (size > limits.maxBlobBytes()) {
            throw new FrameRefused(ErrorCode.BLOB_TOO_LARGE, "a blob may have at most " + limits.maxBlobBytes()
                    + " bytes (attachments of " + limits.maxAttachmentBytes() + " bytes); nothing was stored");
        }
        disk.ensureAccepting();
        var free = store.usableBytes();
        if (watermarkBytes > 0 && free.isPresent() && free.getAsLong() - size < watermarkBytes) {
            disk.countRefusal();
            throw new StorageFullException("the server's blob storage is full; nothing was stored, try later", null);
        }
        if (!uploads.tryAcquire(owner)) {
            throw new FrameRefused(ErrorCode.RATE_LIMITED, "at most " + limits.uploadsPerHour() + " uploads per hour; try later");
        }
        long now = clock.millis();
        String id = ids.newBlobId();
        String token = ids.newToken();
        long expiresAt = now + limits.uploadWindow().toMillis();
        var pending = new StoredBlob(id, owner, size, 0, BlobIds.tokenHash(token), false, now, expiresAt);
        if (records.create(pending, limits.quotaBytes()).join() instanceof BlobRecords.Creation.QuotaExceeded quota) {
            uploads.giveBack(owner, 1); // nothing was started
            throw new FrameRefused(ErrorCode.QUOTA_EXCEEDED, "your blobs take " + quota.used() + " of your "
                    + limits.quotaBytes() + " bytes; nothing was stored, try once some have expired");
        }
        try {
            store.create(id);
        } catch (IOException e) {
            log.error("creating a blob file failed: {}", e.getClass().getSimpleName());
            records.delete(List.of(id), Long.MAX_VALUE).join();
            throw new StorageFullException("the blob could not be created; nothing was stored, try later", e);
        }
        started.increment();
        return new BlobUploadReady(request.id(), id, token, expiresAt);
    }
}
