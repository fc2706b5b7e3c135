package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.client.store.HistoryStore;
import dev.parley.client.store.HomeLock;
import dev.parley.client.store.StoreException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.safety.SafetyNumber;
import dev.parley.wire.WireFrame;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    private static final Duration RECEIVED_IDS_KEPT = Duration.ofDays(31);

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

    /** One identity's messaging: its sessions and its receiving side (a reset brings new ones). */
    record Identity(PublicIdentity publicIdentity, Messaging messaging, Receiver receiver) {}

    private final Path home;
    private final HomeLock lock;
    private final ClientStore store;
    private final Options options;
    private final Randomness randomness;
    private final ExecutorService receiveThread;
    private final AccountLink link;
    private final Outbox outbox;
    private final Directory directory;
    private final PreKeyUpkeep preKeys;
    private final UndeliveredTexts undelivered;
    private final UnpromptedFrames unprompted;
    private final OwnDevicesSync sync;
    private final OwnDevices devices;
    private volatile Identity identity;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ParleyClient(Path home, HomeLock lock, ClientStore store, Options options) {
        this.home = home;
        this.lock = lock;
        this.store = store;
        this.options = options;
        this.randomness = Randomness.from(options.random());
        this.receiveThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-receive").factory());
        this.link = new AccountLink(home, store, options, REQUEST_TIMEOUT,
                frame -> receiveThread.execute(() -> unprompted(frame)), this::online);
        this.sync = new OwnDevicesSync(store, () -> Optional.ofNullable(link.account).map(Account::username).orElse(null),
                randomness, options.clock());
        this.outbox = new Outbox(store, this::connection, this::messaging, options.listener(), receiveThread, options.clock(),
                sync);
        this.directory = new Directory(store, this::messaging, this::connection, () -> link.server, options.listener(),
                REQUEST_TIMEOUT);
        this.preKeys = new PreKeyUpkeep(store, randomness, options.clock(), REQUEST_TIMEOUT);
        this.undelivered = new UndeliveredTexts(store, outbox, this::newText);
        this.devices = new OwnDevices(store, this::messaging, this::connection, outbox, sync, randomness, options, REQUEST_TIMEOUT);
        this.unprompted = new UnpromptedFrames(() -> closing ? null : identity, this::connection, options.listener(),
                directory, preKeys, outbox, devices);
        if (link.account != null) {
            useIdentity(link.account); // sends made before the first connect wait in the outbox
        }
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
        if (link.account != null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home (" + home + ") already holds the account "
                    + link.account.username() + "; link into another --home");
        }
        var linked = new LinkNewDevice(store, randomness, options.clock(), REQUEST_TIMEOUT).run(server, deviceName, showCode,
                () -> closing);
        link.connectLinked(server);
        Messaging messaging = requireMessaging();
        messaging.lock.lock();
        try {
            long linkedAt = store.devices.list(linked.username()).flatMap(list -> list.devices().stream()
                    .filter(e -> e.id() == linked.device()).findFirst()).map(e -> e.linkedAt()).orElse(options.clock().millis());
            sync.deviceLinked(linked.device(), linkedAt, deviceName);
        } finally {
            messaging.lock.unlock();
        }
        outbox.pump();
        return linked.device();
    }

    /** Whether this device, linked with history, still waits for some of it. */
    public boolean awaitingHistory() {
        return sync.awaitingHistory();
    }

    /**
     * Opens the request of the new device showing {@code linkCode}: its name and device-key
     * fingerprint, to compare with what it shows before {@link #approveLink}. Nothing is changed.
     */
    public PendingLink peekLink(String linkCode) throws ClientException {
        requireMessaging();
        return devices.approval.peek(linkCode);
    }

    /**
     * Links the device of {@code pending} to this account (the next list version, signed here)
     * and returns its id; with {@code history}, this account's texts of the last 30 days (at most
     * 10,000) are queued for it ({@link #outboxSize} and {@link #flush} follow them out). At most
     * 5 devices besides the first: REFUSED beyond.
     */
    public int approveLink(PendingLink pending, boolean history) throws ClientException {
        requireMessaging();
        return devices.approval.approve(pending, history).device();
    }

    /** This account's devices (the signed list, checked; with the server's last-seen times and the names known here). */
    public List<DeviceInfo> devices() throws ClientException {
        requireMessaging();
        return devices.list();
    }

    /** Unlinks another device of this account: no contact encrypts to it any more, and the server closes it out. */
    public void unlink(int device) throws ClientException {
        Messaging messaging = requireMessaging();
        if (device == messaging.device) {
            throw new ClientException(Reason.REFUSED, "that is this device: use signOut() ('parley devices sign-out')");
        }
        devices.unlink(device);
    }

    /**
     * Signs this device out of the account: the list without it is published, the server closes
     * this connection, and this home forgets the account's keys (its history stays).
     */
    public void signOut() throws ClientException {
        Messaging messaging = requireMessaging();
        devices.unlink(messaging.device);
        link.signedOut();
    }

    /** The texts exchanged with {@code peer} stored here (also those brought at linking), oldest first. */
    public List<HistoryStore.Entry> history(String peer) {
        return store.history.conversation(peer);
    }

    /** Whether the client is logged in on an open connection now. */
    public boolean isConnected() {
        return link.isConnected();
    }

    /** After a successful auth: messaging for the account, then prekeys, the directory and the outbox. */
    private void online(ServerConnection opened, Account account, boolean newIdentity) throws ClientException {
        useIdentity(account);
        devices.checkOwn(); // before the queue is replayed: sync payloads are accepted from listed devices only
        opened.startDelivering();
        try {
            if (newIdentity) {
                preKeys.uploadAll(opened, account.identity());
            } else {
                preKeys.replenish(opened, account.identity());
            }
            directory.refresh(opened);
        } catch (ServerError e) {
            throw ServerErrors.refused("prekey upload", e);
        }
        store.history.pruneReceived(options.clock().millis() - RECEIVED_IDS_KEPT.toMillis());
        outbox.connected();
    }

    /** Makes {@link #identity} that of {@code account}'s identity (a reset brings a new one). */
    private synchronized void useIdentity(Account account) {
        PublicIdentity current = account.identity().publicIdentity();
        int device = store.devices.thisDevice().orElse(AccountLink.FIRST_DEVICE); // an older home becomes device 1
        if (identity == null || !current.equals(identity.publicIdentity()) || identity.messaging().device != device) {
            var messaging = new Messaging(store, account.identity(), account.username(), device,
                    new LocalPreKeys(store, account.identity(), randomness), randomness,
                    new ServerTransport(this::connection, () -> link.server, REQUEST_TIMEOUT), options.listener());
            identity = new Identity(current, messaging, new Receiver(store, messaging, outbox, sync, randomness,
                    options.clock()));
        }
    }

    /** An unprompted frame, on the receive thread (they arrive once connected, after construction). */
    private void unprompted(WireFrame frame) {
        unprompted.handle(frame);
    }

    /** A new message: a fresh id, sent now. */
    private Payload.Text newText(String text) {
        return new Payload.Text(MessageIds.random(randomness), options.clock().millis(), text);
    }

    private ServerConnection connection() {
        return link.connection;
    }

    private Messaging messaging() {
        Identity current = identity;
        return current == null ? null : current.messaging();
    }

    // ---- directory and trust ---------------------------------------------------------------

    /** Every account on the server (with presence and look-alike names), after recording their identities. */
    public List<DirectoryEntry> users() throws ClientException {
        return directory.users();
    }

    /**
     * The users known to this client (the directory as last seen, and this account) whose names
     * look like {@code username} ({@link dev.parley.wire.UsernameSkeleton}), sorted; empty when none does. Show
     * it before sending to {@code username}: a look-alike may be an impersonator.
     */
    public List<String> lookAlikes(String username) {
        return directory.lookAlikes(username, username().orElse(null));
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
        return directory.safetyNumber(link.requireAccount(), username);
    }

    /**
     * Marks {@code username}'s current identity verified if {@code digits} (spaces ignored) is
     * its safety number; this also accepts a changed identity, so sending resumes (what waited
     * in the outbox for it goes out).
     */
    public void verify(String username, String digits) throws ClientException {
        requireMessaging();
        directory.verify(link.requireAccount(), username, digits, sync);
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
        Payload.Text payload = newText(text);
        outbox.sendText(to, payload, options.ackTimeout(), this::isConnected);
        return payload.id();
    }

    /** Texts to {@code contact} that its account reset left {@link MessageStatus#UNDELIVERED}, not resent yet, in order. */
    public List<UndeliveredMessage> undelivered(String contact) {
        return undelivered.list(contact);
    }

    /**
     * Queues {@link #undelivered} texts again, in order, as new messages to {@code contact}'s new
     * identity, and returns their ids (without waiting for the server: {@link #flush} waits).
     * Each is resent once. Refused with IDENTITY_CHANGED while a verified contact's new identity
     * is not verified.
     */
    public List<String> resendUndelivered(String contact) throws ClientException {
        requireMessaging();
        return undelivered.resend(contact);
    }

    /** Tells {@code to} that this user started or stopped typing (sent once if connected, never kept). */
    public void typing(String to, boolean typing) throws ClientException {
        Messaging messaging = requireMessaging();
        if (isConnected()) {
            var payload = new Payload.Typing(MessageIds.random(randomness), options.clock().millis(), typing);
            outbox.sendOnce(to, payload.id(), messaging.encryptTyping(to, payload));
        }
    }

    /** Marks received messages read and queues one read receipt to the sender for those that were unread. */
    public void markRead(String from, List<String> messageIds) throws ClientException {
        requireMessaging();
        identity.receiver().markRead(from, messageIds);
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

    /** Outbox entries (texts and receipts) not yet stored by the server. */
    public int outboxSize() {
        return outbox.size();
    }

    /**
     * Waits until the outbox is empty (every message stored by the server), at most
     * {@code timeout}; returns whether it is.
     */
    public boolean flush(Duration timeout) {
        return outbox.flush(timeout);
    }

    private Messaging requireMessaging() throws ClientException {
        link.requireAccount();
        return identity.messaging(); // set with the account, in the constructor or by register/reset
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
            outbox.flush(Duration.ofSeconds(3));
        }
        closing = true;
        link.close();
        outbox.close();
        receiveThread.shutdown();
        try {
            receiveThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
