package dev.parley.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.gateway.Connection;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.gateway.ErrorCode;
import dev.parley.server.gateway.Frame;
import dev.parley.server.gateway.Json;
import dev.parley.server.gateway.ProtocolException;
import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.Identity;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.StorageFullException;
import dev.parley.server.storage.UsernameConfusableException;
import dev.parley.server.storage.UsernameTakenException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code register}, {@code login} and {@code reset}: each proves possession of an Ed25519
 * identity key by signing {@link AuthMessage} over the connection's single-use challenge.
 * Every attempt, successful or not, consumes the challenge; a failed attempt is answered with
 * an error and a fresh challenge.
 */
public final class AuthHandlers {

    public static final Pattern USERNAME = Pattern.compile("[a-z0-9_]{3,32}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]{1,255}");
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
        void authenticated(Connection connection);

        /** {@code username}'s identity was replaced; others must see the new one. */
        void identityReset(String username, Connection resetBy);

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

    public void register(Connection connection, Frame frame) {
        attempt(connection, frame, () -> {
            String username = username(frame);
            Identity identity = identity(frame.object("identity"));
            byte[] recoveryHash = frame.bytes("recoveryHash", RecoveryCodes.HASH_BYTES);
            verifySignature(connection, frame, "register", username, identity.signingKey());
            if (!registrationLimiter.tryAcquire(connection.remoteAddress())) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many registrations from this address; try later");
            }
            long now = clock.millis();
            disk.ensureAccepting();
            try {
                accounts.create(new Account(username, identity, recoveryHash, now, now)).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UsernameConfusableException) {
                    throw new ProtocolException(ErrorCode.USERNAME_CONFUSABLE,
                            "'" + username + "' looks like an existing username; choose another");
                } else if (e.getCause() instanceof StorageFullException full) {
                    throw full;
                } else if (e.getCause() instanceof UsernameTakenException) {
                    var existing = accounts.find(username).orElseThrow();
                    if (!existing.identity().sameKeysAs(identity)) {
                        throw new ProtocolException(ErrorCode.USERNAME_TAKEN, "username '" + username + "' is taken");
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
            connection.send(Json.reply("registered", frame.idOrNull()).put("username", username));
            events.authenticated(connection);
        });
    }

    public void login(Connection connection, Frame frame) {
        attempt(connection, frame, () -> {
            String username = username(frame);
            Account account = accounts.find(username)
                    .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_USER, "no user '" + username + "'"));
            verifySignature(connection, frame, "login", username, account.identity().signingKey());
            connection.authenticate(username);
            connection.send(Json.reply("logged_in", frame.idOrNull()).put("username", username));
            events.authenticated(connection);
        });
    }

    public void reset(Connection connection, Frame frame) {
        attempt(connection, frame, () -> {
            String username = username(frame);
            String recoveryCode = frame.string("recoveryCode", 256);
            Identity identity = identity(frame.object("identity"));
            byte[] recoveryHash = frame.bytes("recoveryHash", RecoveryCodes.HASH_BYTES);
            verifySignature(connection, frame, "reset", username, identity.signingKey());
            if (!registrationLimiter.tryAcquire(connection.remoteAddress())) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many resets from this address; try later");
            }
            Account account = accounts.find(username)
                    .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_USER, "no user '" + username + "'"));
            if (!RecoveryCodes.matches(recoveryCode, account.recoveryHash())) { // canonicalised first
                throw new ProtocolException(ErrorCode.BAD_RECOVERY_CODE, "the recovery code does not match");
            }
            if (!accounts.replaceIdentity(username, identity, recoveryHash, clock.millis()).join()) {
                throw new ProtocolException(ErrorCode.UNKNOWN_USER, "no user '" + username + "'");
            }
            log.info("identity reset account={} connection={}", username, connection.id());
            connection.authenticate(username);
            connection.send(Json.reply("reset_done", frame.idOrNull()).put("username", username));
            events.identityReset(username, connection);
            events.authenticated(connection);
        });
    }

    /**
     * Runs one auth attempt. The challenge is consumed by the attempt; if it fails, the client
     * gets the error and then a fresh challenge, in that order.
     */
    private void attempt(Connection connection, Frame frame, Runnable body) {
        if (connection.isAuthenticated()) {
            throw new ProtocolException(ErrorCode.ALREADY_AUTHENTICATED, "this connection is already logged in");
        }
        try {
            body.run();
        } catch (ProtocolException e) {
            connection.send(Json.error(e.code(), e.getMessage(), frame.idOrNull()));
            challenges.issue(connection);
        } catch (RuntimeException e) {
            log.error("auth attempt failed on connection={}", connection.id(), e);
            connection.send(Json.error(ErrorCode.INTERNAL_ERROR, "internal error", frame.idOrNull()));
            challenges.issue(connection);
        }
    }

    private void verifySignature(Connection connection, Frame frame, String action, String username, byte[] signingKey) {
        byte[] nonce = connection.takeChallenge();
        String origin = frame.string("origin", ORIGIN, "an http(s) origin");
        long timestamp = frame.longValue("timestamp", 0, Long.MAX_VALUE);
        byte[] signature = frame.bytes("signature", 64);
        if (nonce == null) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "no challenge outstanding; wait for the next challenge frame");
        }
        if (!origins.contains(origin)) {
            throw new ProtocolException(ErrorCode.BAD_ORIGIN, "origin '" + origin + "' is not this server");
        }
        if (Math.abs(clock.millis() - timestamp) > clockSkew.toMillis()) {
            throw new ProtocolException(ErrorCode.STALE_TIMESTAMP,
                    "timestamp is more than " + clockSkew.toSeconds() + " s from the server's clock");
        }
        byte[] message = AuthMessage.encode(nonce, origin, timestamp, action, username);
        if (!Signatures.verify(signingKey, message, signature)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "the " + action + " signature does not verify");
        }
    }

    private static String username(Frame frame) {
        String username = frame.string("username", 64);
        if (!USERNAME.matcher(username).matches()) {
            throw new ProtocolException(ErrorCode.INVALID_USERNAME, "a username is 3 to 32 characters of a-z 0-9 _");
        }
        return username;
    }

    /** Parses and checks a public identity, including the binding signature of CRYPTO.md §1.1. */
    public static Identity identity(Frame identity) {
        byte[] signingKey = identity.bytes("signingKey", 32);
        byte[] dhKey = identity.bytes("dhKey", 32);
        byte[] binding = identity.bytes("binding", 64);
        if (!Signatures.verifyWithContext(signingKey, Signatures.IDENTITY_LABEL, dhKey, binding)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "the identity binding signature does not verify");
        }
        return new Identity(signingKey, dhKey, binding);
    }

    /** Renders a public identity the way the directory and bundles serve it. */
    public static ObjectNode identityJson(Identity identity) {
        return Json.MAPPER.createObjectNode()
                .put("signingKey", Json.base64(identity.signingKey()))
                .put("dhKey", Json.base64(identity.dhKey()))
                .put("binding", Json.base64(identity.binding()));
    }
}
