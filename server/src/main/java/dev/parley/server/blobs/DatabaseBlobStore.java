package dev.parley.server.blobs;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.server.storage.BlobRecords;
import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.StoredBlob;
import dev.parley.server.storage.postgres.PostgresPool;
import dev.parley.server.storage.sqlite.SqliteBlobRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * {@link BlobStore} of a cluster: the bytes are rows of the shared PostgreSQL database
 * ({@code blob_parts}: blob id, start offset, at most {@value #CHUNK_BYTES} bytes), so every node
 * serves every blob, {@code pg_dump} backs them up with their records, and deleting a blob is a
 * transaction like any other.
 *
 * <p><b>A part.</b> The request body is first copied to a spool file of this node (at most one
 * part, 8 MiB, on the system's temporary folder), so that a slow client never holds a database
 * connection or an open transaction (which would hold back vacuum in every table). The part then
 * lands in one short transaction on a connection of this store's own, never through the single
 * writer, so an 8 MiB part does not stall message commits: its chunk rows are inserted (each
 * streamed from the spool file, never held in memory whole) and the record's {@code received} is
 * advanced by compare-and-set on the part's offset, in the same transaction. Of two parts at one
 * offset on two nodes, exactly one lands: the other finds its chunk rows' keys taken or the
 * offset moved, rolls back, and its client gets the usual {@code 409} with the bytes received.
 * The chunk rows of a blob therefore always tile exactly {@code [0, received)}.
 *
 * <p><b>Locks.</b> The record is changed, as by every writer of it, only under its advisory
 * lock key ({@link LockKeys#blob}); a landing part takes it after its chunk rows are in, just
 * before the record, so it holds it for no more than the record's update and the commit, and
 * never waits for anything else meanwhile. Chunk rows are written by this store alone.
 *
 * <p><b>Deleting.</b> A blob's chunk rows and its expired record are deleted in one transaction
 * under the record's key, so a part landing at the same moment either lands before (and the
 * blob, complete and live again, is left alone) or finds its record gone and rolls back.
 *
 * <p>A download reads one chunk row per query, on a connection borrowed for that query only.
 */
public final class DatabaseBlobStore implements BlobStore {

    /** The largest chunk row: what a download holds in memory at once. */
    static final int CHUNK_BYTES = 256 * 1024;
    /**
     * Connections of {@link #open}: a part holds one for its landing only (a short transaction
     * at the database's speed, the client's speed having been absorbed by the spool file), a
     * download for each chunk's query only.
     */
    static final int POOL_SIZE = 4;
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final BlobRecords records;
    private final BlobLife life;
    private final Path spool;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /**
     * Blobs in the database of {@code dataSource} (whose {@code blobs} table {@code records}
     * reads; the caller closes it), parts spooled under a new temporary folder.
     */
    public DatabaseBlobStore(DataSource dataSource, BlobRecords records, BlobLife life) {
        this(dataSource, null, records, life);
    }

    private DatabaseBlobStore(DataSource dataSource, AutoCloseable ownedPool, BlobRecords records, BlobLife life) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.records = records;
        this.life = life;
        try {
            this.spool = Files.createTempDirectory("parley-blob-spool"); // owner-only
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder for blob parts in flight", e);
        }
    }

    /**
     * Blobs in the PostgreSQL database at {@code jdbcUrl}, on a pool of {@value #POOL_SIZE}
     * connections of their own ({@link PostgresPool}: the same durability checks and timeouts as
     * the stores'; closed with the store): parts landing and chunks being read never wait for the
     * connections of the message stores, nor take them.
     */
    public static DatabaseBlobStore open(String jdbcUrl, BlobRecords records, BlobLife life) {
        HikariDataSource pool = PostgresPool.open(jdbcUrl, POOL_SIZE, "parley-blobs");
        return new DatabaseBlobStore(pool, pool, records, life);
    }

    /** The blob is its record until its first part lands: nothing to create. */
    @Override
    public void create(String id) {
    }

    @Override
    public Appended append(String id, long offset, InputStream source, long maxBytes) throws IOException {
        if (!busy.add(id)) {
            return Appended.BUSY;
        }
        Path file = null;
        try {
            StoredBlob blob = records.find(id).orElse(null);
            if (!BlobLife.takesPart(blob, offset, life.now())) {
                return Appended.REFUSED;
            }
            file = Files.createTempFile(spool, "part", null);
            long length;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                length = PartCopy.copy(source, out, maxBytes);
            }
            if (length == 0) {
                return new Appended.Stored(offset, blob.expiresAt());
            }
            return land(blob, offset, file, length);
        } finally {
            busy.remove(id);
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The part's chunk rows and the record's advance, in one transaction. */
    private Appended land(StoredBlob blob, long offset, Path file, long length) throws IOException {
        try (Connection connection = dataSource.getConnection(); FileChannel in = FileChannel.open(file)) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO blob_parts (blob_id, start, bytes) VALUES (?, ?, ?)")) {
                    for (long done = 0; done < length; done += CHUNK_BYTES) {
                        int chunk = (int) Math.min(CHUNK_BYTES, length - done);
                        in.position(done);
                        insert.setString(1, blob.id());
                        insert.setLong(2, offset + done);
                        insert.setBinaryStream(3, Channels.newInputStream(in), chunk);
                        insert.executeUpdate();
                    }
                }
                LockKeys.blob(blob.id()).takeIn(connection); // the record's key: from here on only the commit is waited for
                long received = offset + length;
                long now = life.now();
                long completeExpiresAt = life.completeExpiresAt(now);
                if (!advance(connection, blob.id(), offset, received, now, completeExpiresAt)) {
                    connection.rollback();
                    return Appended.REFUSED;
                }
                connection.commit();
                return new Appended.Stored(received, received == blob.size() ? completeExpiresAt : blob.expiresAt());
            } catch (SQLException | IOException e) {
                connection.rollback();
                if (e instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return Appended.REFUSED; // a part at this offset is landing on another node
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("storing a blob part failed", e);
        }
    }

    /**
     * Moves the pending record from {@code from} to {@code to} bytes (complete, with its life
     * from now on, when {@code to} is its size): {@link BlobRecords#advance}'s compare-and-set.
     * False when the record is no longer pending at {@code from} within its window.
     */
    private static boolean advance(Connection connection, String id, long from, long to, long now, long completeExpiresAt)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SqliteBlobRecords.ADVANCE)) {
            update.setLong(1, to);
            update.setLong(2, to);
            update.setLong(3, to);
            update.setLong(4, completeExpiresAt);
            update.setString(5, id);
            update.setLong(6, from);
            update.setLong(7, to);
            update.setLong(8, now);
            return update.executeUpdate() == 1;
        }
    }

    @Override
    public InputStream open(String id) {
        return new ChunkInput(dataSource, id);
    }

    @Override
    public boolean delete(String id) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                LockKeys.blob(id).takeIn(connection);
                try (PreparedStatement read = connection.prepareStatement("SELECT expires_at FROM blobs WHERE id = ?")) {
                    read.setString(1, id);
                    try (ResultSet row = read.executeQuery()) {
                        if (row.next() && row.getLong(1) > life.now()) {
                            connection.rollback();
                            return false; // live: a part completed it since the sweep found it expired
                        }
                    }
                }
                for (String sql : new String[] {"DELETE FROM blob_parts WHERE blob_id = ?", "DELETE FROM blobs WHERE id = ?"}) {
                    try (PreparedStatement delete = connection.prepareStatement(sql)) {
                        delete.setString(1, id);
                        delete.executeUpdate();
                    }
                }
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("deleting a blob failed", e);
        }
    }

    /** Every blob with bytes has a chunk row at 0 (they tile from 0), found through the partial index {@code blob_parts_first}. */
    @Override
    public List<String> unrecorded(int limit) throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT p.blob_id FROM blob_parts p WHERE p.start = 0 "
                     + "AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.id = p.blob_id) LIMIT ?")) {
            query.setInt(1, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IOException("listing blob parts failed", e);
        }
    }

    /** The database server's free space is not known here: PostgreSQL refuses what its disk cannot hold. */
    @Override
    public OptionalLong usableBytes() {
        return OptionalLong.empty();
    }

    /** Closes the pool of {@link #open} and deletes the spool folder (parts in flight fail, and their clients send them again). */
    @Override
    public void close() {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the blob connections failed", e);
            }
        }
        try (var files = Files.list(spool)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            // Parts still being copied; their files go with the temporary folder.
        }
    }
}
