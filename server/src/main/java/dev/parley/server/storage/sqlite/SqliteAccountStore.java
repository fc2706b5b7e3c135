package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.UsernameConfusableException;
import dev.parley.server.storage.UsernameTakenException;
import dev.parley.server.storage.WriteQueue;
import dev.parley.wire.UsernameSkeleton;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/** {@link AccountStore} on SQLite; reads from the pool, writes through the {@link WriteQueue}. */
public final class SqliteAccountStore extends SqliteStore implements AccountStore {

    private static final String COLUMNS = "username, signing_key, dh_key, identity_binding, recovery_hash, created_at, identity_since";

    /** Taken down when a reset drops the old identity's queue. */
    private final QueueCounts queueCounts;

    public SqliteAccountStore(DataSource dataSource, WriteQueue writes, QueueCounts queueCounts) {
        super(dataSource, writes);
        this.queueCounts = queueCounts;
    }

    @Override
    public Optional<Account> find(String username) {
        return Jdbc.queryOne(dataSource, "SELECT " + COLUMNS + " FROM accounts WHERE username = ?",
                Jdbc.params(username), SqliteAccountStore::account);
    }

    @Override
    public List<Account> all() {
        return Jdbc.query(dataSource, "SELECT " + COLUMNS + " FROM accounts ORDER BY username", s -> { },
                SqliteAccountStore::account);
    }

    @Override
    public List<String> usernames() {
        return Jdbc.query(dataSource, "SELECT username FROM accounts", s -> { }, row -> row.getString(1));
    }

    @Override
    public CompletableFuture<Void> create(Account account, DeviceList deviceList) {
        String skeleton = UsernameSkeleton.of(account.username());
        return writes.submit(LockKeys.account(account.username()).and(LockKeys.skeleton(skeleton)), connection -> {
            // In the writer's transaction: two look-alike registrations at once cannot both pass.
            boolean confusable = !Jdbc.queryOne(connection, "SELECT 1 FROM accounts WHERE skeleton = ? AND username <> ?",
                    Jdbc.params(skeleton, account.username()), row -> true).isEmpty();
            if (confusable) {
                throw new UsernameConfusableException(account.username());
            }
            int inserted = Jdbc.update(connection,
                    "INSERT INTO accounts (" + COLUMNS + ", skeleton) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (username) DO NOTHING",
                    Jdbc.params(account.username(), account.identity().signingKey(), account.identity().dhKey(),
                            account.identity().binding(), account.recoveryHash(), account.createdAt(), account.identitySince(),
                            skeleton));
            if (inserted == 0) {
                throw new UsernameTakenException(account.username());
            }
            DeviceListTable.write(connection, queueCounts.lists(), account.username(), deviceList);
            for (DeviceEntry entry : deviceList.devices()) {
                DeviceListTable.insertRow(connection, account.username(), entry);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> replaceIdentity(String username, IdentityKeys identity, byte[] recoveryHash,
                                                      DeviceList deviceList, long now) {
        return writes.submit(LockKeys.account(username), connection -> {
            int updated = Jdbc.update(connection,
                    "UPDATE accounts SET signing_key = ?, dh_key = ?, identity_binding = ?, recovery_hash = ?, "
                            + "identity_since = ?, capabilities_flags = NULL, capabilities_sig = NULL WHERE username = ?",
                    Jdbc.params(identity.signingKey(), identity.dhKey(), identity.binding(), recoveryHash, now, username));
            if (updated == 0) {
                return false;
            }
            for (String table : DeviceListTable.PREKEY_TABLES) {
                Jdbc.update(connection, "DELETE FROM " + table + " WHERE username = ?", s -> s.setString(1, username));
            }
            // The old identity's queues can never be decrypted by the new one: drop them.
            queueCounts.ensureLoaded(connection);
            queueCounts.deleteCounted(connection, "DELETE FROM messages WHERE recipient = ? AND " + QueueCounts.PENDING,
                    s -> s.setString(1, username));
            // Every device of the old identity is unlinked; the list starts again at version 1.
            Jdbc.update(connection, "DELETE FROM devices WHERE username = ?", Jdbc.params(username));
            Jdbc.update(connection, "DELETE FROM link_channels WHERE username = ?", Jdbc.params(username));
            DeviceListTable.delete(connection, queueCounts.lists(), username);
            DeviceListTable.write(connection, queueCounts.lists(), username, deviceList);
            for (DeviceEntry entry : deviceList.devices()) {
                DeviceListTable.insertRow(connection, username, entry);
            }
            return true;
        });
    }

    private static Account account(ResultSet row) throws SQLException {
        return new Account(row.getString(1),
                new IdentityKeys(row.getBytes(2), row.getBytes(3), row.getBytes(4)),
                row.getBytes(5), row.getLong(6), row.getLong(7));
    }
}
