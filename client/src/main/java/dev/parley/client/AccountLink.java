package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.net.SignedAuth;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.AuthFrames.LoggedIn;
import dev.parley.wire.frames.AuthFrames.Registered;
import dev.parley.wire.frames.AuthFrames.ResetDone;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.DevicesPublished;
import dev.parley.wire.frames.DeviceFrames.PublishDevices;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The account and auth family (PROTOCOL.md §3) and the connection's life: register, reset and
 * log in over a fresh {@link ServerConnection}, then hand it to {@link Online}; restore a lost
 * connection with backoff (0.5 s doubling to 30 s) while the client is open, except after
 * {@code session_replaced} or {@code identity_reset}.
 */
final class AccountLink {

    /** What follows a successful auth: messaging for the account, prekeys, directory, outbox. */
    interface Online {
        void online(ServerConnection opened, Account account, boolean newIdentity) throws ClientException;
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final int FIRST_DEVICE = 1;

    private final Path home;
    private final ClientStore store;
    private final Randomness randomness;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration timeout;
    private final ParleyListener listener;
    private final String deviceName;
    private final Consumer<WireFrame> frames;
    private final Object lock = new Object();
    private final Online online;
    /** The account (null until registered), the open connection and the server it reached: read by the other families, written here only. */
    volatile Account account;
    volatile ServerConnection connection;
    volatile ServerAddress server;
    private volatile boolean closing;
    private Thread reconnector;

    AccountLink(Path home, ClientStore store, ParleyClient.Options options, Duration timeout, Consumer<WireFrame> frames,
            Online online) {
        this.home = home;
        this.store = store;
        this.random = options.random();
        this.randomness = Randomness.from(options.random());
        this.clock = options.clock();
        this.timeout = timeout;
        this.listener = options.listener();
        this.deviceName = options.deviceName();
        this.frames = frames;
        this.online = online;
        this.account = store.account().filter(a -> store.registered()).orElse(null);
    }

    boolean isConnected() {
        ServerConnection current = connection;
        return current != null && current.isOpen();
    }

    Account requireAccount() throws ClientException {
        Account current = account;
        if (current == null) {
            throw new ClientException(Reason.NO_ACCOUNT, "no Parley account in " + home + " (run 'parley register NAME' first)");
        }
        return current;
    }

    RecoveryCode register(ServerAddress target, String username) throws ClientException {
        requireValidName(username);
        if (account != null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home (" + home + ") already holds the account "
                    + account.username() + "; use another --home");
        }
        Optional<Account> unconfirmed = store.account().filter(a -> a.username().equals(username));
        IdentityKeyPair identity = unconfirmed.map(Account::identity).orElseGet(() -> IdentityKeyPair.generate(randomness));
        byte[] deviceKey = unconfirmed.flatMap(a -> store.devices.deviceKey()).orElseGet(() -> Ed25519.newPrivateKey(randomness));
        store.transaction(() -> {
            store.saveAccount(username, target.origin(), identity);
            store.devices.saveDeviceKey(deviceKey);
        });
        DeviceList list = firstList(identity, deviceKey);
        RecoveryCode code = RecoveryCode.generate(random);
        ServerConnection opened = open(target);
        try {
            opened.request(auth(opened, username, identity).register(code.hash(), list), Registered.class, timeout);
        } catch (ServerError e) {
            opened.close();
            store.forgetIdentity();
            throw ServerErrors.refused("registration of " + username, e);
        } catch (ClientException e) {
            opened.close();
            throw e;
        }
        store.transaction(() -> {
            store.setRegistered(true);
            becomeFirstDevice(username, list);
        });
        goOnline(opened, store.account().orElseThrow(), true);
        return code;
    }

    /** List version 1: this device alone, as device 1 (register, reset, and the upgrade of an older home). */
    private DeviceList firstList(IdentityKeyPair identity, byte[] deviceKey) {
        long now = clock.millis();
        return DeviceLists.sign(identity, 1, now, List.of(new DeviceEntry(FIRST_DEVICE, Ed25519.publicKey(deviceKey), now)));
    }

    /** Records that this device is device 1 of {@code username} with {@code list} (in the caller's transaction). */
    private void becomeFirstDevice(String username, DeviceList list) {
        store.devices.saveThisDevice(FIRST_DEVICE);
        store.devices.saveList(username, list);
        store.devices.saveName(FIRST_DEVICE, deviceName);
    }

    RecoveryCode reset(ServerAddress target, String username, String recoveryCode) throws ClientException {
        requireValidName(username);
        RecoveryCode old = RecoveryCode.parse(recoveryCode).orElseThrow(() -> new ClientException(Reason.REFUSED,
                "that is not a Parley recovery code (32 characters, letters and digits, dashes optional)"));
        if (account != null && !account.username().equals(username)) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home (" + home + ") holds the account " + account.username()
                    + ", not " + username + "; use another --home");
        }
        disconnect();
        IdentityKeyPair identity = IdentityKeyPair.generate(randomness);
        byte[] deviceKey = Ed25519.newPrivateKey(randomness);
        DeviceList list = firstList(identity, deviceKey);
        RecoveryCode code = RecoveryCode.generate(random);
        ServerConnection opened = open(target);
        try {
            opened.request(auth(opened, username, identity).reset(old.canonical(), code.hash(), list), ResetDone.class,
                    timeout);
        } catch (ServerError e) {
            opened.close();
            throw ServerErrors.refused("reset of " + username, e);
        } catch (ClientException e) {
            opened.close();
            throw e;
        }
        store.transaction(() -> {
            store.forgetIdentity();
            store.saveAccount(username, target.origin(), identity);
            store.devices.saveDeviceKey(deviceKey);
            store.setRegistered(true);
            becomeFirstDevice(username, list);
        });
        goOnline(opened, store.account().orElseThrow(), true);
        return code;
    }

    /**
     * After {@link LinkNewDevice} stored the account: its first login as the new device (which
     * also removes the link channel on the server), then a first prekey upload.
     */
    void connectLinked(ServerAddress target) throws ClientException {
        Account linked = store.account().filter(a -> store.registered()).orElseThrow(() -> new ClientException(
                Reason.NO_ACCOUNT, "no linked account in " + home));
        goOnline(login(target, linked), linked, true);
    }

    void connect(ServerAddress target) throws ClientException {
        Account current = requireAccount();
        ServerAddress where = target != null ? target : ServerAddress.parse(current.server());
        if (isConnected()) {
            return;
        }
        ServerConnection opened = login(where, current);
        if (!where.origin().equals(current.server())) {
            store.setServer(where.origin());
        }
        goOnline(opened, current, false);
    }

    private ServerConnection login(ServerAddress target, Account current) throws ClientException {
        Optional<Integer> device = store.devices.thisDevice();
        Optional<byte[]> deviceKey = store.devices.deviceKey();
        if (device.isEmpty() || deviceKey.isEmpty()) {
            return upgrade(target, current);
        }
        ServerConnection opened = open(target);
        try {
            opened.request(auth(opened, current.username(), current.identity()).login(device.get(), deviceKey.get()),
                    LoggedIn.class, timeout);
            return opened;
        } catch (ServerError e) {
            opened.close();
            if (e.is(ErrorCode.UNKNOWN_DEVICE) || e.is(ErrorCode.DEVICE_UNLINKED)) {
                throw new ClientException(Reason.NO_ACCOUNT, "this device (" + device.get() + ") is no longer linked to "
                        + current.username() + " on " + target + "; link it again ('parley link') or use another home");
            }
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

    /**
     * A home from before devices existed (no device key): it is device 1 of its account. Its
     * device key is stored first; then the old identity-signed login (accepted by the server only
     * while the account has no device list) and {@code publish_devices} with list version 1.
     * If an earlier attempt published the list but stopped before recording it here, the legacy
     * login is refused and the device logs in as device 1 with the stored key instead.
     */
    private ServerConnection upgrade(ServerAddress target, Account current) throws ClientException {
        byte[] deviceKey = store.devices.deviceKey().orElseGet(() -> {
            byte[] generated = Ed25519.newPrivateKey(randomness);
            store.devices.saveDeviceKey(generated);
            return generated;
        });
        String username = current.username();
        ServerConnection opened = open(target);
        try {
            opened.request(auth(opened, username, current.identity()).legacyLogin(), LoggedIn.class, timeout);
            DeviceList list = firstList(current.identity(), deviceKey);
            opened.request(new PublishDevices(opened.nextRequestId(), list), DevicesPublished.class, timeout);
            store.transaction(() -> becomeFirstDevice(username, list));
            return opened;
        } catch (ServerError e) {
            opened.close();
            if (!e.is(ErrorCode.BAD_SIGNATURE) && !e.is(ErrorCode.STALE_DEVICE_LIST)) {
                throw ServerErrors.refused("the first login of this device as device 1 of " + username, e);
            }
        } catch (ClientException e) {
            opened.close();
            throw e;
        }
        store.devices.saveThisDevice(FIRST_DEVICE); // published before; the own list is fetched at login
        return login(target, current);
    }

    private ServerConnection open(ServerAddress target) throws ClientException {
        return ServerConnection.open(target, frames);
    }

    private SignedAuth auth(ServerConnection opened, String username, IdentityKeyPair identity) throws ClientException {
        return SignedAuth.over(opened, identity, username, clock.millis());
    }

    private void goOnline(ServerConnection opened, Account current, boolean newIdentity) throws ClientException {
        synchronized (lock) {
            this.account = current;
            this.server = opened.server();
            this.connection = opened;
        }
        opened.closed().thenAccept(closed -> onClosed(opened, closed));
        online.online(opened, current, newIdentity);
    }

    private void onClosed(ServerConnection closedConnection, ServerConnection.Closed how) {
        if (closing || connection != closedConnection) {
            return;
        }
        ErrorCode code = how.serverCode();
        if (code == ErrorCode.SESSION_REPLACED || code == ErrorCode.IDENTITY_RESET || code == ErrorCode.DEVICE_UNLINKED) {
            UnpromptedFrames.safely(() -> listener.onDisconnected(switch (code) {
                case SESSION_REPLACED -> "this device logged in elsewhere (session_replaced)";
                case IDENTITY_RESET -> "this account was reset to a new identity on another device (identity_reset)";
                default -> "this device was unlinked from the account (device_unlinked)";
            }));
            return;
        }
        synchronized (lock) {
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
                    UnpromptedFrames.safely(() -> listener.onDisconnected(e.getMessage()));
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    void disconnect() {
        ServerConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    /** This device left the account (signed out): closes the connection and forgets the account here. */
    void signedOut() {
        closing = true;
        disconnect();
        account = null;
        store.forgetIdentity();
    }

    /** Stops reconnecting and closes the connection. */
    void close() {
        closing = true;
        disconnect();
    }

    private static void requireValidName(String username) throws ClientException {
        if (!WireLimits.USERNAME.matcher(username).matches()) {
            throw new ClientException(Reason.REFUSED, "a username is 3 to 32 characters of a-z, 0-9 and _: " + username);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
