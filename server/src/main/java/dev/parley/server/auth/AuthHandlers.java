package dev.parley.server.auth;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.Account;
import dev.parley.server.devices.DeviceListRules;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.DeviceStore;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.LoginDevice;
import dev.parley.server.storage.StorageFullException;
import dev.parley.server.storage.UsernameConfusableException;
import dev.parley.server.storage.UsernameTakenException;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.WireFrame;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.AuthFrames.LoggedIn;
import dev.parley.wire.frames.AuthFrames.Login;
import dev.parley.wire.frames.AuthFrames.Register;
import dev.parley.wire.frames.AuthFrames.Registered;
import dev.parley.wire.frames.AuthFrames.Reset;
import dev.parley.wire.frames.AuthFrames.ResetDone;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.RecoveryCodes;
import dev.parley.wire.signed.SignedBytes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code register}, {@code login} and {@code reset}, each signed over the connection's
 * single-use challenge: register and reset by the new identity key ({@link SignedBytes#auth}),
 * with the account's first device list; a login by the device's own key
 * ({@link SignedBytes#deviceAuth}), as the signed list names it. An account from before
 * devices has no list: its device logs in as device 1 with the identity key, unlisted, and may
 * then only publish its first list (docs/OPERATIONS.md, "Upgrading to linked devices").
 * Every attempt, successful or not, consumes the challenge; a refused attempt is answered with
 * the error and then a fresh challenge ({@link #refused}, the routes' after-refusal action).
 */
public final class AuthHandlers {

    private static final Logger log = LoggerFactory.getLogger(AuthHandlers.class);

    private final AccountStore accounts;
    private final DeviceStore devices;
    private final Challenges challenges;
    private final Clock clock;
    private final List<String> origins;
    private final Duration clockSkew;
    private final KeyedRateLimiter registrationLimiter;
    private final AuthEvents events;
    private final DiskGuard disk;

    /**
     * What a successful authentication leads to (login bookkeeping, directory updates); the
     * server announces registrations and resets to every node ({@link dev.parley.server.cluster.Cluster#announce}).
     */
    public interface AuthEvents {
        /** The connection is now logged in. */
        void authenticated(ClientConnection connection);

        /** {@code username}'s identity was replaced (and every other device unlinked); others must see the new one. */
        void identityReset(String username, ClientConnection resetBy);

        /** A new account exists, with device list version 1. */
        void registered(String username);
    }

    public AuthHandlers(AccountStore accounts, DeviceStore devices, Challenges challenges, Clock clock, List<String> origins,
                        Duration clockSkew, KeyedRateLimiter registrationLimiter, DiskGuard disk, AuthEvents events) {
        this.accounts = accounts;
        this.devices = devices;
        this.challenges = challenges;
        this.clock = clock;
        this.origins = origins; // live view: filled in once the port is bound
        this.clockSkew = clockSkew;
        this.registrationLimiter = registrationLimiter;
        this.events = events;
        this.disk = disk;
    }

    public void register(ClientConnection connection, Register frame) {
        String username = validUsername(connection, frame.username());
        IdentityKeys identity = newIdentity(connection, Register.TYPE, username, frame.identity(), frame.origin(),
                frame.timestamp(), frame.signature(), "registrations");
        requireFirstList(frame.deviceList(), identity);
        long now = clock.millis();
        disk.ensureAccepting();
        try {
            accounts.create(new Account(username, identity, frame.recoveryHash(), now, now), frame.deviceList()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UsernameConfusableException) {
                throw new FrameRefused(ErrorCode.USERNAME_CONFUSABLE,
                        "'" + username + "' looks like an existing username; choose another");
            } else if (e.getCause() instanceof StorageFullException full) {
                throw full;
            } else if (e.getCause() instanceof UsernameTakenException) {
                if (!sameKeys(accounts.find(username).orElseThrow().identity(), identity)
                        || !sameFirstDevice(username, frame.deviceList())) {
                    throw new FrameRefused(ErrorCode.USERNAME_TAKEN, "username '" + username + "' is taken");
                }
                // The same identity and device registering again (a retry after a lost reply): treat as success.
            } else {
                throw e;
            }
        }
        log.info("registered account={} connection={}", username, connection.id());
        connection.authenticate(username, 1, true);
        // Before the reply: whoever hears of the account may send to it at once.
        events.registered(username);
        loggedIn(connection, new Registered(frame.id(), username, 1));
    }

    public void login(ClientConnection connection, Login frame) {
        String username = validUsername(connection, frame.username());
        Account account = existing(username);
        int device = frame.device();
        boolean listed = devices.list(username).isPresent();
        if (listed) {
            byte[] deviceKey = devices.loginDevice(username, device).map(LoginDevice::key)
                    .orElseThrow(() -> new FrameRefused(ErrorCode.UNKNOWN_DEVICE, "'" + username + "' has no device " + device));
            verifySignature(connection, Login.TYPE, frame.origin(), frame.timestamp(), frame.signature(), deviceKey,
                    nonce -> SignedBytes.deviceAuth(nonce, frame.origin(), frame.timestamp(), username, device));
        } else {
            if (device != 1) {
                throw new FrameRefused(ErrorCode.UNKNOWN_DEVICE, "'" + username + "' has no device list yet: "
                        + "log in as device 1, signed by the identity key, and publish the first list");
            }
            verifySignature(connection, Login.TYPE, frame.origin(), frame.timestamp(), frame.signature(),
                    account.identity().signingKey(),
                    nonce -> SignedBytes.auth(nonce, frame.origin(), frame.timestamp(), Login.TYPE, username));
        }
        connection.authenticate(username, device, listed);
        loggedIn(connection, new LoggedIn(frame.id(), username, device));
    }

    public void reset(ClientConnection connection, Reset frame) {
        String username = validUsername(connection, frame.username());
        IdentityKeys identity = newIdentity(connection, Reset.TYPE, username, frame.identity(), frame.origin(),
                frame.timestamp(), frame.signature(), "resets");
        requireFirstList(frame.deviceList(), identity);
        if (!recoveryCodeMatches(frame.recoveryCode(), existing(username).recoveryHash())) {
            throw new FrameRefused(ErrorCode.BAD_RECOVERY_CODE, "the recovery code does not match");
        }
        if (!accounts.replaceIdentity(username, identity, frame.recoveryHash(), frame.deviceList(), clock.millis()).join()) {
            throw unknownUser(username);
        }
        log.info("identity reset account={} connection={}", username, connection.id());
        connection.authenticate(username, 1, true);
        events.identityReset(username, connection);
        loggedIn(connection, new ResetDone(frame.id(), username, 1));
    }

    /**
     * After a refused auth frame (its error already sent): a fresh challenge for the next
     * attempt, unless the connection is logged in (then there is no next attempt).
     */
    public void refused(ClientConnection connection) {
        if (!connection.isAuthenticated()) {
            challenges.issue(connection);
        }
    }

    /** Answers a successful attempt, then logs the connection in (replay, presence). */
    private void loggedIn(ClientConnection connection, WireFrame answer) {
        connection.send(answer);
        events.authenticated(connection);
    }

    /**
     * Whether a recovery code as the user typed it (dashes, spaces and lower case included)
     * matches the stored hash: canonicalised as {@link RecoveryCodes} defines, hashed, and
     * compared in constant time. Text that is not a recovery code never matches.
     */
    static boolean recoveryCodeMatches(String typed, byte[] storedHash) {
        return RecoveryCodes.canonical(typed)
                .map(canonical -> MessageDigest.isEqual(RecoveryCodes.hash(canonical), storedHash))
                .orElse(false);
    }

    /**
     * What register and reset check alike, in this order: the new identity's binding, the auth
     * signature by the new identity's key, and the address's allowance of registrations and
     * resets ({@code attempts} names them in the refusal).
     */
    private IdentityKeys newIdentity(ClientConnection connection, String action, String username, IdentityKeys identity,
                                     String origin, long timestamp, byte[] signature, String attempts) {
        Signatures.require(identity.signingKey(), SignedBytes.identityBinding(identity.dhKey()), identity.binding(),
                "the identity binding signature does not verify");
        verifySignature(connection, action, origin, timestamp, signature, identity.signingKey(),
                nonce -> SignedBytes.auth(nonce, origin, timestamp, action, username));
        if (!registrationLimiter.tryAcquire(connection.remoteAddress())) {
            throw new FrameRefused(ErrorCode.RATE_LIMITED, "too many " + attempts + " from this address; try later");
        }
        return identity;
    }

    /** The first device list of a new identity: version 1, device 1 alone, signed by the new identity. */
    private static void requireFirstList(DeviceList list, IdentityKeys identity) {
        FrameRefused refused = DeviceListRules.first(list, identity.signingKey());
        if (refused != null) {
            throw refused;
        }
    }

    /**
     * Checks origin, timestamp and the signature by {@code signingKey} over {@code signed} (the
     * layout, given the challenge), using up the challenge.
     */
    private void verifySignature(ClientConnection connection, String action, String origin, long timestamp,
                                 byte[] signature, byte[] signingKey, Function<byte[], byte[]> signed) {
        byte[] nonce = connection.takeChallenge();
        if (nonce == null) {
            throw new FrameRefused(ErrorCode.BAD_SIGNATURE, "no challenge outstanding; wait for the next challenge frame");
        }
        if (!origins.contains(origin)) {
            throw new FrameRefused(ErrorCode.BAD_ORIGIN, "origin '" + origin + "' is not this server");
        }
        if (Math.abs(clock.millis() - timestamp) > clockSkew.toMillis()) {
            throw new FrameRefused(ErrorCode.STALE_TIMESTAMP,
                    "timestamp is more than " + clockSkew.toSeconds() + " s from the server's clock");
        }
        Signatures.require(signingKey, signed.apply(nonce), signature, "the " + action + " signature does not verify");
    }

    private Account existing(String username) {
        return accounts.find(username).orElseThrow(() -> unknownUser(username));
    }

    private static FrameRefused unknownUser(String username) {
        return new FrameRefused(ErrorCode.UNKNOWN_USER, "no user '" + username + "'");
    }

    /** The username of an auth frame, on a connection not yet logged in. */
    private static String validUsername(ClientConnection connection, String username) {
        if (connection.isAuthenticated()) {
            throw new FrameRefused(ErrorCode.ALREADY_AUTHENTICATED, "this connection is already logged in");
        }
        if (!WireLimits.USERNAME.matcher(username).matches()) {
            throw new FrameRefused(ErrorCode.INVALID_USERNAME, "a username is 3 to 32 characters of a-z 0-9 _");
        }
        return username;
    }

    /** Whether the account's stored device 1 has the key that {@code list} gives device 1 (a retried registration). */
    private boolean sameFirstDevice(String username, DeviceList list) {
        return devices.list(username).map(stored -> stored.list().device(1))
                .map(stored -> Arrays.equals(stored.key(), list.device(1).key())).orElse(false);
    }

    private static boolean sameKeys(IdentityKeys a, IdentityKeys b) {
        return Arrays.equals(a.signingKey(), b.signingKey()) && Arrays.equals(a.dhKey(), b.dhKey());
    }
}
