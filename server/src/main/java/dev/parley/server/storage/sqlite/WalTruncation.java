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
 * <p>It runs on the storage housekeeping thread on a pooled connection, never on the writer,
 * and is skipped when the WAL is already empty. While a truncating checkpoint waits for a
 * reader that still holds an older snapshot, SQLite lets no writer in: with the pool's 10 s
 * busy timeout one slow reader could hold every write (and every {@code stored} answer) for
 * up to 10 s, and the writer itself could give up with {@code SQLITE_BUSY}. So the checkpoint
 * waits at most {@link #CHECKPOINT_WAIT}; one that cannot finish by then gives way and runs
 * again at the next interval.
 */
public final class WalTruncation implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WalTruncation.class);

    /** The longest a checkpoint waits for readers, and so the longest it can hold up a write. */
    static final int CHECKPOINT_WAIT_MILLIS = 200;

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
                 Statement statement = connection.createStatement()) {
                int poolTimeout = busyTimeout(statement);
                statement.execute("PRAGMA busy_timeout = " + CHECKPOINT_WAIT_MILLIS);
                try (ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    if (row.next() && row.getInt(1) != 0) {
                        log.debug("WAL checkpoint could not finish (busy); retrying at the next interval");
                    }
                } finally {
                    statement.execute("PRAGMA busy_timeout = " + poolTimeout); // the connection goes back to the pool
                }
            }
        } catch (java.io.IOException | SQLException | RuntimeException e) {
            log.warn("WAL checkpoint failed: {}", e.toString());
        }
    }

    private static int busyTimeout(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("PRAGMA busy_timeout")) {
            return row.next() ? row.getInt(1) : 0;
        }
    }
}
