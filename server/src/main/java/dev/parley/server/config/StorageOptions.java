package dev.parley.server.config;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The command-line options of {@link StorageLimits}, mixed into {@link ServerCommand}. Like
 * every option, each reads a {@code PARLEY_*} variable; docs/OPERATIONS.md gives the reasons
 * for the defaults.
 */
final class StorageOptions {

    @Option(names = "--one-time-prekeys-per-target", defaultValue = "10",
            description = "Bundles with one-time prekeys handed out per target account per hour, whoever asks; "
                    + "later bundles carry the last-resort keys only.")
    int oneTimePreKeysPerTarget;

    @Option(names = "--queue-share", defaultValue = "1000",
            description = "Undelivered messages one sender may hold in one recipient's queue.")
    int queueShare;

    @Option(names = "--queued-mib-per-account", defaultValue = "16",
            description = "MiB of envelopes one account may have waiting, over all recipients.")
    long queuedMibPerAccount;

    @Option(names = "--disk-watermark-mib", defaultValue = "256",
            description = "Refuse sends, registrations and prekey uploads while the database's file system has less "
                    + "than this many MiB free; 0 turns it off.")
    long diskWatermarkMib;

    @Option(names = "--erasure-bound", defaultValue = "PT10S",
            description = "Longest time an acknowledged envelope stays in the database files, ISO-8601.")
    Duration erasureBound;

    @Option(names = "--link-ttl", defaultValue = "PT10M",
            description = "How long a new device's link request, and then its sealed link message, is kept, ISO-8601.")
    Duration linkTtl;

    @Option(names = "--recipient-sets-mib", defaultValue = "64",
            description = "MiB of memory for the recipient lists that send_multi frames may name by id, over the whole "
                    + "server (least recently used dropped first; at least 1).")
    long recipientSetsMib;

    @Option(names = "--database-pool", defaultValue = "" + StorageLimits.DEFAULT_DATABASE_POOL,
            description = "Connections this node keeps to a PostgreSQL database (one is the writer's); at least 2. "
                    + "Over all nodes, keep it under the server's max_connections.")
    int databasePool;

    @Option(names = "--commit-linger", defaultValue = "PT0.002S",
            description = "How long the database writer holds a small batch open for more writes while several "
                    + "clients are writing, ISO-8601; more writes share each commit's fsync. PT0S commits at once.")
    Duration commitLinger;

    @Option(names = "--sqlite-synchronous", defaultValue = "FULL", paramLabel = "FULL|NORMAL",
            description = "When a SQLite commit reaches the disk. FULL (the default): at every commit, so an "
                    + "acknowledged message survives a power loss. NORMAL: at checkpoints only, so messages acknowledged "
                    + "just before a power loss or kernel crash can be lost (a crash of the server alone loses nothing). "
                    + "Ignored on PostgreSQL, whose durability is its own synchronous_commit.")
    StorageLimits.SqliteSync sqliteSync;

    StorageLimits toLimits() {
        return new StorageLimits(oneTimePreKeysPerTarget, queueShare, queuedMibPerAccount * StorageLimits.MIB,
                diskWatermarkMib * StorageLimits.MIB, erasureBound, linkTtl, recipientSetsMib * StorageLimits.MIB,
                databasePool, commitLinger, sqliteSync);
    }
}
