package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.BlobRecords;
import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.StoredBlob;
import dev.parley.server.storage.WriteQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/** {@link BlobRecords} on SQLite: reads on the pool, every write through the group-committing {@link WriteQueue}. */
public final class SqliteBlobRecords extends SqliteStore implements BlobRecords {

    private static final String COLUMNS = "id, owner, size, received, token_hash, state, created_at, expires_at";

    private final WriterStatements statements = new WriterStatements();

    public SqliteBlobRecords(DataSource dataSource, WriteQueue writes) {
        super(dataSource, writes);
    }

    @Override
    public CompletableFuture<Creation> create(StoredBlob pending, long quotaBytes) {
        return writes.submit(LockKeys.blobOwner(pending.owner()), connection -> {
            PreparedStatement used = statements.prepare(connection, "SELECT COALESCE(SUM(size), 0) FROM blobs WHERE owner = ?");
            used.setString(1, pending.owner());
            long declared;
            try (ResultSet row = used.executeQuery()) {
                row.next();
                declared = row.getLong(1);
            }
            if (declared + pending.size() > quotaBytes) {
                return new Creation.QuotaExceeded(declared);
            }
            PreparedStatement insert = statements.prepare(connection, "INSERT INTO blobs (" + COLUMNS
                    + ") VALUES (?, ?, ?, 0, ?, 'pending', ?, ?)");
            insert.setString(1, pending.id());
            insert.setString(2, pending.owner());
            insert.setLong(3, pending.size());
            insert.setBytes(4, pending.tokenHash());
            insert.setLong(5, pending.createdAt());
            insert.setLong(6, pending.expiresAt());
            insert.executeUpdate();
            return new Creation.Created();
        });
    }

    @Override
    public Optional<StoredBlob> find(String id) {
        return Jdbc.queryOne(dataSource, "SELECT " + COLUMNS + " FROM blobs WHERE id = ?", Jdbc.params(id),
                row -> new StoredBlob(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4), row.getBytes(5),
                        "complete".equals(row.getString(6)), row.getLong(7), row.getLong(8)));
    }

    @Override
    public CompletableFuture<Boolean> advance(String id, long from, long to, long now, long completeExpiresAt) {
        return writes.submit(LockKeys.blob(id), connection -> {
            PreparedStatement update = statements.prepare(connection,
                    "UPDATE blobs SET received = ?, state = CASE WHEN ? = size THEN 'complete' ELSE 'pending' END, "
                            + "expires_at = CASE WHEN ? = size THEN ? ELSE expires_at END "
                            + "WHERE id = ? AND state = 'pending' AND received = ? AND ? <= size AND expires_at > ?");
            update.setLong(1, to);
            update.setLong(2, to);
            update.setLong(3, to);
            update.setLong(4, completeExpiresAt);
            update.setString(5, id);
            update.setLong(6, from);
            update.setLong(7, to);
            update.setLong(8, now);
            return update.executeUpdate() == 1;
        });
    }

    @Override
    public List<String> expired(long now, int limit) {
        return Jdbc.query(dataSource, "SELECT id FROM blobs WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
                Jdbc.params(now, limit), row -> row.getString(1));
    }

    @Override
    public CompletableFuture<Integer> delete(List<String> ids, long now) {
        LockKeys keys = LockKeys.NONE;
        for (String id : ids) {
            keys = keys.and(LockKeys.blob(id));
        }
        return writes.submit(keys, connection -> {
            PreparedStatement delete = statements.prepare(connection, "DELETE FROM blobs WHERE id = ? AND expires_at <= ?");
            int deleted = 0;
            for (String id : ids) {
                delete.setString(1, id);
                delete.setLong(2, now);
                deleted += delete.executeUpdate();
            }
            return deleted;
        });
    }
}
