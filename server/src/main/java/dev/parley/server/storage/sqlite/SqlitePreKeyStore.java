package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.PreKeyStore;
import dev.parley.server.storage.WriteQueue;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.PreKeyFrames.BundleKemKey;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import dev.parley.wire.frames.PreKeyFrames.OneTimeKey;
import dev.parley.wire.frames.PreKeyFrames.SignedCapabilities;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import dev.parley.wire.signed.KemKeyKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * {@link PreKeyStore} on SQLite. Bundles are assembled inside the single writer's transaction,
 * so the select-then-delete of a one-time key cannot interleave with another take.
 */
public final class SqlitePreKeyStore extends SqliteStore implements PreKeyStore {

    private static final String UPSERT_ONE_TIME = "INSERT INTO one_time_prekeys (username, device_id, key_id, public_key) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (username, device_id, key_id) DO UPDATE SET public_key = excluded.public_key";
    private static final String UPSERT_KEM_ONE_TIME = "INSERT INTO kem_one_time_prekeys (username, device_id, key_id, public_key, "
            + "signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username, device_id, key_id) DO UPDATE SET "
            + "public_key = excluded.public_key, signature = excluded.signature";
    private static final String BASE = "SELECT a.signing_key, a.dh_key, a.identity_binding, d.capabilities_flags, "
            + "d.capabilities_sig, s.key_id, s.public_key, s.signature, k.key_id, k.public_key, k.signature "
            + "FROM accounts a JOIN signed_prekeys s ON s.username = a.username AND s.device_id = ? "
            + "JOIN kem_last_resort_prekeys k ON k.username = a.username AND k.device_id = s.device_id "
            + "LEFT JOIN devices d ON d.username = a.username AND d.device_id = s.device_id WHERE a.username = ?";


    public SqlitePreKeyStore(DataSource dataSource, WriteQueue writes) {
        super(dataSource, writes);
    }

    @Override
    public CompletableFuture<Void> store(String username, int device, UploadPreKeys upload) {
        return writes.submit(LockKeys.account(username), connection -> {
            if (upload.signedPreKey() != null) {
                upsertSigned(connection, "signed_prekeys", username, device, upload.signedPreKey());
            }
            if (upload.kemLastResort() != null) {
                upsertSigned(connection, "kem_last_resort_prekeys", username, device, upload.kemLastResort());
            }
            if (upload.capabilities() != null) {
                Jdbc.update(connection, "UPDATE devices SET capabilities_flags = ?, capabilities_sig = ? "
                        + "WHERE username = ? AND device_id = ?", Jdbc.params(upload.capabilities().flags(),
                        upload.capabilities().signature(), username, device));
            }
            for (OneTimeKey key : upload.oneTimePreKeys()) {
                Jdbc.update(connection, UPSERT_ONE_TIME, Jdbc.params(username, device, key.id(), key.key()));
            }
            for (SignedKey key : upload.kemOneTimePreKeys()) {
                Jdbc.update(connection, UPSERT_KEM_ONE_TIME, Jdbc.params(username, device, key.id(), key.key(), key.signature()));
            }
            return null;
        });
    }

    private static void upsertSigned(Connection connection, String table, String username, int device, SignedKey key)
            throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + table + " (username, device_id, key_id, public_key, signature) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (username, device_id) DO UPDATE SET key_id = excluded.key_id, "
                + "public_key = excluded.public_key, signature = excluded.signature",
                Jdbc.params(username, device, key.id(), key.key(), key.signature()));
    }

    @Override
    public CompletableFuture<Optional<BundleKeys>> takeBundle(String username, int device, boolean withOneTime) {
        return writes.submit(LockKeys.account(username), connection -> {
            Optional<BundleKeys> base = Jdbc.queryOne(connection, BASE, Jdbc.params(device, username), SqlitePreKeyStore::base);
            if (base.isEmpty() || !withOneTime) {
                return base;
            }
            OneTimeKey oneTime = takeOldest(connection, "one_time_prekeys", "key_id, public_key", username, device,
                    row -> new OneTimeKey(row.getLong(1), row.getBytes(2)));
            BundleKemKey kemOneTime = takeOldest(connection, "kem_one_time_prekeys", "key_id, public_key, signature", username,
                    device,
                    row -> new BundleKemKey(row.getLong(1), row.getBytes(2), row.getBytes(3), KemKeyKind.ONE_TIME));
            BundleKeys b = base.get();
            return Optional.of(new BundleKeys(b.identity(), b.capabilities(), b.signedPreKey(), oneTime,
                    kemOneTime != null ? kemOneTime : b.kemPreKey()));
        });
    }

    /** The identity, capabilities, signed prekey and last-resort KEM key: a bundle without one-time keys. */
    private static BundleKeys base(java.sql.ResultSet row) throws SQLException {
        byte[] capabilitiesSignature = row.getBytes(5);
        return new BundleKeys(new IdentityKeys(row.getBytes(1), row.getBytes(2), row.getBytes(3)),
                capabilitiesSignature == null ? null : new SignedCapabilities(row.getInt(4), capabilitiesSignature),
                new SignedKey(row.getLong(6), row.getBytes(7), row.getBytes(8)), null,
                new BundleKemKey(row.getLong(9), row.getBytes(10), row.getBytes(11), KemKeyKind.LAST_RESORT));
    }

    /** Deletes and returns the one-time key of lowest id in {@code table}; null when the stock is empty. */
    private static <T> T takeOldest(Connection connection, String table, String columns, String username, int device,
                                    Jdbc.RowMapper<T> key) throws SQLException {
        return Jdbc.queryOne(connection, "DELETE FROM " + table + " WHERE username = ? AND device_id = ? AND key_id = "
                + "(SELECT MIN(key_id) FROM " + table + " WHERE username = ? AND device_id = ?) RETURNING " + columns,
                Jdbc.params(username, device, username, device), key).orElse(null);
    }

    @Override
    public Counts counts(String username, int device) {
        return Jdbc.queryOne(dataSource,
                "SELECT (SELECT COUNT(*) FROM one_time_prekeys WHERE username = ? AND device_id = ?), "
                        + "(SELECT COUNT(*) FROM kem_one_time_prekeys WHERE username = ? AND device_id = ?)",
                Jdbc.params(username, device, username, device),
                row -> new Counts(row.getInt(1), row.getInt(2))).orElse(new Counts(0, 0));
    }
}
