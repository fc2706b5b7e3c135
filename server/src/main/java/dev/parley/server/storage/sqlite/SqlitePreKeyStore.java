package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.Identity;
import dev.parley.server.storage.PreKeys;
import dev.parley.server.storage.PreKeyStore;
import dev.parley.server.storage.WriteQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * {@link PreKeyStore} on SQLite. Bundles are assembled inside the single writer's transaction,
 * so the select-then-delete of a one-time key cannot interleave with another take.
 */
public final class SqlitePreKeyStore implements PreKeyStore {

    private final DataSource dataSource;
    private final WriteQueue writes;

    public SqlitePreKeyStore(DataSource dataSource, WriteQueue writes) {
        this.dataSource = dataSource;
        this.writes = writes;
    }

    @Override
    public CompletableFuture<Void> store(String username, PreKeys.Upload upload) {
        return writes.submit(connection -> {
            if (upload.signedPreKey() != null) {
                upsertSigned(connection, "signed_prekeys", username, upload.signedPreKey());
            }
            if (upload.kemLastResort() != null) {
                upsertSigned(connection, "kem_last_resort_prekeys", username, upload.kemLastResort());
            }
            if (upload.capabilities() != null) {
                Jdbc.update(connection, "UPDATE accounts SET capabilities_flags = ?, capabilities_sig = ? WHERE username = ?", s -> {
                    s.setInt(1, upload.capabilities().flags());
                    s.setBytes(2, upload.capabilities().signature());
                    s.setString(3, username);
                });
            }
            for (PreKeys.OneTime key : upload.oneTimePreKeys()) {
                Jdbc.update(connection, "INSERT INTO one_time_prekeys (username, key_id, public_key) VALUES (?, ?, ?) "
                        + "ON CONFLICT (username, key_id) DO UPDATE SET public_key = excluded.public_key", s -> {
                            s.setString(1, username);
                            s.setLong(2, key.id());
                            s.setBytes(3, key.publicKey());
                        });
            }
            for (PreKeys.Signed key : upload.kemOneTimePreKeys()) {
                Jdbc.update(connection, "INSERT INTO kem_one_time_prekeys (username, key_id, public_key, signature) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (username, key_id) DO UPDATE SET public_key = excluded.public_key, signature = excluded.signature", s -> {
                            s.setString(1, username);
                            s.setLong(2, key.id());
                            s.setBytes(3, key.publicKey());
                            s.setBytes(4, key.signature());
                        });
            }
            return null;
        });
    }

    private static void upsertSigned(Connection connection, String table, String username, PreKeys.Signed key) throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + table + " (username, key_id, public_key, signature) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (username) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key, "
                + "signature = excluded.signature", s -> {
                    s.setString(1, username);
                    s.setLong(2, key.id());
                    s.setBytes(3, key.publicKey());
                    s.setBytes(4, key.signature());
                });
    }

    @Override
    public CompletableFuture<Optional<PreKeys.Bundle>> takeBundle(String username, boolean withOneTime) {
        return writes.submit(connection -> {
            var base = selectBase(connection, username);
            if (base.isEmpty() || !withOneTime) {
                return base;
            }
            PreKeys.OneTime oneTime = takeOneTime(connection, username);
            PreKeys.Signed kemOneTime = takeKemOneTime(connection, username);
            var b = base.get();
            return Optional.of(kemOneTime != null
                    ? new PreKeys.Bundle(b.identity(), b.capabilities(), b.signedPreKey(), oneTime, kemOneTime, true)
                    : new PreKeys.Bundle(b.identity(), b.capabilities(), b.signedPreKey(), oneTime, b.kemPreKey(), false));
        });
    }

    private static Optional<PreKeys.Bundle> selectBase(Connection connection, String username) throws SQLException {
        String sql = "SELECT a.signing_key, a.dh_key, a.identity_binding, a.capabilities_flags, a.capabilities_sig, "
                + "s.key_id, s.public_key, s.signature, k.key_id, k.public_key, k.signature "
                + "FROM accounts a JOIN signed_prekeys s ON s.username = a.username "
                + "JOIN kem_last_resort_prekeys k ON k.username = a.username WHERE a.username = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, username);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                byte[] capabilitiesSignature = row.getBytes(5);
                var capabilities = capabilitiesSignature == null ? null
                        : new PreKeys.Capabilities(row.getInt(4), capabilitiesSignature);
                return Optional.of(new PreKeys.Bundle(
                        new Identity(row.getBytes(1), row.getBytes(2), row.getBytes(3)), capabilities,
                        new PreKeys.Signed(row.getLong(6), row.getBytes(7), row.getBytes(8)), null,
                        new PreKeys.Signed(row.getLong(9), row.getBytes(10), row.getBytes(11)), false));
            }
        }
    }

    private static PreKeys.OneTime takeOneTime(Connection connection, String username) throws SQLException {
        PreKeys.OneTime key = null;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT key_id, public_key FROM one_time_prekeys WHERE username = ? ORDER BY key_id LIMIT 1")) {
            statement.setString(1, username);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    key = new PreKeys.OneTime(row.getLong(1), row.getBytes(2));
                }
            }
        }
        if (key != null) {
            long id = key.id();
            Jdbc.update(connection, "DELETE FROM one_time_prekeys WHERE username = ? AND key_id = ?", s -> {
                s.setString(1, username);
                s.setLong(2, id);
            });
        }
        return key;
    }

    private static PreKeys.Signed takeKemOneTime(Connection connection, String username) throws SQLException {
        PreKeys.Signed key = null;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT key_id, public_key, signature FROM kem_one_time_prekeys WHERE username = ? ORDER BY key_id LIMIT 1")) {
            statement.setString(1, username);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    key = new PreKeys.Signed(row.getLong(1), row.getBytes(2), row.getBytes(3));
                }
            }
        }
        if (key != null) {
            long id = key.id();
            Jdbc.update(connection, "DELETE FROM kem_one_time_prekeys WHERE username = ? AND key_id = ?", s -> {
                s.setString(1, username);
                s.setLong(2, id);
            });
        }
        return key;
    }

    @Override
    public PreKeys.Counts counts(String username) {
        return Jdbc.queryOne(dataSource,
                "SELECT (SELECT COUNT(*) FROM one_time_prekeys WHERE username = ?), "
                        + "(SELECT COUNT(*) FROM kem_one_time_prekeys WHERE username = ?)",
                s -> {
                    s.setString(1, username);
                    s.setString(2, username);
                },
                row -> new PreKeys.Counts(row.getInt(1), row.getInt(2))).orElse(new PreKeys.Counts(0, 0));
    }
}
