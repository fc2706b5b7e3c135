package dev.parley.server.config;

import dev.parley.wire.WireLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where attachment blobs are kept and how much of them the server takes (docs/PROTOCOL.md §9;
 * the reasons for the defaults are in docs/OPERATIONS.md and docs/SECURITY.md).
 *
 * @param directory          the folder of the blob files ({@link Store#DIRECTORY}); null: a
 *                           {@code blobs} folder next to the database file
 * @param maxAttachmentBytes the largest attachment, in plaintext bytes: a {@code blob_upload}
 *                           may declare at most its blob length ({@link #maxBlobBytes})
 * @param quotaBytes         declared bytes of one account's blobs, pending and complete, at most
 * @param uploadsPerHour     {@code blob_upload}s one account may start per hour
 * @param uploadWindow       how long an upload may take; an upload not complete by then is
 *                           deleted with its bytes
 * @param ttl                how long a complete blob is kept
 * @param store              where the bytes are ({@code --blob-store}); null: by the database
 *                           ({@link #storeFor})
 */
public record BlobLimits(Path directory, long maxAttachmentBytes, long quotaBytes, int uploadsPerHour, Duration uploadWindow,
                         Duration ttl, Store store) {

    /** Where attachment bytes are kept. */
    public enum Store {
        /** One file per blob in {@link #directory}: this node's own disk. */
        DIRECTORY,
        /** Rows of the PostgreSQL database ({@code blob_parts}), shared by every node of a cluster. */
        DATABASE;

        /** The option's value: {@code directory} or {@code database}. */
        public String optionName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public BlobLimits {
        if (maxAttachmentBytes < 1 || quotaBytes < 1 || uploadsPerHour < 1 || uploadWindow.isNegative() || uploadWindow.isZero()
                || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("blob limits must be positive");
        }
    }

    /** With the store chosen by the database ({@link #storeFor}). */
    public BlobLimits(Path directory, long maxAttachmentBytes, long quotaBytes, int uploadsPerHour, Duration uploadWindow,
                      Duration ttl) {
        this(directory, maxAttachmentBytes, quotaBytes, uploadsPerHour, uploadWindow, ttl, null);
    }

    /**
     * The store for a server on {@code databaseUrl}, alone or in a cluster: {@link #store} when
     * given, else {@link Store#DATABASE} on PostgreSQL and {@link Store#DIRECTORY} on SQLite.
     * Refused: the database store on SQLite (its one writer would wait for every part), and the
     * directory store in a cluster (a blob uploaded through one node must be readable through
     * every other).
     */
    public Store storeFor(String databaseUrl, boolean cluster) {
        boolean postgres = databaseUrl.startsWith("jdbc:postgresql:");
        Store chosen = store != null ? store : postgres ? Store.DATABASE : Store.DIRECTORY;
        if (chosen == Store.DATABASE && !postgres) {
            throw new IllegalArgumentException("--blob-store database needs PostgreSQL (--database-url jdbc:postgresql:...)");
        }
        if (chosen == Store.DIRECTORY && cluster) {
            throw new IllegalArgumentException("in a cluster every node must read every blob: use --blob-store database");
        }
        return chosen;
    }

    public static BlobLimits defaults() {
        return new BlobLimits(null, WireLimits.MAX_ATTACHMENT_BYTES, 1024 * StorageLimits.MIB, 100, Duration.ofHours(1),
                Duration.ofDays(30));
    }

    /** The longest blob a {@code blob_upload} may declare: the blob length of the largest attachment. */
    public long maxBlobBytes() {
        return WireLimits.attachmentBlobLength(maxAttachmentBytes);
    }

    /** The blob folder: {@link #directory}, or {@code blobs} next to {@code databaseFile} (null when in memory: a temporary folder). */
    public Path directoryFor(Path databaseFile) {
        if (directory != null) {
            return directory.toAbsolutePath();
        }
        if (databaseFile == null) {
            try {
                return java.nio.file.Files.createTempDirectory("parley-blobs");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create a blob folder", e);
            }
        }
        return databaseFile.toAbsolutePath().resolveSibling("blobs");
    }

    public BlobLimits withDirectory(Path folder) {
        return new BlobLimits(folder, maxAttachmentBytes, quotaBytes, uploadsPerHour, uploadWindow, ttl, store);
    }

    public BlobLimits withMaxAttachmentBytes(long bytes) {
        return new BlobLimits(directory, bytes, quotaBytes, uploadsPerHour, uploadWindow, ttl, store);
    }

    public BlobLimits withQuotaBytes(long bytes) {
        return new BlobLimits(directory, maxAttachmentBytes, bytes, uploadsPerHour, uploadWindow, ttl, store);
    }

    public BlobLimits withUploadsPerHour(int n) {
        return new BlobLimits(directory, maxAttachmentBytes, quotaBytes, n, uploadWindow, ttl, store);
    }

    public BlobLimits withUploadWindow(Duration window) {
        return new BlobLimits(directory, maxAttachmentBytes, quotaBytes, uploadsPerHour, window, ttl, store);
    }

    public BlobLimits withTtl(Duration blobTtl) {
        return new BlobLimits(directory, maxAttachmentBytes, quotaBytes, uploadsPerHour, uploadWindow, blobTtl, store);
    }

    public BlobLimits withStore(Store where) {
        return new BlobLimits(directory, maxAttachmentBytes, quotaBytes, uploadsPerHour, uploadWindow, ttl, where);
    }
}
