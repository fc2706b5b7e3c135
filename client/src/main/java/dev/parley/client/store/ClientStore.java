package dev.parley.client.store;

import dev.parley.client.Contact;
import dev.parley.client.IncomingMessage;
import dev.parley.client.MessageStatus;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.wire.signed.KemKeyKind;
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

    /** One outgoing envelope not yet acknowledged by the server, in send order. */
    public record OutboxEntry(String id, String recipient, String envelope) {
        @Override
        public String toString() {
            return "OutboxEntry[id=" + id + ", recipient=" + recipient + "]";
        }
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
    private final UndeliveredStore undelivered = new UndeliveredStore(this);

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
        try {
            if (!db.getAutoCommit()) {
                work.run(); // nested: part of the enclosing transaction
                return;
            }
            db.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("local store: cannot begin a transaction", e);
        }
        boolean committed = false;
        try {
            work.run();
            db.commit();
            committed = true;
        } catch (SQLException e) {
            throw new StoreException("local store: commit failed", e);
        } finally {
            try {
                if (!committed) {
                    db.rollback();
                }
                db.setAutoCommit(true);
            } catch (SQLException e) {
                throw new StoreException("local store: rollback failed", e);
            }
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

    public synchronized void setServer(String server) {
        putMeta("server", server.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Forgets everything bound to the previous identity (a reset): prekeys, sessions, the outbox
     * (envelopes for sessions that can no longer continue) and the account itself. Contacts,
     * their trust, and message history stay.
     */
    public synchronized void forgetIdentity() {
        transaction(() -> {
            for (String table : List.of("signed_prekeys", "one_time_prekeys", "kem_prekeys", "sessions", "outbox")) {
                update("DELETE FROM " + table);
            }
            update("DELETE FROM meta WHERE key IN ('username','identity_signing','identity_dh','registered')");
        });
    }

    // ---- counters --------------------------------------------------------------------------

    /** Reserves {@code count} consecutive ids from the counter {@code name} (starting at 1). */
    public synchronized long reserveIds(String name, int count) {
        long[] first = new long[1];
        transaction(() -> {
            first[0] = metaLong("next_" + name).orElse(1L);
            long next = first[0] + count;
            if (next > 0xFFFF_FFFEL) {
                next = 1; // ids wrap within 0 .. 2^32-2 (PROTOCOL.md §5); old ones are long consumed
            }
            putMeta("next_" + name, Long.toString(next).getBytes(StandardCharsets.UTF_8));
        });
        return first[0];
    }

    // ---- prekeys ---------------------------------------------------------------------------

    public synchronized void saveSignedPreKey(SignedPreKey key, long createdAt) {
        update("INSERT OR REPLACE INTO signed_prekeys(id, private_key, signature, created_at) VALUES (?,?,?,?)",
                key.id(), key.keyPair().privateKey(), key.signature(), createdAt);
    }

    public synchronized Optional<SignedPreKey> signedPreKey(long id) {
        return query("SELECT private_key, signature FROM signed_prekeys WHERE id = ?", List.of(id),
                rs -> new SignedPreKey(id, X25519KeyPair.fromPrivateKey(rs.getBytes(1)), rs.getBytes(2))).stream().findFirst();
    }

    /** The newest signed prekey's id and creation time. */
    public record SignedPreKeyAge(long id, long createdAt) {}

    public synchronized Optional<SignedPreKeyAge> newestSignedPreKey() {
        return query("SELECT id, created_at FROM signed_prekeys ORDER BY created_at DESC, id DESC LIMIT 1", List.of(),
                rs -> new SignedPreKeyAge(rs.getLong(1), rs.getLong(2))).stream().findFirst();
    }

    /** The id of the signed prekey the server last confirmed storing. */
    public synchronized Optional<Long> uploadedSignedPreKey() {
        return metaLong("uploaded_signed_prekey");
    }

    public synchronized void setUploadedSignedPreKey(long id) {
        putMeta("uploaded_signed_prekey", Long.toString(id).getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes signed prekeys (and last-resort KEM keys) created before {@code cutoff}, except the newest. */
    public synchronized void deleteOldSignedPreKeys(long cutoff) {
        transaction(() -> {
            update("DELETE FROM signed_prekeys WHERE created_at < ? AND id <> (SELECT id FROM signed_prekeys ORDER BY created_at DESC, id DESC LIMIT 1)", cutoff);
            update("DELETE FROM kem_prekeys WHERE kind = ? AND created_at < ? AND id <> (SELECT id FROM kem_prekeys WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT 1)",
                    (int) KemKeyKind.LAST_RESORT.signedByte(), cutoff, (int) KemKeyKind.LAST_RESORT.signedByte());
        });
    }

    public synchronized void saveOneTimePreKeys(List<OneTimePreKey> keys) {
        transaction(() -> {
            for (OneTimePreKey key : keys) {
                update("INSERT OR REPLACE INTO one_time_prekeys(id, private_key) VALUES (?,?)", key.id(), key.keyPair().privateKey());
            }
        });
    }

    public synchronized Optional<OneTimePreKey> oneTimePreKey(long id) {
        return query("SELECT private_key FROM one_time_prekeys WHERE id = ?", List.of(id),
                rs -> new OneTimePreKey(id, X25519KeyPair.fromPrivateKey(rs.getBytes(1)))).stream().findFirst();
    }

    public synchronized void deleteOneTimePreKey(long id) {
        update("DELETE FROM one_time_prekeys WHERE id = ?", id);
    }

    public synchronized void saveKemPreKeys(List<KemPreKey> keys, long createdAt) {
        transaction(() -> {
            for (KemPreKey key : keys) {
                update("INSERT OR REPLACE INTO kem_prekeys(id, kind, seed, signature, created_at) VALUES (?,?,?,?,?)",
                        key.id(), (int) key.kind().signedByte(), key.seed(), key.signature(), createdAt);
            }
        });
    }

    public synchronized Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind) {
        return query("SELECT seed, signature FROM kem_prekeys WHERE id = ? AND kind = ?", List.of(id, (int) kind.signedByte()),
                rs -> new KemPreKey(id, kind, rs.getBytes(1), rs.getBytes(2))).stream().findFirst();
    }

    public synchronized void deleteKemPreKey(long id, KemKeyKind kind) {
        update("DELETE FROM kem_prekeys WHERE id = ? AND kind = ?", id, (int) kind.signedByte());
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

    // ---- sessions --------------------------------------------------------------------------

    public synchronized Optional<byte[]> sessions(String username) {
        return query("SELECT record FROM sessions WHERE username = ?", List.of(username), rs -> rs.getBytes(1)).stream().findFirst();
    }

    public synchronized void saveSessions(String username, byte[] record) {
        update("INSERT OR REPLACE INTO sessions(username, record) VALUES (?,?)", username, record);
    }

    // ---- outbox ----------------------------------------------------------------------------

    /**
     * Adds an envelope encrypted for {@code encryptedFor}, the recipient identity of the session
     * it was made with: if the contact's identity changes before the server stored it, the new
     * identity could never decrypt it ({@link UndeliveredStore#markUndelivered}).
     */
    public synchronized void addToOutbox(OutboxEntry entry, long now, PublicIdentity encryptedFor) {
        update("INSERT INTO outbox(id, recipient, envelope, created_at, encrypted_for) VALUES (?,?,?,?,?)",
                entry.id(), entry.recipient(), entry.envelope(), now, identityBytes(encryptedFor));
    }

    /** Everything not yet acknowledged by the server, oldest first. */
    public synchronized List<OutboxEntry> outbox() {
        return query("SELECT id, recipient, envelope FROM outbox ORDER BY seq", List.of(),
                rs -> new OutboxEntry(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    public synchronized boolean inOutbox(String recipient, String id) {
        return !query("SELECT 1 FROM outbox WHERE recipient = ? AND id = ?", List.of(recipient, id), rs -> 1).isEmpty();
    }

    /** Deletes an outbox entry; returns whether it was there (so a repeated ack is seen as such). */
    public synchronized boolean removeFromOutbox(String recipient, String id) {
        return update("DELETE FROM outbox WHERE recipient = ? AND id = ?", recipient, id) > 0;
    }

    /** A text kept in plaintext until a session with its recipient can be started (DeferredSends). */
    public record DeferredText(String recipient, String id, String text, long sentAt) {
        @Override
        public String toString() {
            return "DeferredText[id=" + id + ", recipient=" + recipient + "]";
        }
    }

    /** Keeps a deferred text and its history row (PENDING), together. */
    public synchronized void defer(DeferredText text) {
        transaction(() -> {
            update("INSERT INTO deferred(recipient, id, text, sent_at) VALUES (?,?,?,?)", text.recipient(), text.id(),
                    text.text(), text.sentAt());
            saveOutgoing(text.recipient(), text.id(), text.text(), text.sentAt());
        });
    }

    public synchronized List<DeferredText> deferred() {
        return query("SELECT recipient, id, text, sent_at FROM deferred ORDER BY seq", List.of(),
                rs -> new DeferredText(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
    }

    public synchronized void removeDeferred(String recipient, String id) {
        update("DELETE FROM deferred WHERE recipient = ? AND id = ?", recipient, id);
    }

    // ---- messages --------------------------------------------------------------------------

    public synchronized void saveOutgoing(String peer, String id, String text, long sentAt) {
        update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, status) VALUES (?,?,1,?,?,?)",
                peer, id, text, sentAt, MessageStatus.PENDING.name());
    }

    /**
     * Raises an outgoing message's status by {@link MessageStatus#rank()} (PENDING < SENT =
     * UNDELIVERED < DELIVERED < READ); never lowers it, and SENT never replaces UNDELIVERED.
     */
    public synchronized void raiseStatus(String peer, String id, MessageStatus status) {
        update("UPDATE messages SET status = ? WHERE peer = ? AND id = ? AND outgoing = 1 AND "
                + "(CASE status WHEN 'PENDING' THEN 0 WHEN 'SENT' THEN 1 WHEN 'UNDELIVERED' THEN 1 WHEN 'DELIVERED' THEN 2"
                + " ELSE 3 END) < ?", status.name(), peer, id, status.rank());
    }

    public synchronized Optional<MessageStatus> outgoingStatus(String peer, String id) {
        return query("SELECT status FROM messages WHERE peer = ? AND id = ? AND outgoing = 1", List.of(peer, id),
                rs -> MessageStatus.valueOf(rs.getString(1))).stream().findFirst();
    }

    public synchronized void saveIncoming(IncomingMessage message) {
        update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, server_time, status) VALUES (?,?,0,?,?,?,'UNREAD')",
                message.from(), message.id(), message.text(), message.sentAt(), message.serverTime());
    }

    /** Received text messages not yet marked read, in the order they arrived. */
    public synchronized List<IncomingMessage> unread() {
        return query("SELECT peer, id, text, sent_at, server_time FROM messages WHERE outgoing = 0 AND status = 'UNREAD' ORDER BY rowid",
                List.of(), rs -> new IncomingMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
    }

    /** Marks received messages read; returns true if this one was unread. */
    public synchronized boolean markRead(String peer, String id) {
        return update("UPDATE messages SET status = 'READ' WHERE peer = ? AND id = ? AND outgoing = 0 AND status = 'UNREAD'", peer, id) > 0;
    }

    /** Texts left undelivered by contacts' account resets, and their resending. */
    public UndeliveredStore undelivered() {
        return undelivered;
    }

    // ---- received ids (deduplication of relayed messages, PROTOCOL.md §6) --------------------

    public synchronized boolean received(String sender, String id) {
        return !query("SELECT 1 FROM received WHERE sender = ? AND id = ?", List.of(sender, id), rs -> 1).isEmpty();
    }

    public synchronized void markReceived(String sender, String id, long now) {
        update("INSERT OR IGNORE INTO received(sender, id, received_at) VALUES (?,?,?)", sender, id, now);
    }

    /** Forgets received ids older than {@code cutoff}: the server forgets them too after its queue TTL. */
    public synchronized void pruneReceived(long cutoff) {
        update("DELETE FROM received WHERE received_at < ?", cutoff);
    }

    // ---- plumbing --------------------------------------------------------------------------

    private Optional<byte[]> meta(String key) {
        return query("SELECT value FROM meta WHERE key = ?", List.of(key), rs -> rs.getBytes(1)).stream().findFirst();
    }

    private Optional<String> metaText(String key) {
        return meta(key).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    private Optional<Long> metaLong(String key) {
        return metaText(key).map(Long::parseLong);
    }

    private void putMeta(String key, byte[] value) {
        update("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)", key, value);
    }

    private StoreException corrupt(String what) {
        return new StoreException("local store " + file + " is damaged: " + what + " missing", null);
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, List<?> args, RowMapper<T> mapper) {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, args.toArray());
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new StoreException("local store query failed: " + e.getMessage(), e);
        }
    }

    int update(String sql, Object... args) {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, args);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("local store update failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new StoreException("local store: close failed", e);
        }
    }
}
