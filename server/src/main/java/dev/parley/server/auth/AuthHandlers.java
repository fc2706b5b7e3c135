package dev.parley.server.auth;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.DiskGuard;
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
import dev.parley.wire.signed.RecoveryCodes;
import dev.parley.wire.signed.SignedBytes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code register}, {@code login} and {@code reset}: each proves possession of an Ed25519
 * identity key by signing {@link SignedBytes#auth} over the connection's single-use challenge.
 * Every attempt, successful or not, consumes the challenge; a refused attempt is answered with
 * the error and then a fresh challenge ({@link #refused}, the routes' after-refusal action).
 */
public final class AuthHandlers {

    private static final Logger log = LoggerFactory.getLogger(AuthHandlers.class);

    private final AccountStore accounts;
    private final Challenges challenges;
    private final Clock clock;
    private final List<String> origins;
    private final Duration clockSkew;
    private final KeyedRateLimiter registrationLimiter;
    private final AuthEvents events;
    private final DiskGuard disk;

    /** What a successful authentication leads to (login bookkeeping, directory updates). */
    public interface AuthEvents {
        /** The connection is now logged in. */
        void authenticated(ClientConnection connection);

        /** {@code username}'s identity was replaced; others must see the new one. */
        void identityReset(String username, ClientConnection resetBy);

        /** A new account exists. */
        void registered(String username);
    }

    public AuthHandlers(AccountStore accounts, Challenges challenges, Clock clock, List<String> origins,
                        Duration clockSkew, KeyedRateLimiter registrationLimiter, DiskGuard disk, AuthEvents events) {
        this.accounts = accounts;
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
        long now = clock.millis();
        disk.ensureAccepting();
        try {
            accounts.create(new Account(username, identity, frame.recoveryHash(), now, now)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UsernameConfusableException) {
                throw new FrameRefused(ErrorCode.USERNAME_CONFUSABLE,
                        "'" + username + "' looks like an existing username; choose another");
            } else if (e.getCause() instanceof StorageFullException full) {
                throw full;
            } else if (e.getCause() instanceof UsernameTakenException) {
                if (!sameKeys(accounts.find(username).orElseThrow().identity(), identity)) {
                    throw new FrameRefused(ErrorCode.USERNAME_TAKEN, "username '" + username + "' is taken");
                }
                // The same identity registering again (a retry after a lost reply): treat as success.
            } else {
                throw e;
            }
        }
        log.info("registered account={} connection={}", username, connection.id());
        connection.authenticate(username);
        // Before the reply: whoever hears of the account may send to it at once.
        events.registered(username);
        loggedIn(connection, new Registered(frame.id(), username));
    }

    public void login(ClientConnection connection, Login frame) {
        String username = validUsername(connection, frame.username());
        Account account = existing(username);
        verifySignature(connection, Login.TYPE, username, frame.origin(), frame.timestamp(), frame.signature(),
                account.identity().signingKey());
        connection.authenticate(username);
        loggedIn(connection, new LoggedIn(frame.id(), username));
    }

    public void reset(ClientConnection connection, Reset frame) {
        String username = validUsername(connection, frame.username());
        IdentityKeys identity = newIdentity(connection, Reset.TYPE, username, frame.identity(), frame.origin(),
                frame.timestamp(), frame.signature(), "resets");
        if (!recoveryCodeMatches(frame.recoveryCode(), existing(username).recoveryHash())) {
            throw new FrameRefused(ErrorCode.BAD_RECOVERY_CODE, "the recovery code does not match");
        }
        if (!accounts.replaceIdentity(username, identity, frame.recoveryHash(), clock.millis()).join()) {
            throw unknownUser(username);
        }
        log.info("identity reset account={} connection={}", username, connection.id());
        connection.authenticate(username);
        events.identityReset(username, connection);
        loggedIn(connection, new ResetDone(frame.id(), username));
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
        verifySignature(connection, action, username, origin, timestamp, signature, identity.signingKey());
        if (!registrationLimiter.tryAcquire(connection.remoteAddress())) {
            throw new FrameRefused(ErrorCode.RATE_LIMITED, "too many " + attempts + " from this address; try later");
        }
        return identity;
    }

    private void verifySignature(ClientConnection connection, String action, String username, String origin, long timestamp,
                                 byte[] signature, byte[] signingKey) {
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
        Signatures.require(signingKey, SignedBytes.auth(nonce, origin, timestamp, action, username), signature,
                "the " + action + " signature does not verify");
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

    private static boolean sameKeys(IdentityKeys a, IdentityKeys b) {
        return Arrays.equals(a.signingKey(), b.signingKey()) && Arrays.equals(a.dhKey(), b.dhKey());
    }
}
