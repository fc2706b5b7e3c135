package dev.parley.client.store;

import java.sql.Connection;
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

    /** MIGRATIONS.get(i) moves the schema from version i to i + 1. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
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
            List.of("CREATE TABLE deferred (seq INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL, id TEXT NOT NULL,"
                    + " text TEXT NOT NULL, sent_at INTEGER NOT NULL, UNIQUE (recipient, id))"),
            // The recipient identity each outgoing envelope and text was encrypted for (NULL: before
            // this version), and the id of the copy an undelivered text was resent as (UndeliveredStore).
            List.of("ALTER TABLE messages ADD COLUMN encrypted_for BLOB",
                    "ALTER TABLE messages ADD COLUMN resent_as TEXT",
                    "ALTER TABLE outbox ADD COLUMN encrypted_for BLOB"));

    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    static void migrate(Connection db) throws SQLException {
        int version;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > VERSION) {
            throw new SQLException("the store was written by a newer Parley client (schema " + version
                    + ", this client knows up to " + VERSION + ")");
        }
        for (int v = version; v < VERSION; v++) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
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
