package dev.parley.client.store;

import dev.parley.client.Contact;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's local state in one SQLite file, {@code parley.db} in the home folder (mode 0600,
 * the folder 0700): the account and its private keys, prekeys, contacts with their trust,
 * ratchet sessions, the outbox, message history and the ids of received messages.
 *
 * <p>Every method runs in its own transaction unless called inside {@link #transaction}, which
 * commits a group of changes atomically (a session state together with the envelope encrypted
 * from it; a received message together with the session that decrypted it). One connection,
 * guarded by this object's monitor: callers on several threads are serialised.
 *
 * <p>Private keys are stored unencrypted, protected by the file permissions and the home lock,
 * as a chat client's key store on a single-user machine usually is.
 */
public final class ClientStore implements AutoCloseable {

    public static final String FILE_NAME = "parley.db";

    /** A unit of work inside one transaction. */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        void run() throws E;
    }

    /** The registered account: name, server origin and identity. Prints no private key. */
    public record Account(String username, String server, IdentityKeyPair identity) {
        @Override
        public String toString() {
            return "Account[username=" + username + ", server=" + server + "]";
        }
    }

    private final Connection db;
    private final Path file;
    /** This device's private prekeys and the id counters. */
    public final LocalKeyStore keys = new LocalKeyStore(this);
    /** What waits to be sent (docs/CLIENT-MODEL.md, "The outbox"). */
    public final OutboxStore outbox = new OutboxStore(this);
    /** The message history and the ids of received messages. */
    public final HistoryStore history = new HistoryStore(this);
    /** Texts left undelivered by contacts' account resets, and their resending. */
    public final UndeliveredStore undelivered = new UndeliveredStore(this);
    /** This device, the signed device lists, own devices' names and the sessions per (peer, device). */
    public final DeviceStore devices = new DeviceStore(this);
    /** Groups: states, held changes, snapshot parts, sender key chains. */
    public final GroupStore groups = new GroupStore(this);
    /** The group history and receipts. */
    public final GroupHistoryStore groupHistory = new GroupHistoryStore(this);
    /** Group messages and updates waiting to be sent. */
    public final GroupOutboxStore groupOutbox = new GroupOutboxStore(this);
    /** The recipient sets the server gave this device, per group. */
    public final GroupRecipientSetStore groupRecipientSets = new GroupRecipientSetStore(this);
    /** Message content and controls: quotes, attachments, edits, deletes, reactions, timers, expiry, search. */
    public final ContentStore content = new ContentStore(this);

    private ClientStore(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    /** Opens (creating if needed) the store in {@code home}; the caller holds the {@link HomeLock}. */
    public static ClientStore open(Path home) {
        Path file = home.resolve(FILE_NAME);
        try {
            HomeLock.createPrivateDirectories(home);
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=DELETE");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA secure_delete=ON"); // erased messages (expiry, deletes) are overwritten, not only unlinked
            }
            var store = new ClientStore(db, file);
            Schema.migrate(db);
            return store;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot open the local store " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction: all of its changes are committed together, or none. */
    public synchronized <E extends Exception> void transaction(Work<E> work) throws E {
        if (!jdbc("begin a transaction", db::getAutoCommit)) {
            work.run(); // nested: part of the enclosing transaction
            return;
        }
        jdbcRun("begin a transaction", () -> db.setAutoCommit(false));
        boolean committed = false;
        try {
            work.run();
            jdbcRun("commit", db::commit);
            committed = true;
        } finally {
            if (!committed) {
                jdbcRun("roll back", db::rollback);
            }
            jdbcRun("end a transaction", () -> db.setAutoCommit(true));
        }
    }

    // ---- account -------------------------------------------------------------------------

    public synchronized Optional<Account> account() {
        Optional<String> username = metaText("username");
        if (username.isEmpty()) {
            return Optional.empty();
        }
        byte[] signing = meta("identity_signing").orElseThrow(() -> corrupt("identity signing key"));
        byte[] dh = meta("identity_dh").orElseThrow(() -> corrupt("identity DH key"));
        return Optional.of(new Account(username.get(), metaText("server").orElse(null),
                IdentityKeyPair.fromPrivateKeys(signing, dh)));
    }

    /** Stores the account (a new registration or a reset): identity, name and server. */
    public synchronized void saveAccount(String username, String server, IdentityKeyPair identity) {
        transaction(() -> {
            putMeta("username", username.getBytes(StandardCharsets.UTF_8));
            putMeta("server", server.getBytes(StandardCharsets.UTF_8));
            putMeta("identity_signing", identity.signingPrivateKey());
            putMeta("identity_dh", identity.dh().privateKey());
        });
    }

    /** Marks the account as confirmed by the server (registered, or reset). */
    public synchronized void setRegistered(boolean registered) {
        putMeta("registered", new byte[] {(byte) (registered ? 1 : 0)});
    }

    public synchronized boolean registered() {
        return meta("registered").map(v -> v.length == 1 && v[0] == 1).orElse(false);
    }

    /** A yes/no setting of this device (false when never set). */
    public synchronized boolean metaFlag(String key) {
        return meta(key).map(v -> v.length == 1 && v[0] == 1).orElse(false);
    }

    public synchronized void putMetaFlag(String key, boolean value) {
        putMeta(key, new byte[] {(byte) (value ? 1 : 0)});
    }

    public synchronized void setServer(String server) {
        putMeta("server", server.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Forgets everything bound to the previous identity (a reset): prekeys, sessions, the outbox
     * (envelopes for sessions that can no longer continue), this device's key and id, the
     * account's own device list and device names, the group outbox and this identity's group
     * chains (sending and receiving), and the account itself. Contacts, their trust, their device
     * lists, message history and the group states and history stay.
     */
    public synchronized void forgetIdentity() {
        transaction(() -> {
            for (String table : List.of("signed_prekeys", "one_time_prekeys", "kem_prekeys", "device_sessions", "outbox",
                    "device_names", "group_outbox", "group_sender_chains", "group_distributed", "group_receivers")) {
                update("DELETE FROM " + table);
            }
            metaText("username").ifPresent(devices::forgetList);
            update("DELETE FROM meta WHERE key IN ('username','identity_signing','identity_dh','registered','device_id',"
                    + "'device_key')");
        });
    }

    // ---- contacts --------------------------------------------------------------------------

    public synchronized Optional<Contact> contact(String username) {
        return query("SELECT identity, trust FROM contacts WHERE username = ?", List.of(username),
                rs -> new Contact(username, identity(rs.getBytes(1)), Contact.Trust.valueOf(rs.getString(2))))
                .stream().findFirst();
    }

    public synchronized List<Contact> contacts() {
        return query("SELECT username, identity, trust FROM contacts ORDER BY username", List.of(),
                rs -> new Contact(rs.getString(1), identity(rs.getBytes(2)), Contact.Trust.valueOf(rs.getString(3))));
    }

    public synchronized void saveContact(Contact contact) {
        update("INSERT OR REPLACE INTO contacts(username, identity, trust) VALUES (?,?,?)",
                contact.username(), identityBytes(contact.identity()), contact.trust().name());
    }

    /**
     * The trust another device of this account gave {@code username}'s identity {@code IKs || IKd}
     * (64 bytes), brought at linking without the binding signature: applied by
     * {@link #linkedTrust} when that identity is first seen here, and then dropped.
     */
    public synchronized void saveLinkedTrust(String username, byte[] identityKey, Contact.Trust trust) {
        update("INSERT OR REPLACE INTO linked_trust(username, identity, trust) VALUES (?,?,?)", username, identityKey,
                trust.name());
    }

    /**
     * The trust for {@code username}'s first identity seen here, {@code identity}, from what was
     * brought at linking (consumed): the trust given if it was given to this identity; if it was
     * given to another one, CHANGED for a contact that was verified (as any identity change),
     * else UNVERIFIED. Empty when nothing was brought.
     */
    public synchronized Optional<Contact.Trust> linkedTrust(String username, PublicIdentity identity) {
        byte[] key = dev.parley.protocol.codec.Bytes.concat(identity.signingKey(), identity.dhKey());
        Optional<Contact.Trust> trust = query("SELECT identity, trust FROM linked_trust WHERE username = ?", List.of(username),
                rs -> {
                    Contact.Trust given = Contact.Trust.valueOf(rs.getString(2));
                    boolean same = java.util.Arrays.equals(rs.getBytes(1), key);
                    return same || given == Contact.Trust.UNVERIFIED ? given : Contact.Trust.CHANGED;
                }).stream().findFirst();
        update("DELETE FROM linked_trust WHERE username = ?", username);
        return trust;
    }

    /** {@code IKs || IKd || binding} (128 bytes): the binding is kept so that a stored identity re-verifies on load. */
    static byte[] identityBytes(PublicIdentity identity) {
        return dev.parley.protocol.codec.Bytes.concat(identity.signingKey(), identity.dhKey(), identity.binding());
    }

    private static PublicIdentity identity(byte[] bytes) throws SQLException {
        try {
            return PublicIdentity.verify(java.util.Arrays.copyOfRange(bytes, 0, 32), java.util.Arrays.copyOfRange(bytes, 32, 64),
                    java.util.Arrays.copyOfRange(bytes, 64, 128));
        } catch (ProtocolException | ArrayIndexOutOfBoundsException e) {
            throw new SQLException("stored contact identity is damaged", e);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------

    Optional<byte[]> meta(String key) {
        return query("SELECT value FROM meta WHERE key = ?", List.of(key), rs -> rs.getBytes(1)).stream().findFirst();
    }

    private Optional<String> metaText(String key) {
        return meta(key).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    Optional<Long> metaLong(String key) {
        return metaText(key).map(Long::parseLong);
    }

    void putMeta(String key, byte[] value) {
        update("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)", key, value);
    }

    private StoreException corrupt(String what) {
        return new StoreException("local store " + file + " is damaged: " + what + " missing", null);
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** One JDBC call; a failure becomes a {@link StoreException} saying what was being done. */
    @FunctionalInterface
    private interface Jdbc<T> {
        T call() throws SQLException;
    }

    @FunctionalInterface
    private interface JdbcAction {
        void run() throws SQLException;
    }

    private static <T> T jdbc(String what, Jdbc<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new StoreException("local store: " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static void jdbcRun(String what, JdbcAction action) {
        jdbc(what, () -> {
            action.run();
            return null;
        });
    }

    /** Runs {@code sql} with {@code args} bound in order. */
    private synchronized <T> T statement(String sql, Object[] args, StatementWork<T> work) {
        return jdbc(sql.substring(0, sql.indexOf(' ')), () -> {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    statement.setObject(i + 1, args[i]);
                }
                return work.apply(statement);
            }
        });
    }

    @FunctionalInterface
    private interface StatementWork<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    <T> List<T> query(String sql, List<?> args, RowMapper<T> mapper) {
        return statement(sql, args.toArray(), statement -> {
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        });
    }

    int update(String sql, Object... args) {
        return statement(sql, args, PreparedStatement::executeUpdate);
    }

    @Override
    public synchronized void close() {
        jdbcRun("close", db::close);
    }
}
