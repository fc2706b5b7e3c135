package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command-line options of {@link BlobLimits}, mixed into {@link ServerCommand}; each reads
 * a {@code PARLEY_*} variable like every option.
 */
final class BlobOptions {

    @Option(names = "--blob-dir", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Folder of the attachment blobs (default: 'blobs' next to the database file).")
    Path blobDir;

    @Option(names = "--blob-store", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Where attachment bytes are kept: 'directory' (files under --blob-dir) or 'database' "
                    + "(rows of the PostgreSQL database; needed in a cluster). Default: database on PostgreSQL, "
                    + "directory on SQLite.")
    String blobStore;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--max-attachment-mib", defaultValue = "100",
            description = "Largest attachment, in MiB of plaintext.")
    long maxAttachmentMib;

    @Option(names = "--blob-quota-mib", defaultValue = "1024",
            description = "MiB of blobs, pending and complete, one account may have stored.")
    long blobQuotaMib;

    @Option(names = "--uploads-per-hour", defaultValue = "100",
            description = "Blob uploads one account may start per hour.")
    int uploadsPerHour;

    @Option(names = "--blob-ttl", defaultValue = "P30D",
            description = "How long a complete blob is kept, ISO-8601.")
    Duration blobTtl;

    BlobLimits toLimits() {
        var defaults = BlobLimits.defaults();
        return new BlobLimits(blobDir, maxAttachmentMib * StorageLimits.MIB, blobQuotaMib * StorageLimits.MIB, uploadsPerHour,
                defaults.uploadWindow(), blobTtl, store());
    }

    private BlobLimits.Store store() {
        if (blobStore == null || blobStore.isBlank()) {
            return null;
        }
        for (BlobLimits.Store store : BlobLimits.Store.values()) {
            if (store.optionName().equals(blobStore.strip())) {
                return store;
            }
        }
        throw new ParameterException(spec.commandLine(), "--blob-store must be 'directory' or 'database'");
    }
}
