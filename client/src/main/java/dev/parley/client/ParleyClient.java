package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.net.SignedAuth;
import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.client.store.HomeLock;
import dev.parley.client.store.StoreException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.safety.SafetyNumber;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.AuthFrames.LoggedIn;
import dev.parley.wire.frames.AuthFrames.Registered;
import dev.parley.wire.frames.AuthFrames.ResetDone;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.DirectoryFrames.Presence;
import dev.parley.wire.frames.DirectoryFrames.PublicKeys;
import dev.parley.wire.frames.DirectoryFrames.UserKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.PreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.PreKeysLow;
import dev.parley.wire.frames.PreKeyFrames.PreKeysStored;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
     * {@link #send} halts the process (exit status 86) right after the text was encrypted and
     * committed to the outbox, before anything is sent; with {@code onAck} the process halts
     * (87) when the server's stored ack arrives, before the outbox row is deleted (the ack is
     * lost: the server has the message, the client will resend it).
     */
    public static final String HALT_PROPERTY = "parley.test.halt";

    private static final System.Logger LOG = System.getLogger(ParleyClient.class.getName());
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration RECEIVED_IDS_KEPT = Duration.ofDays(31);

    /** Options of {@link #open(Path, Options)}. */
    public record Options(ParleyListener listener, Clock clock, SecureRandom random, Duration ackTimeout) {
        public static Options defaults() {
            return new Options(new ParleyListener() { }, Clock.systemUTC(), new SecureRandom(), Duration.ofSeconds(30));
        }

        public Options withListener(ParleyListener listener) {
            return new Options(listener, clock, random, ackTimeout);
        }

        public Options withAckTimeout(Duration timeout) {
            return new Options(listener, clock, random, timeout);
        }
    }

    private final Path home;
    private final HomeLock lock;
    private final ClientStore store;
    private final Options options;
    private final Randomness randomness;
    private final ExecutorService receiver;
    private final Outbox outbox;
    private final DeferredSends deferred;
    private final TextSender sender;
    private final UndeliveredTexts undelivered;
    private final Object connectionLock = new Object();
    private volatile Account account;
    private volatile Messaging messaging;
    private volatile PublicIdentity messagingIdentity;
    private volatile ServerConnection connection;
    private volatile ServerAddress server;
    private volatile boolean closing;
    private volatile Thread reconnector;

    private ParleyClient(Path home, HomeLock lock, ClientStore store, Options options) {
        this.home = home;
        this.lock = lock;
        this.store = store;
        this.options = options;
        this.randomness = Randomness.from(options.random());
        this.receiver = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-receive").factory());
        this.account = store.account().filter(a -> store.registered()).orElse(null);
        this.outbox = new Outbox(store, () -> connection, () -> closing, options.listener(), receiver);
        this.deferred = new DeferredSends(store, () -> messaging, options.listener(), receiver);
        this.sender = new TextSender(outbox, deferred, randomness, options.clock(), options.ackTimeout(), this::isConnected);
        this.undelivered = new UndeliveredTexts(store, outbox, deferred, randomness, options.clock(), this::isConnected);
        if (account != null) {
            useMessaging(account); // sends made before the first connect wait in the outbox
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
        return Optional.ofNullable(account).map(Account::username);
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
        requireValidName(username);
        if (account != null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home (" + home + ") already holds the account "
                    + account.username() + "; use another --home");
        }
        Optional<Account> unconfirmed = store.account().filter(a -> a.username().equals(username));
        IdentityKeyPair identity = unconfirmed.map(Account::identity).orElseGet(() -> IdentityKeyPair.generate(randomness));
        store.saveAccount(username, server.origin(), identity);
        RecoveryCode code = RecoveryCode.generate(options.random());
        ServerConnection opened = openConnection(server);
        try {
            opened.request(auth(opened, username, identity).register(code.hash()), Registered.class, REQUEST_TIMEOUT);
        } catch (ServerError e) {
            opened.close();
            store.forgetIdentity();
            throw ServerErrors.refused("registration of " + username, e);
        } catch (ClientException e) {
            opened.close();
            throw e;
        }
        store.setRegistered(true);
        goOnline(opened, store.account().orElseThrow(), true);
        return code;
    }

    /**
     * Rebinds {@code username} to a new identity created here, with its recovery code (for a
     * user who lost their device). Sessions and prekeys of the old identity are dropped; contacts
     * and history in this home stay. Returns the new recovery code.
     */
    public RecoveryCode reset(ServerAddress server, String username, String recoveryCode) throws ClientException {
        requireValidName(username);
        RecoveryCode old = RecoveryCode.parse(recoveryCode).orElseThrow(() -> new ClientException(Reason.REFUSED,
                "that is not a Parley recovery code (32 characters, letters and digits, dashes optional)"));
        if (account != null && !account.username().equals(username)) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home (" + home + ") holds the account " + account.username()
                    + ", not " + username + "; use another --home");
        }
        disconnect();
        IdentityKeyPair identity = IdentityKeyPair.generate(randomness);
        RecoveryCode code = RecoveryCode.generate(options.random());
        ServerConnection opened = openConnection(server);
        try {
            opened.request(auth(opened, username, identity).reset(old.canonical(), code.hash()), ResetDone.class,
                    REQUEST_TIMEOUT);
        } catch (ServerError e) {
            opened.close();
            throw ServerErrors.refused("reset of " + username, e);
        } catch (ClientException e) {
            opened.close();
            throw e;
        }
        store.transaction(() -> {
            store.forgetIdentity();
            store.saveAccount(username, server.origin(), identity);
            store.setRegistered(true);
        });
        goOnline(opened, store.account().orElseThrow(), true);
        return code;
    }

    /**
     * Logs in to {@code server} (or, if null, the server this home registered with), then
     * receives the queue, refreshes the directory, replenishes prekeys and resends the outbox.
     */
    public void connect(ServerAddress server) throws ClientException {
        Account current = requireAccount();
        ServerAddress target = server != null ? server : ServerAddress.parse(current.server());
        if (connection != null && connection.isOpen()) {
            return;
        }
        ServerConnection opened = login(target, current);
        if (!target.origin().equals(current.server())) {
            store.setServer(target.origin());
        }
        goOnline(opened, current, false);
    }

    private ServerConnection login(ServerAddress target, Account current) throws ClientException {
        ServerConnection opened = openConnection(target);
        try {
            opened.request(auth(opened, current.username(), current.identity()).login(), LoggedIn.class, REQUEST_TIMEOUT);
            return opened;
        } catch (ServerError e) {
            opened.close();
            if (e.is(ErrorCode.UNKNOWN_USER)) {
                throw new ClientException(Reason.NO_ACCOUNT, "the server at " + target + " has no account "
                        + current.username() + " (was this home registered with another server?)");
            }
            if (e.is(ErrorCode.BAD_SIGNATURE)) {
                throw new ClientException(Reason.REFUSED, "the server refused this device's key for " + current.username()
                        + ": the account was probably reset with its recovery code on another device");
            }
            throw ServerErrors.refused("login as " + current.username(), e);
        } catch (ClientException e) {
            opened.close();
            throw e;
        }
    }

    private ServerConnection openConnection(ServerAddress target) throws ClientException {
        return ServerConnection.open(target, frame -> receiver.execute(() -> handle(frame)));
    }

    private SignedAuth auth(ServerConnection opened, String username, IdentityKeyPair identity) throws ClientException {
        return SignedAuth.over(opened, identity, username, options.clock().millis());
    }

    /** Makes {@link #messaging} that of {@code current}'s identity (a reset brings a new one). */
    private void useMessaging(Account current) {
        synchronized (connectionLock) {
            if (messaging == null || !current.identity().publicIdentity().equals(messagingIdentity)) {
                LocalPreKeys preKeys = new LocalPreKeys(store, current.identity(), randomness);
                messaging = new Messaging(store, current.identity(), current.username(), preKeys, randomness, options.clock(),
                        new ServerTransport(() -> connection, () -> server, outbox, REQUEST_TIMEOUT), options.listener());
                messagingIdentity = current.identity().publicIdentity();
            }
        }
    }

    /** After a successful auth: wire up messaging, then the directory, prekeys and outbox. */
    private void goOnline(ServerConnection opened, Account current, boolean firstUpload) throws ClientException {
        synchronized (connectionLock) {
            this.account = current;
            this.server = opened.server();
            useMessaging(current);
            this.connection = opened;
        }
        opened.startDelivering();
        opened.closed().thenAccept(closed -> onClosed(opened, closed));
        LocalPreKeys preKeys = new LocalPreKeys(store, current.identity(), randomness);
        try {
            if (firstUpload) {
                UploadPreKeys upload = preKeys.initialUpload(opened.nextRequestId(), options.clock().millis());
                opened.request(upload, PreKeysStored.class, REQUEST_TIMEOUT);
                preKeys.uploaded(upload);
            } else {
                replenish(opened, preKeys);
            }
            refreshDirectory(opened);
        } catch (ServerError e) {
            throw ServerErrors.refused("prekey upload", e);
        }
        store.pruneReceived(options.clock().millis() - RECEIVED_IDS_KEPT.toMillis());
        deferred.encryptAll();
        outbox.resendAll(opened);
    }

    // ---- prekeys ---------------------------------------------------------------------------

    private void replenish(ServerConnection opened, LocalPreKeys preKeys) throws ClientException, ServerError {
        long now = options.clock().millis();
        PreKeyCount count = opened.request(new GetPreKeyCount(opened.nextRequestId()), PreKeyCount.class, REQUEST_TIMEOUT);
        Optional<UploadPreKeys> upload = preKeys.replenishment(opened.nextRequestId(), count.oneTimePreKeys(),
                count.kemOneTimePreKeys(), now);
        if (upload.isPresent()) {
            opened.request(upload.get(), PreKeysStored.class, REQUEST_TIMEOUT);
            preKeys.uploaded(upload.get());
        }
        preKeys.deleteRetiredSignedPreKeys(now);
    }

    // ---- directory and trust ---------------------------------------------------------------

    /** Every account on the server (with presence and look-alike names), after recording their identities. */
    public List<DirectoryEntry> users() throws ClientException {
        try {
            return new Identities(store).withLookAlikes(refreshDirectory(requireConnection()));
        } catch (ServerError e) {
            throw ServerErrors.refused("directory", e);
        }
    }

    /**
     * The users known to this client (the directory as last seen, and this account) whose names
     * look like {@code username} ({@link dev.parley.wire.UsernameSkeleton}), sorted; empty when none does. Show
     * it before sending to {@code username}: a look-alike may be an impersonator.
     */
    public List<String> lookAlikes(String username) {
        return new Identities(store).lookAlikes(username, username().orElse(null));
    }

    private List<DirectoryEntry> refreshDirectory(ServerConnection opened) throws ClientException, ServerError {
        return observeDirectory(opened.request(new GetPublicKeys(opened.nextRequestId()), PublicKeys.class, REQUEST_TIMEOUT)
                .users());
    }

    private List<DirectoryEntry> observeDirectory(List<UserKeys> users) {
        Messaging current = messaging;
        List<Identities.Observed> changed = new ArrayList<>();
        List<DirectoryEntry> entries;
        current.lock().lock();
        try {
            entries = current.identities().observeDirectory(users, account.username(), changed);
        } finally {
            current.lock().unlock();
        }
        changed.forEach(observed -> observed.report(options.listener()));
        return entries;
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
        Account current = requireAccount();
        Contact contact = knownContact(username);
        return SafetyNumber.of(current.identity().publicIdentity(), current.username(), contact.identity(), username);
    }

    /**
     * Marks {@code username}'s current identity verified if {@code digits} (spaces ignored) is
     * its safety number; this also accepts a changed identity, so sending resumes.
     */
    public void verify(String username, String digits) throws ClientException {
        String given = digits.replaceAll("\\s", "");
        Messaging current = requireMessaging();
        current.lock().lock();
        try {
            Contact contact = knownContact(username);
            String expected = safetyNumber(username).digits();
            if (!MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    given.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new ClientException(Reason.SAFETY_NUMBER_MISMATCH, "that is not the safety number of you and "
                        + username + "; nothing was changed. Check that you compared the number for the right contact");
            }
            store.saveContact(new Contact(username, contact.identity(), Contact.Trust.VERIFIED));
        } finally {
            current.lock().unlock();
        }
    }

    private Contact knownContact(String username) throws ClientException {
        Optional<Contact> known = store.contact(username);
        if (known.isEmpty() && connection != null && connection.isOpen()) {
            users();
            known = store.contact(username);
        }
        return known.orElseThrow(() -> new ClientException(Reason.UNKNOWN_USER, "there is no user " + username
                + (server == null ? " known to this client" : " on " + server)));
    }

    // ---- messages --------------------------------------------------------------------------

    /**
     * Sends a text and returns its message id. Connected, it returns once the server has stored
     * it. Disconnected (the link is down and being restored, or {@link #connect} was not called
     * or failed), it returns at once: the message is encrypted and kept in the durable outbox
     * ({@link #status} is {@link MessageStatus#PENDING}) and sent on the next connect, after
     * which {@link ParleyListener#onSent} reports it stored. A first message to a contact (no
     * session yet) is kept as text and encrypted on the next connect ({@link DeferredSends});
     * if that contact turns out not to exist, {@link ParleyListener#onNotSent} says so. The
     * message is committed to the store first, so one this method returned an id for is never
     * lost.
     *
     * @throws ClientException IDENTITY_CHANGED for a verified contact whose identity changed,
     *     UNKNOWN_USER; TIMEOUT or SERVER_UNREACHABLE if the link dropped during the send and the
     *     server did not confirm it in time (the message stays in the outbox and is sent again
     *     on reconnect)
     */
    public String send(String to, String text) throws ClientException {
        return sender.send(requireMessaging(), to, text);
    }

    /** Texts to {@code contact} that its account reset left {@link MessageStatus#UNDELIVERED}, not resent yet, in order. */
    public List<UndeliveredMessage> undelivered(String contact) {
        return undelivered.list(contact);
    }

    /**
     * Sends {@link #undelivered} texts again, in order, as new messages to {@code contact}'s new
     * identity, and returns their ids (as {@link #send}, but without waiting for the stored
     * acks: {@link #flush} waits). Each is resent once. Refused with IDENTITY_CHANGED while a
     * verified contact's new identity is not verified.
     */
    public List<String> resendUndelivered(String contact) throws ClientException {
        return undelivered.resend(requireMessaging(), contact);
    }

    /** Whether the client is logged in on an open connection now. */
    public boolean isConnected() {
        ServerConnection current = connection;
        return current != null && current.isOpen();
    }

    /** Tells {@code to} that this user started or stopped typing (sent once, not kept in the outbox). */
    public void typing(String to, boolean typing) throws ClientException {
        Messaging current = requireMessaging();
        outbox.transmit(current.encryptAndQueue(to, new Payload.Typing(MessageIds.random(randomness), options.clock().millis(), typing)));
    }

    /** Marks received messages read and sends the sender one read receipt for those that were unread. */
    public void markRead(String from, List<String> messageIds) throws ClientException {
        requireMessaging().markRead(from, messageIds).ifPresent(outbox::transmit);
    }

    /** Received text messages not yet marked read, oldest first. */
    public List<IncomingMessage> unread() {
        return store.unread();
    }

    /** The status of a text this client sent, if it is one. */
    public Optional<MessageStatus> status(String to, String messageId) {
        return store.outgoingStatus(to, messageId);
    }

    /** Outgoing envelopes not yet stored by the server. */
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

    // ---- incoming frames -------------------------------------------------------------------

    private void handle(WireFrame frame) {
        Messaging current = messaging;
        if (current == null || closing) {
            return;
        }
        try {
            switch (frame) {
                case RelayMessage relay -> current.receive(relay);
                case PublicKeys push -> observeDirectory(push.users());
                case Presence presence -> safely(() -> options.listener().onPresence(presence.username(), presence.online()));
                case PreKeysLow low -> {
                    ServerConnection open = connection;
                    if (open != null && open.isOpen()) {
                        replenish(open, new LocalPreKeys(store, account.identity(), randomness));
                    }
                }
                case Stored stored -> outbox.acknowledged(stored);
                default -> {
                    // error frames without re (session_replaced, identity_reset) end the connection: see onClosed
                }
            }
        } catch (ClientException | ServerError | RuntimeException e) {
            // A relay stays unacknowledged and is replayed after the next login; prekeys are
            // topped up again on the next prekeys_low or connect. Only the type and the failure
            // are logged: never a frame's content.
            LOG.log(System.Logger.Level.WARNING, "processing a " + dev.parley.wire.FrameCatalogue.typeOf(frame).name()
                    + " frame failed: " + e);
        }
    }

    // ---- connection lifecycle ----------------------------------------------------------------

    private void onClosed(ServerConnection closedConnection, ServerConnection.Closed how) {
        if (closing || connection != closedConnection) {
            return;
        }
        ErrorCode code = how.serverCode();
        if (code == ErrorCode.SESSION_REPLACED || code == ErrorCode.IDENTITY_RESET) {
            safely(() -> options.listener().onDisconnected(code == ErrorCode.SESSION_REPLACED
                    ? "this account logged in elsewhere (session_replaced)"
                    : "this account was reset to a new identity on another device (identity_reset)"));
            return;
        }
        synchronized (connectionLock) {
            if (reconnector != null && reconnector.isAlive()) {
                return;
            }
            reconnector = Thread.ofVirtual().name("parley-reconnect").start(this::reconnect);
        }
    }

    private void reconnect() {
        long backoff = 500;
        while (!closing) {
            sleep(backoff);
            if (closing) {
                return;
            }
            try {
                Account current = requireAccount();
                goOnline(login(server, current), current, false);
                return;
            } catch (ClientException e) {
                if (e.reason() == Reason.NO_ACCOUNT || e.reason() == Reason.REFUSED) {
                    safely(() -> options.listener().onDisconnected(e.getMessage()));
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private void disconnect() {
        ServerConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private Account requireAccount() throws ClientException {
        Account current = account;
        if (current == null) {
            throw new ClientException(Reason.NO_ACCOUNT, "no Parley account in " + home + " (run 'parley register NAME' first)");
        }
        return current;
    }

    private Messaging requireMessaging() throws ClientException {
        requireAccount();
        return messaging; // set with the account, in the constructor or by register/reset
    }

    private ServerConnection requireConnection() throws ClientException {
        ServerConnection current = connection;
        if (current == null || !current.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected to " + (server == null ? "a server" : server));
        }
        return current;
    }

    private static void requireValidName(String username) throws ClientException {
        if (!WireLimits.USERNAME.matcher(username).matches()) {
            throw new ClientException(Reason.REFUSED, "a username is 3 to 32 characters of a-z, 0-9 and _: " + username);
        }
    }

    static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // By type only: an application's exception message may quote the message it handled.
            System.err.println("parley: listener failed: " + e.getClass().getName());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits briefly for queued receipts to be stored by the server, closes the connection,
     * lets the receive thread finish what it holds, closes the store and unlocks the home.
     */
    @Override
    public void close() {
        if (connection != null && connection.isOpen()) {
            outbox.flush(Duration.ofSeconds(3));
        }
        closing = true;
        disconnect();
        receiver.shutdown();
        try {
            receiver.awaitTermination(10, TimeUnit.SECONDS);
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
