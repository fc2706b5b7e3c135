package dev.parley.client.store;

import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of the client store. {@code PRAGMA user_version} holds the version; each
 * entry of {@link #MIGRATIONS} moves the store one version up, in one transaction. A store
 * written by a newer client is refused rather than misread.
 */
final class Schema {

    /** One step up: SQL statements, or code where SQL alone cannot do it. */
    @FunctionalInterface
    private interface Migration {
        void apply(Connection db) throws SQLException;

        static Migration sql(String... statements) {
            return db -> {
                try (Statement s = db.createStatement()) {
                    for (String sql : statements) {
                        s.execute(sql);
                    }
                }
            };
        }
    }

    /** MIGRATIONS.get(i) moves the schema from version i to i + 1. */
    private static final List<Migration> MIGRATIONS = List.of(Migration.sql(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
            "CREATE TABLE signed_prekeys (id INTEGER PRIMARY KEY, private_key BLOB NOT NULL, signature BLOB NOT NULL,"
                    + " created_at INTEGER NOT NULL)",
            "CREATE TABLE one_time_prekeys (id INTEGER PRIMARY KEY, private_key BLOB NOT NULL)",
            "CREATE TABLE kem_prekeys (id INTEGER NOT NULL, kind INTEGER NOT NULL, seed BLOB NOT NULL,"
                    + " signature BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (id, kind))",
            "CREATE TABLE contacts (username TEXT PRIMARY KEY, identity BLOB NOT NULL, trust TEXT NOT NULL)",
            "CREATE TABLE sessions (username TEXT PRIMARY KEY, record BLOB NOT NULL)",
            "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, recipient TEXT NOT NULL,"
                    + " envelope TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (recipient, id))",
            "CREATE TABLE messages (peer TEXT NOT NULL, id TEXT NOT NULL, outgoing INTEGER NOT NULL, text TEXT NOT NULL,"
                    + " sent_at INTEGER NOT NULL, server_time INTEGER, status TEXT NOT NULL, PRIMARY KEY (peer, id, outgoing))",
            "CREATE TABLE received (sender TEXT NOT NULL, id TEXT NOT NULL, received_at INTEGER NOT NULL,"
                    + " PRIMARY KEY (sender, id))"),
            // Texts sent while disconnected to a contact without a session: encrypted on the next connect.
            Migration.sql("CREATE TABLE deferred (seq INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL,"
                    + " id TEXT NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL, UNIQUE (recipient, id))"),
            // The recipient identity each outgoing envelope and text was encrypted for (NULL: before
            // this version), and the id of the copy an undelivered text was resent as (UndeliveredStore).
            Migration.sql("ALTER TABLE messages ADD COLUMN encrypted_for BLOB",
                    "ALTER TABLE messages ADD COLUMN resent_as TEXT",
                    "ALTER TABLE outbox ADD COLUMN encrypted_for BLOB"),
            Schema::clientModel,
            Schema::devices,
            Migration.sql(GroupTables.STATEMENTS),
            // Version 7: recipient sets (GroupRecipientSetStore): per group, the server's set id of each frame's
            // recipients with that list's fingerprint, and the fingerprint of the whole list they belong to.
            Migration.sql("CREATE TABLE group_recipient_sets (group_id TEXT NOT NULL, fingerprint TEXT NOT NULL,"
                    + " recipient_set TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (group_id, fingerprint))",
                    "CREATE TABLE group_recipient_lists (group_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"),
            Migration.sql(ContentTables.STATEMENTS));

    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /**
     * Version 4, the client model (docs/CLIENT-MODEL.md): an outbox entry holds its payload until
     * it is first sent and its envelope from then on ({@code payload} and {@code envelope}, one of
     * them set), so the texts of the {@code deferred} table move into the outbox, after the
     * entries already there; the states PENDING and SENT are now SENDING and STORED.
     */
    private static void clientModel(Connection db) throws SQLException {
        Migration.sql("CREATE TABLE outbox_v4 (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,"
                        + " recipient TEXT NOT NULL, payload BLOB, envelope TEXT, created_at INTEGER NOT NULL,"
                        + " encrypted_for BLOB, UNIQUE (recipient, id), CHECK ((payload IS NULL) <> (envelope IS NULL)))",
                "INSERT INTO outbox_v4(id, recipient, envelope, created_at, encrypted_for)"
                        + " SELECT id, recipient, envelope, created_at, encrypted_for FROM outbox ORDER BY seq").apply(db);
        try (Statement s = db.createStatement();
                ResultSet deferred = s.executeQuery("SELECT recipient, id, text, sent_at FROM deferred ORDER BY seq");
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO outbox_v4(id, recipient, payload, created_at) VALUES (?,?,?,?)")) {
            while (deferred.next()) {
                insert.setString(1, deferred.getString(2));
                insert.setString(2, deferred.getString(1));
                insert.setBytes(3, PayloadCodec.encode(new Payload.Text(deferred.getString(2), deferred.getLong(4),
                        deferred.getString(3))));
                insert.setLong(4, deferred.getLong(4));
                insert.executeUpdate();
            }
        }
        Migration.sql("DROP TABLE deferred", "DROP TABLE outbox", "ALTER TABLE outbox_v4 RENAME TO outbox",
                "UPDATE messages SET status = 'SENDING' WHERE outgoing = 1 AND status = 'PENDING'",
                "UPDATE messages SET status = 'STORED' WHERE outgoing = 1 AND status = 'SENT'").apply(db);
    }

    /**
     * Version 5, linked devices (docs/CLIENT-MODEL.md, "Devices"): sessions per (peer, device),
     * the signed device lists accepted per account (this account's own included), the names of
     * this account's devices, and outbox entries sent as one fan-out: the shared content and its
     * key once, one envelope per recipient device ({@code outbox_envelopes}). A store from before
     * devices existed holds no device key: its sessions and envelopes were for each peer's only
     * device, which is device 1, and this device becomes device 1 of its account when it first
     * connects ({@code AccountLink}).
     */
    private static void devices(Connection db) throws SQLException {
        Migration.sql(
                "CREATE TABLE device_sessions (username TEXT NOT NULL, device INTEGER NOT NULL, record BLOB NOT NULL,"
                        + " PRIMARY KEY (username, device))",
                "INSERT INTO device_sessions(username, device, record) SELECT username, 1, record FROM sessions",
                "DROP TABLE sessions",
                "CREATE TABLE device_lists (username TEXT PRIMARY KEY, version INTEGER NOT NULL,"
                        + " issued_at INTEGER NOT NULL, signature BLOB NOT NULL, largest_id INTEGER NOT NULL)",
                "CREATE TABLE listed_devices (username TEXT NOT NULL, device INTEGER NOT NULL, key BLOB NOT NULL,"
                        + " linked_at INTEGER NOT NULL, PRIMARY KEY (username, device),"
                        + " FOREIGN KEY (username) REFERENCES device_lists(username) ON DELETE CASCADE)",
                "CREATE TABLE device_names (device INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                // Trust brought at linking for identities not seen here yet (ClientStore.linkedTrust).
                "CREATE TABLE linked_trust (username TEXT PRIMARY KEY, identity BLOB NOT NULL, trust TEXT NOT NULL)",
                "CREATE TABLE outbox_v5 (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,"
                        + " recipient TEXT NOT NULL, payload BLOB, content TEXT, content_key BLOB,"
                        + " created_at INTEGER NOT NULL, encrypted_for BLOB, UNIQUE (recipient, id))",
                "CREATE TABLE outbox_envelopes (recipient TEXT NOT NULL, id TEXT NOT NULL, device INTEGER NOT NULL,"
                        + " envelope TEXT NOT NULL, PRIMARY KEY (recipient, id, device),"
                        + " FOREIGN KEY (recipient, id) REFERENCES outbox_v5(recipient, id) ON DELETE CASCADE)",
                "INSERT INTO outbox_v5(seq, id, recipient, payload, created_at, encrypted_for)"
                        + " SELECT seq, id, recipient, payload, created_at, encrypted_for FROM outbox",
                "INSERT INTO outbox_envelopes(recipient, id, device, envelope)"
                        + " SELECT recipient, id, 1, envelope FROM outbox WHERE envelope IS NOT NULL",
                "DROP TABLE outbox",
                "ALTER TABLE outbox_v5 RENAME TO outbox",
                // Incoming: the sending device. Outgoing: the own device that sent it (NULL: this one);
                // a transcript from another device is shown once (shown = 0 until then).
                "ALTER TABLE messages ADD COLUMN device INTEGER",
                "ALTER TABLE messages ADD COLUMN shown INTEGER NOT NULL DEFAULT 1").apply(db);
    }

    static void migrate(Connection db) throws SQLException {
        migrate(db, VERSION);
    }

    /** Migrates up to {@code target} (tests build a store of an older version with it). */
    static void migrate(Connection db, int target) throws SQLException {
        int version;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > VERSION) {
            throw new SQLException("the store was written by a newer Parley client (schema " + version
                    + ", this client knows up to " + VERSION + ")");
        }
        for (int v = version; v < target; v++) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                MIGRATIONS.get(v).apply(db);
                s.execute("PRAGMA user_version = " + (v + 1));
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }
}
