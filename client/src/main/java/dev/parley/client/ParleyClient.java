package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.client.store.HistoryStore;
import dev.parley.client.store.HomeLock;
import dev.parley.client.store.StoreException;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.safety.SafetyNumber;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Parley SDK: one account on one device, its local store, and its connection to a server.
 *
 * <pre>{@code
 * try (ParleyClient client = ParleyClient.open(home, listener)) {
 *     RecoveryCode code = client.register(ServerAddress.parse("http://127.0.0.1:5000"), "alice"); // once
 *     // or, later runs: client.connect(null);
 *     String id = client.send("bob", "hello");   // once the server stored it; offline: at once, kept in the outbox
 * }
 * }</pre>
 *
 * <p>{@link #open} locks the home folder (one process per home) and opens the SQLite store;
 * {@link #register}, {@link #reset} or {@link #connect} go online: log in, replay the queue to
 * the listener, subscribe to the directory, replenish prekeys, resend the outbox. While open,
 * a lost connection is restored with backoff. Methods are thread-safe; listener callbacks run
 * on one receive thread.
 */
public final class ParleyClient implements AutoCloseable {

    /**
     * Test seam for the crash tests: with this system property set to {@code afterOutboxCommit},
     * the outbox halts the process (exit status 86) right after an entry's envelope was
     * committed with its session state, before the frame is sent; with {@code onAck} the process
     * halts (87) when the server's {@code stored} answer arrives, before the entry is removed
     * (the answer is lost: the server has the message, the client will resend it).
     */
    public static final String HALT_PROPERTY = "parley.test.halt";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Options of {@link #open(Path, Options)}. {@code deviceName} names this device to the
     * account's other devices (1..64 UTF-8 bytes; at register, reset and linking).
     */
    public record Options(ParleyListener listener, Clock clock, SecureRandom random, Duration ackTimeout, String deviceName) {
        public static Options defaults() {
            return new Options(new ParleyListener() { }, Clock.systemUTC(), new SecureRandom(), Duration.ofSeconds(30),
                    DeviceNames.defaultName());
        }

        public Options withListener(ParleyListener listener) {
            return new Options(listener, clock, random, ackTimeout, deviceName);
        }

        public Options withAckTimeout(Duration timeout) {
            return new Options(listener, clock, random, timeout, deviceName);
        }

        public Options withDeviceName(String name) {
            return new Options(listener, clock, random, ackTimeout, name);
        }
    }

    private final Path home;
    private final HomeLock lock;
    private final ClientStore store;
    private final Options options;
    private final ClientParts parts;
    private final AccountLink link;
    private final Outbox outbox;
    private final CurrentIdentity identity;
    private final dev.parley.client.attachments.Attachments attachments;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ParleyClient(Path home, HomeLock lock, ClientStore store, Options options) {
        this.home = home;
        this.lock = lock;
        this.store = store;
        this.options = options;
        this.parts = new ClientParts(home, store, options, REQUEST_TIMEOUT, () -> closing);
        this.link = parts.link;
        this.outbox = parts.outbox;
        this.identity = parts.identity;
        this.attachments = new dev.parley.client.attachments.Attachments(this::conversations, parts::connection,
                () -> link.server, this::registeredServer, options.random(), REQUEST_TIMEOUT);
    }

    /** Opens the client home with default options. */
    public static ParleyClient open(Path home) throws ClientException {
        return open(home, Options.defaults());
    }

    public static ParleyClient open(Path home, ParleyListener listener) throws ClientException {
        return open(home, Options.defaults().withListener(listener));
    }

    /** Locks {@code home} (refused with HOME_LOCKED if another process holds it) and opens its store. */
    public static ParleyClient open(Path home, Options options) throws ClientException {
        HomeLock lock = HomeLock.acquire(home);
        try {
            return new ParleyClient(home, lock, ClientStore.open(home), options);
        } catch (StoreException e) {
            lock.close();
            throw new ClientException(Reason.FAILED, e.getMessage(), e);
        }
    }

    public Path home() {
        return home;
    }

    /** The registered account name, if this home has one. */
    public Optional<String> username() {
        return Optional.ofNullable(link.account).map(Account::username);
    }

    /** The server this home is registered with, if any. */
    public Optional<String> registeredServer() {
        return store.account().map(Account::server);
    }

    // ---- account ---------------------------------------------------------------------------

    /**
     * Registers a new account on {@code server} with a fresh identity and uploads prekeys. The
     * identity is stored before anything is sent. Returns the recovery code: show it to the
     * user once; it is not stored.
     */
    public RecoveryCode register(ServerAddress server, String username) throws ClientException {
        return link.register(server, username);
    }

    /**
     * Rebinds {@code username} to a new identity created here, with its recovery code as typed
     * (for a user who lost their device). Sessions, prekeys and the outbox of the old identity
     * are dropped; contacts and history in this home stay. Returns the new recovery code.
     */
    public RecoveryCode reset(ServerAddress server, String username, String recoveryCode) throws ClientException {
        return link.reset(server, username, recoveryCode);
    }

    /**
     * Logs in to {@code server} (or, if null, the server this home registered with), then
     * receives the queue, refreshes the directory, replenishes prekeys and sends the outbox.
     */
    public void connect(ServerAddress server) throws ClientException {
        link.connect(server);
    }

    // ---- devices -------------------------------------------------------------------------------

    /**
     * Links this (empty) home to an existing account as a new device named {@code deviceName}:
     * shows the link code and this device's key fingerprint through {@code showCode} (type the
     * code into {@link #peekLink} on a device of the account and compare the fingerprints), waits until that device approves (at most until the server's expiry,
     * 10 minutes by default), stores the account it brings, logs in as the new device, uploads
     * prekeys and tells the account's other devices. Returns this device's id.
     */
    public int link(ServerAddress server, String deviceName, Consumer<LinkOffer> showCode) throws ClientException {
        return parts.devices.link(server, deviceName, showCode);
    }

    /** Whether this device, linked with history, still waits for some of it. */
    public boolean awaitingHistory() {
        return parts.devices.awaitingHistory();
    }

    /**
     * Opens the request of the new device showing {@code linkCode}: its name and device-key
     * fingerprint, to compare with what it shows before {@link #approveLink}. Nothing is changed.
     */
    public PendingLink peekLink(String linkCode) throws ClientException {
        return parts.devices.peek(linkCode);
    }

    /**
     * Links the device of {@code pending} to this account (the next list version, signed here)
     * and returns its id; with {@code history}, this account's texts of the last 30 days (at most
     * 10,000) are queued for it ({@link #outboxSize} and {@link #flush} follow them out); the
     * state of every group this account is in is always queued for it. At most
     * 5 devices besides the first: REFUSED beyond.
     */
    public int approveLink(PendingLink pending, boolean history) throws ClientException {
        int device = parts.devices.approve(pending, history);
        parts.groups.snapshotsToOwnDevices(); // the new device takes every group from here
        return device;
    }

    /** This account's devices (the signed list, checked; with the server's last-seen days and the names known here). */
    public List<DeviceInfo> devices() throws ClientException {
        return parts.devices.list();
    }

    /** Unlinks another device of this account: no contact encrypts to it any more, and the server closes it out. */
    public void unlink(int device) throws ClientException {
        parts.devices.unlink(device);
    }

    /**
     * Signs this device out of the account: the list without it is published, the server closes
     * this connection, and this home forgets the account's keys (its history stays).
     */
    public void signOut() throws ClientException {
        parts.devices.signOut();
    }

    /** The texts exchanged with {@code peer} stored here (also those brought at linking), oldest first. */
    public List<HistoryStore.Entry> history(String peer) {
        return store.history.conversation(peer);
    }

    /** Whether the client is logged in on an open connection now. */
    public boolean isConnected() {
        return link.isConnected();
    }

    // ---- directory and trust ---------------------------------------------------------------

    /** Blocking other accounts ({@link Blocking}): block, unblock, the block list; synced to this account's devices. */
    public Blocking blocking() {
        return parts.blocking;
    }

    /** Looks {@code username} up on the server by exact name (either directory mode); empty when there is no such account. */
    public Optional<DirectoryEntry> findUser(String username) throws ClientException {
        return parts.directory.find(username);
    }

    /** Every account on the server (with presence and look-alike names), after recording their identities. */
    public List<DirectoryEntry> users() throws ClientException {
        return parts.directory.users();
    }

    /**
     * The users known to this client (the directory as last seen, and this account) whose names
     * look like {@code username} ({@link dev.parley.wire.UsernameSkeleton}), sorted; empty when none does. Show
     * it before sending to {@code username}: a look-alike may be an impersonator.
     */
    public List<String> lookAlikes(String username) {
        return parts.directory.lookAlikes(username, username().orElse(null));
    }

    /** The contact as known locally (identity and trust), if its identity was ever seen. */
    public Optional<Contact> contact(String username) {
        return store.contact(username);
    }

    /**
     * The safety number of this account and {@code username} (60 digits, the same on both
     * sides), for the identity currently known for that user; fetched from the directory if
     * this client has not seen it yet.
     */
    public SafetyNumber safetyNumber(String username) throws ClientException {
        return parts.directory.safetyNumber(link.requireAccount(), username);
    }

    /**
     * Marks {@code username}'s current identity verified if {@code digits} (spaces ignored) is
     * its safety number; this also accepts a changed identity, so sending resumes (what waited
     * in the outbox for it goes out).
     */
    public void verify(String username, String digits) throws ClientException {
        requireMessaging();
        parts.directory.verify(link.requireAccount(), username, digits, parts.sync);
        outbox.pump();
    }

    // ---- messages --------------------------------------------------------------------------

    /**
     * Sends a text and returns its message id. The text is committed to the history
     * ({@link MessageStatus#SENDING}) and the outbox first, so one this method returned an id for
     * is never lost; it is encrypted when the outbox first sends it. Connected, this returns once
     * the server stored it ({@link MessageStatus#STORED}). Disconnected (the link is down and
     * being restored, or {@link #connect} was not called or failed), it returns at once: the
     * next connect sends it, {@link ParleyListener#onSent} reports it stored, or
     * {@link ParleyListener#onNotSent} refused for good ({@link MessageStatus#FAILED}).
     *
     * @throws ClientException IDENTITY_CHANGED for a verified contact whose identity changed
     *     (nothing is queued), UNKNOWN_USER (the message is FAILED); TIMEOUT or
     *     SERVER_UNREACHABLE if the server did not confirm it in time (it stays in the outbox and
     *     is sent again on reconnect)
     */
    public String send(String to, String text) throws ClientException {
        requireMessaging().checkSendable(to);
        if (conversations().timer(ConversationRef.user(to)).isPositive()) {
            return conversations().send(ConversationRef.user(to), MessageDraft.text(text)); // carries the timer: 0x0F
        }
        Payload.Text payload = new Payload.Text(MessageIds.random(parts.randomness), options.clock().millis(), text);
        outbox.sendText(to, payload, options.ackTimeout(), this::isConnected);
        return payload.id();
    }

    /** Messages with quotes, attachments and timers, edits, deletes, reactions and search, 1:1 and in groups. */
    public Conversations conversations() {
        return parts.conversations;
    }

    /** Files: encrypted upload and sending, verified download and saving (docs/CLIENT.md, "Attachments"). */
    public dev.parley.client.attachments.Attachments attachments() {
        return attachments;
    }

    /** Texts to {@code contact} that its account reset left {@link MessageStatus#UNDELIVERED}, not resent yet, in order. */
    public List<UndeliveredMessage> undelivered(String contact) {
        return parts.undelivered.list(contact);
    }

    /**
     * Queues {@link #undelivered} texts again, in order, as new messages to {@code contact}'s new
     * identity, and returns their ids (without waiting for the server: {@link #flush} waits).
     * Each is resent once. Refused with IDENTITY_CHANGED while a verified contact's new identity
     * is not verified.
     */
    public List<String> resendUndelivered(String contact) throws ClientException {
        requireMessaging();
        return parts.undelivered.resend(contact);
    }

    /** Tells {@code to} that this user started or stopped typing (sent once if connected, never kept). */
    public void typing(String to, boolean typing) throws ClientException {
        Messaging messaging = requireMessaging();
        if (isConnected() && !store.blocks.isBlocked(to)) { // nothing is sent to a blocked account
            var payload = new Payload.Typing(MessageIds.random(parts.randomness), options.clock().millis(), typing);
            outbox.sendOnce(to, payload.id(), messaging.encryptTyping(to, payload));
        }
    }

    /** Marks received messages read and queues one read receipt to the sender for those that were unread. */
    public void markRead(String from, List<String> messageIds) throws ClientException {
        requireMessaging();
        identity.get().receiver().markRead(from, messageIds);
    }

    /** Texts this account sent from its other devices that were not shown here yet (mark them with {@link #markShown}). */
    public List<SentElsewhere> sentElsewhere() {
        return store.history.unshownTranscripts();
    }

    /** Marks a text from {@link #sentElsewhere} shown. */
    public void markShown(SentElsewhere message) {
        store.history.markShown(message.to(), message.id());
    }

    /** Received text messages not yet marked read, oldest first. */
    public List<IncomingMessage> unread() {
        return store.history.unread();
    }

    /** The status of a text this client sent, if it is one. */
    public Optional<MessageStatus> status(String to, String messageId) {
        return store.history.outgoingStatus(to, messageId);
    }

    /** Outbox entries (texts, receipts, group messages and changes) not yet stored by the server. */
    public int outboxSize() {
        return outbox.size() + parts.groupOutbox.size();
    }

    /**
     * Waits until the outbox and the group outbox are empty (every message stored by the
     * server), at most {@code timeout}; returns whether they are.
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return outbox.flush(timeout) && parts.groupOutbox.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    // ---- groups (docs/CLIENT.md, "Groups") --------------------------------------------------------
    // A group is named by its id (GroupInfo.id(), 43 characters) or by a name only one group here has.

    /**
     * Creates a group named {@code name} (1..64 UTF-8 bytes) with this account as its admin and
     * {@code members} (more than 255 others: created with 255, the rest added in changes of 256).
     * The changes are committed and queued before this returns; the members learn it as they arrive.
     */
    public GroupInfo createGroup(String name, List<String> members) throws ClientException {
        requireMessaging();
        return parts.groups.create(name, members);
    }

    /** Sends a text to every member's devices; as {@link #send}: returns its id once stored (connected) or at once. */
    public String sendGroup(String group, String text) throws ClientException {
        requireMessaging();
        return conversations().send(ConversationRef.group(group), MessageDraft.text(text)); // 0x01 unless a timer is set
    }

    /** Adds members (an admin only; REFUSED otherwise, before anything is sent). */
    public void addToGroup(String group, List<String> users) throws ClientException {
        parts.groups.change(group, (admin, id, events) -> admin.add(id, List.copyOf(users), events));
    }

    /** Removes members (an admin only); they read nothing sent after it. */
    public void removeFromGroup(String group, List<String> users) throws ClientException {
        parts.groups.change(group, (admin, id, events) -> admin.remove(id, List.copyOf(users), events));
    }

    /** Leaves the group (the last admin makes the next member an admin first). */
    public void leaveGroup(String group) throws ClientException {
        parts.groups.change(group, GroupAdmin::leave);
    }

    public void renameGroup(String group, String name) throws ClientException {
        parts.groups.change(group, (admin, id, events) -> admin.change(id, () -> new dev.parley.protocol.groups.GroupOp.Rename(name),
                events));
    }

    /** Makes a member an admin. */
    public void promote(String group, String member) throws ClientException {
        parts.groups.change(group, (admin, id, events) -> admin.change(id,
                () -> new dev.parley.protocol.groups.GroupOp.Promote(member), events));
    }

    /** Makes an admin a member again. */
    public void demote(String group, String member) throws ClientException {
        parts.groups.change(group, (admin, id, events) -> admin.change(id,
                () -> new dev.parley.protocol.groups.GroupOp.Demote(member), events));
    }

    /** Every group held here (also those this account left or was removed from), oldest first. */
    public List<GroupInfo> groups() throws ClientException {
        return parts.groups.list();
    }

    public GroupInfo group(String group) throws ClientException {
        return parts.groups.info(group);
    }

    /** The group's texts, system lines and warnings, in the order they happened here. */
    public List<GroupEntry> groupHistory(String group) throws ClientException {
        return parts.groups.history(group);
    }

    /** Group texts not yet marked read: received ones, and those this account's other devices sent; of every group. */
    public List<GroupEntry> unreadGroupMessages() {
        return parts.groups.unseen();
    }

    /** Marks group texts read: a read receipt goes to each sender of those that were unread. */
    public void markGroupRead(String group, List<String> messageIds) throws ClientException {
        parts.groups.markRead(group, messageIds);
    }

    /** Typing in a group (sent once if connected; never in groups over 100 members). */
    public void groupTyping(String group, boolean typing) throws ClientException {
        parts.groups.typing(group, typing);
    }

    /** Who received and read one of this account's group texts. */
    public GroupReceipts groupReceipts(String group, String messageId) throws ClientException {
        return parts.groups.receipts(group, messageId);
    }

    /** The parts of this client, for tests in this package (injecting frames, reading the store). */
    ClientParts parts() {
        return parts;
    }

    ClientStore store() {
        return store;
    }

    private Messaging requireMessaging() throws ClientException {
        return parts.requireMessaging();
    }

    /**
     * Waits briefly for queued receipts to be stored by the server, closes the connection,
     * lets the receive thread finish what it holds, closes the store and unlocks the home.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closed before
        }
        if (isConnected()) {
            flush(Duration.ofSeconds(3));
        }
        closing = true;
        parts.shutDown();
        try {
            store.close();
        } finally {
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "ParleyClient[home=" + home + ", account=" + username().orElse("-") + "]";
    }
}
