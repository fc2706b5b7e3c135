package dev.parley.server.config;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The command-line options of {@link StorageLimits}, mixed into {@link ServerCommand}. Like
 * every option, each reads a {@code PARLEY_*} variable; docs/OPERATIONS.md gives the reasons
 * for the defaults.
 */
final class StorageOptions {

    @Option(names = "--one-time-prekeys-per-target", defaultValue = "${env:PARLEY_ONE_TIME_PREKEYS_PER_TARGET:-10}",
            description = "Bundles with one-time prekeys handed out per target account per hour, whoever asks; "
                    + "later bundles carry the last-resort keys only (env PARLEY_ONE_TIME_PREKEYS_PER_TARGET, default ${DEFAULT-VALUE}).")
    int oneTimePreKeysPerTarget;

    @Option(names = "--queue-share", defaultValue = "${env:PARLEY_QUEUE_SHARE:-1000}",
            description = "Undelivered messages one sender may hold in one recipient's queue (env PARLEY_QUEUE_SHARE, default ${DEFAULT-VALUE}).")
    int queueShare;

    @Option(names = "--queued-mib-per-account", defaultValue = "${env:PARLEY_QUEUED_MIB_PER_ACCOUNT:-16}",
            description = "MiB of envelopes one account may have waiting, over all recipients (env PARLEY_QUEUED_MIB_PER_ACCOUNT, default ${DEFAULT-VALUE}).")
    long queuedMibPerAccount;

    @Option(names = "--disk-watermark-mib", defaultValue = "${env:PARLEY_DISK_WATERMARK_MIB:-256}",
            description = "Refuse sends, registrations and prekey uploads while the database's file system has less "
                    + "than this many MiB free; 0 turns it off (env PARLEY_DISK_WATERMARK_MIB, default ${DEFAULT-VALUE}).")
    long diskWatermarkMib;

    @Option(names = "--erasure-bound", defaultValue = "${env:PARLEY_ERASURE_BOUND:-PT10S}",
            description = "Longest time an acknowledged envelope stays in the database files, ISO-8601 "
                    + "(env PARLEY_ERASURE_BOUND, default ${DEFAULT-VALUE}).")
    Duration erasureBound;

    StorageLimits toLimits() {
        return new StorageLimits(oneTimePreKeysPerTarget, queueShare, queuedMibPerAccount * StorageLimits.MIB,
                diskWatermarkMib * StorageLimits.MIB, erasureBound);
    }
}
