package dev.parley.server.config;

import java.time.Duration;

/**
 * Limits on what the server stores for others: one-time prekeys handed out per target, each
 * sender's share of a recipient's queue, each account's queued bytes, the free-disk watermark,
 * how soon acknowledged ciphertext leaves the database files, how long a link channel lives,
 * and the memory for {@code send_multi} recipient sets. The reasons for each default
 * are in docs/OPERATIONS.md and docs/SECURITY.md ("Storage and delivery").
 *
 * @param oneTimePreKeysPerTargetPerHour bundles with one-time keys handed out per target account
 *                                       per hour, whoever asks; past it bundles carry the signed
 *                                       prekey and the last-resort KEM key only
 * @param queueShare                     undelivered messages one sender may hold in one recipient's queue
 * @param queuedBytesPerAccount          envelope bytes one sender may have waiting, over all recipients
 * @param diskWatermarkBytes             free bytes on the database's file system under which new
 *                                       sends, registrations and prekey uploads are refused; 0 turns it off
 * @param erasureBound                   how long after its erasure an acknowledged envelope may
 *                                       still be in the database files (the WAL checkpoint interval)
 * @param linkTtl                        how long a link channel (a new device's request, then its
 *                                       sealed link message) is kept after {@code link_open}
 * @param recipientSetBytes              memory for the {@code send_multi} recipient sets over the
 *                                       whole server (least recently used dropped past it); at least 1 MiB
 * @param databasePool                   connections this node keeps to a PostgreSQL database (the
 *                                       writer's and the readers'); at least 2. SQLite's pool is fixed.
 * @param commitLinger                   how long the writer holds a small batch open for more writes
 *                                       while writes arrive close together; 0 commits each batch at once
 * @param sqliteSync                     when a SQLite commit reaches the disk ({@link SqliteSync}); FULL
 *                                       unless the operator chose otherwise
 */
public record StorageLimits(int oneTimePreKeysPerTargetPerHour, int queueShare, long queuedBytesPerAccount,
                            long diskWatermarkBytes, Duration erasureBound, Duration linkTtl, long recipientSetBytes,
                            int databasePool, Duration commitLinger, SqliteSync sqliteSync) {

    /**
     * SQLite's {@code synchronous} setting, in WAL mode. {@link #FULL}, the default, syncs the WAL
     * at every commit: a message is on disk when its {@code stored} ack is sent, whatever fails
     * next. {@link #NORMAL} syncs only at checkpoints: a commit survives the server's crash (it
     * is in the operating system's cache) but not the machine's (power loss, kernel crash), so
     * acks sent in the last moments before such a crash may name messages that are lost.
     * docs/OPERATIONS.md ("Durability") and docs/BENCHMARKS.md give what each costs.
     */
    public enum SqliteSync { FULL, NORMAL }

    public static final long MIB = 1024L * 1024;
    public static final long DEFAULT_RECIPIENT_SET_BYTES = 64 * MIB;
    public static final int DEFAULT_DATABASE_POOL = 10;
    public static final Duration DEFAULT_COMMIT_LINGER = Duration.ofMillis(2);

    public StorageLimits {
        if (oneTimePreKeysPerTargetPerHour < 1 || queueShare < 1 || queuedBytesPerAccount < 1 || diskWatermarkBytes < 0
                || erasureBound.isNegative() || erasureBound.isZero() || linkTtl.isNegative() || linkTtl.isZero()) {
            throw new IllegalArgumentException("storage limits must be positive (the disk watermark may be 0)");
        }
        if (recipientSetBytes < MIB) {
            throw new IllegalArgumentException("the recipient sets need at least 1 MiB");
        }
        if (databasePool < 2) {
            throw new IllegalArgumentException("the database pool needs at least 2 connections (the writer and a reader)");
        }
        if (commitLinger.isNegative() || commitLinger.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("the commit linger must be between 0 and 100 ms");
        }
        if (sqliteSync == null) {
            throw new IllegalArgumentException("the SQLite synchronous mode must be FULL or NORMAL");
        }
    }

    /** With the default database pool. */
    public StorageLimits(int oneTimePreKeysPerTargetPerHour, int queueShare, long queuedBytesPerAccount,
                         long diskWatermarkBytes, Duration erasureBound, Duration linkTtl, long recipientSetBytes) {
        this(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes, erasureBound, linkTtl,
                recipientSetBytes, DEFAULT_DATABASE_POOL, DEFAULT_COMMIT_LINGER, SqliteSync.FULL);
    }

    /** With the default memory for recipient sets. */
    public StorageLimits(int oneTimePreKeysPerTargetPerHour, int queueShare, long queuedBytesPerAccount,
                         long diskWatermarkBytes, Duration erasureBound, Duration linkTtl) {
        this(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes, erasureBound, linkTtl,
                DEFAULT_RECIPIENT_SET_BYTES);
    }

    public static StorageLimits defaults() {
        return new StorageLimits(10, 1000, 16 * MIB, 256 * MIB, Duration.ofSeconds(10), Duration.ofMinutes(10));
    }

    public StorageLimits withOneTimePreKeysPerTargetPerHour(int n) {
        return new StorageLimits(n, queueShare, queuedBytesPerAccount, diskWatermarkBytes, erasureBound, linkTtl,
                recipientSetBytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withQueueShare(int n) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, n, queuedBytesPerAccount, diskWatermarkBytes, erasureBound,
                linkTtl, recipientSetBytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withQueuedBytesPerAccount(long bytes) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, bytes, diskWatermarkBytes, erasureBound, linkTtl,
                recipientSetBytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withDiskWatermarkBytes(long bytes) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, bytes, erasureBound, linkTtl,
                recipientSetBytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withErasureBound(Duration bound) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes, bound,
                linkTtl, recipientSetBytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withLinkTtl(Duration ttl) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes,
                erasureBound, ttl, recipientSetBytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withRecipientSetBytes(long bytes) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes,
                erasureBound, linkTtl, bytes, databasePool, commitLinger, sqliteSync);
    }

    public StorageLimits withDatabasePool(int connections) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes,
                erasureBound, linkTtl, recipientSetBytes, connections, commitLinger, sqliteSync);
    }

    public StorageLimits withCommitLinger(Duration linger) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes,
                erasureBound, linkTtl, recipientSetBytes, databasePool, linger, sqliteSync);
    }

    public StorageLimits withSqliteSync(SqliteSync sync) {
        return new StorageLimits(oneTimePreKeysPerTargetPerHour, queueShare, queuedBytesPerAccount, diskWatermarkBytes,
                erasureBound, linkTtl, recipientSetBytes, databasePool, commitLinger, sync);
    }
}
