package dev.parley.client;

import dev.parley.client.net.ServerConnection;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.WireFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The parts of one {@link ParleyClient}, made and wired together once per open home: the
 * account's link to the server, the receive thread that handles what the server sends
 * unprompted, the current identity's messaging, the outbox, the directory, the own devices and
 * their sync, the groups and their outbox, conversations (message content and controls) with
 * the expiry sweep, and the steps of each login. {@link ParleyClient} holds them and delegates.
 */
final class ClientParts {

    final Randomness randomness;
    /** Runs the handling of unprompted frames and every listener callback, one at a time. */
    final ExecutorService receiveThread;
    final AccountLink link;
    final OwnDevicesSync sync;
    final Outbox outbox;
    final Directory directory;
    final UndeliveredTexts undelivered;
    final CurrentIdentity identity;
    final AccountDevices devices;
    final GroupOutbox groupOutbox;
    final Groups groups;
    final Blocking blocking;
    final Conversations conversations;
    final ExpirySweeper expiry;
    private final UnpromptedFrames unprompted;
    private final LoginSequence login;

    /** {@code closing} is true once the client started closing: unprompted frames are dropped from then on. */
    ClientParts(Path home, ClientStore store, ParleyClient.Options options, Duration timeout, BooleanSupplier closing) {
        randomness = Randomness.from(options.random());
        receiveThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-receive").factory());
        link = new AccountLink(home, store, options, timeout, frame -> receiveThread.execute(() -> unprompted(frame)),
                this::online);
        sync = new OwnDevicesSync(store, () -> Optional.ofNullable(link.account).map(Account::username).orElse(null),
                randomness, options.clock());
        outbox = new Outbox(store, this::connection, this::messaging, options.listener(), receiveThread, options.clock(), sync);
        directory = new Directory(store, this::messaging, this::connection, () -> link.server, options.listener(), timeout);
        var preKeys = new PreKeyUpkeep(store, randomness, options.clock(), timeout);
        undelivered = new UndeliveredTexts(store, outbox,
                text -> new Payload.Text(MessageIds.random(randomness), options.clock().millis(), text));
        identity = new CurrentIdentity(store, randomness, options, this::connection, () -> link.server, timeout, outbox, sync);
        var reports = new GroupReports(store, options.listener(), receiveThread, options.clock(), sync::self);
        groupOutbox = new GroupOutbox(store, this::connection, this::groupSealing, reports, options.clock(), sync::self);
        groups = new Groups(store, identity::get, this::connection, groupOutbox, outbox, sync, randomness, options.clock(),
                receiveThread);
        var content = new ContentSender(store, outbox, groups, groupOutbox, sync, this::messaging, randomness, options.clock(),
                options.ackTimeout(), () -> link.isConnected());
        conversations = new Conversations(store, content, sync);
        expiry = new ExpirySweeper(store, sync::self, options.clock(), options.listener(), receiveThread);
        var own = new OwnDevices(store, this::messaging, this::connection, outbox, sync, randomness, options, timeout);
        devices = new AccountDevices(home, store, link, this::requireMessaging, own, sync, outbox, randomness, options, timeout,
                closing);
        unprompted = new UnpromptedFrames(() -> closing.getAsBoolean() ? null : identity.get(), this::connection,
                options.listener(), directory, preKeys, outbox, own);
        blocking = new Blocking(store, sync, options.clock(), sync::self, outbox);
        login = new LoginSequence(store, identity, devices, preKeys, directory, outbox, groupOutbox, options.clock());
        if (link.account != null) {
            identity.use(link.account); // sends made before the first connect wait in the outbox
        }
        expiry.start(); // what expired while the client was closed goes now
    }

    /** Test seam: sees every unprompted frame before it is handled (a test reads relayed ciphertexts with it). */
    volatile java.util.function.Consumer<WireFrame> frameTap;

    /** An unprompted frame, on the receive thread (they arrive once connected, after construction). */
    private void unprompted(WireFrame frame) {
        var tap = frameTap;
        if (tap != null) {
            tap.accept(frame);
        }
        unprompted.handle(frame);
    }

    private void online(ServerConnection opened, Account account, boolean newIdentity) throws ClientException {
        login.online(opened, account, newIdentity);
    }

    /** The current identity's group sealing, or null before the home has an account. */
    private GroupSealing groupSealing() {
        return groups.sealing();
    }

    ServerConnection connection() {
        return link.connection;
    }

    /** The current identity's messaging, or null before the home has an account. */
    Messaging messaging() {
        return identity.messaging();
    }

    /** The current identity's messaging; NO_ACCOUNT when the home has none. */
    Messaging requireMessaging() throws ClientException {
        link.requireAccount();
        return identity.messaging(); // set with the account, in the constructor or by register/reset
    }

    /**
     * Closes the connection, the expiry sweep and both outboxes (what they hold waits in the
     * store), then lets the receive thread finish what it holds, at most 10 seconds.
     */
    void shutDown() {
        link.close();
        expiry.close();
        outbox.close();
        groupOutbox.close();
        receiveThread.shutdown();
        try {
            receiveThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
