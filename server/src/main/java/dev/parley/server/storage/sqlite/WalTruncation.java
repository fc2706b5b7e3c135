package dev.parley.server.storage.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps acknowledged ciphertext out of the database files. With {@code secure_delete} on (set
 * in {@link dev.parley.server.storage.Database}) SQLite zeroes an erased envelope in the pages
 * it rewrites, but the WAL still holds the frames written when the message was stored, and a
 * passive checkpoint leaves them there for the WAL's next pass. {@link #run} copies the WAL into
 * the database and truncates it to zero bytes; run every {@code --erasure-bound}, it bounds how
 * long an acknowledged envelope stays readable in {@code parley.db}, {@code -wal} or {@code -shm}.
 *
 * <p>It runs on the storage housekeeping thread on a pooled connection, never on the writer:
 * the checkpoint waits (busy timeout) for the writer's current transaction and readers'
 * snapshots, and is skipped when the WAL is already empty.
 */
public final class WalTruncation implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WalTruncation.class);

    private final DataSource dataSource;
    private final Path wal;

    public WalTruncation(DataSource dataSource, Path databaseFile) {
        this.dataSource = dataSource;
        this.wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
    }

    @Override
    public void run() {
        try {
            if (!Files.exists(wal) || Files.size(wal) == 0) {
                return;
            }
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                if (row.next() && row.getInt(1) != 0) {
                    log.debug("WAL checkpoint could not finish (busy); retrying at the next interval");
                }
            }
        } catch (java.io.IOException | SQLException | RuntimeException e) {
            log.warn("WAL checkpoint failed: {}", e.toString());
        }
    }
}
