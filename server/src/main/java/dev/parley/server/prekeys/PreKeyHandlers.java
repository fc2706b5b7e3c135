package dev.parley.server.prekeys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.AuthHandlers;
import dev.parley.server.auth.Signatures;
import dev.parley.server.gateway.Connection;
import dev.parley.server.gateway.ErrorCode;
import dev.parley.server.gateway.Frame;
import dev.parley.server.gateway.Json;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.gateway.ProtocolException;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.Account;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.PreKeyStore;
import dev.parley.server.storage.PreKeys;
import java.util.List;
import java.util.Optional;

/**
 * Prekey upload and bundle hand-out (docs/CRYPTO.md §1.2). The server verifies every prekey
 * signature against the uploader's identity before storing it, and hands each one-time key out
 * exactly once.
 *
 * <p>Nobody can drain another user's one-time keys: bundle fetches are limited per requesting
 * account ({@code --bundles-per-minute}), and the one-time keys handed out are limited per
 * target account ({@code --one-time-prekeys-per-target}, per hour, whoever asks), as
 * Signal-Server does. Past the target's allowance a bundle still comes, with the signed prekey
 * and the last-resort KEM key only, so session setup keeps working (PQXDH without one-time keys,
 * docs/CRYPTO.md §1.2); the owner's stock is left for later first contacts.
 */
public final class PreKeyHandlers {

    /** X25519 public key size. */
    static final int X25519_KEY = 32;
    /** ML-KEM-768 encapsulation key size (FIPS 203). */
    static final int KEM_KEY = 1184;
    /** One-time keys per upload frame; 100 X25519 keys are ~6 KiB of JSON, 20 KEM keys ~34 KiB. */
    static final int MAX_ONE_TIME_PER_UPLOAD = 100;
    static final int MAX_KEM_ONE_TIME_PER_UPLOAD = 20;
    /** Stock per account: enough for many first contacts, bounded so storage is too. */
    static final int MAX_ONE_TIME_STOCK = 1000;
    static final int MAX_KEM_ONE_TIME_STOCK = 200;
    /** Below these the owner is told (if online) to upload more. */
    static final int LOW_ONE_TIME = 20;
    static final int LOW_KEM_ONE_TIME = 5;
    private static final long MAX_KEY_ID = 0xFFFF_FFFEL;

    private final AccountStore accounts;
    private final PreKeyStore preKeys;
    private final OnlineUsers online;
    private final KeyedRateLimiter bundleLimiter;
    private final KeyedRateLimiter oneTimeAllowance;
    private final DiskGuard disk;

    /**
     * @param bundleLimiter    bundle fetches per requesting account
     * @param oneTimeAllowance bundles with one-time keys per target account
     * @param disk             uploads are refused with {@code storage_full} while it refuses
     */
    public PreKeyHandlers(AccountStore accounts, PreKeyStore preKeys, OnlineUsers online, KeyedRateLimiter bundleLimiter,
                          KeyedRateLimiter oneTimeAllowance, DiskGuard disk) {
        this.accounts = accounts;
        this.preKeys = preKeys;
        this.online = online;
        this.bundleLimiter = bundleLimiter;
        this.oneTimeAllowance = oneTimeAllowance;
        this.disk = disk;
    }

    public void upload(Connection connection, Frame frame) {
        String username = connection.username();
        Account account = accounts.find(username)
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_USER, "account no longer exists"));
        byte[] signingKey = account.identity().signingKey();

        PreKeys.Signed signed = frame.has("signedPreKey") ? signedPreKey(frame.object("signedPreKey"), signingKey) : null;
        PreKeys.Signed lastResort = frame.has("kemLastResort")
                ? kemPreKey(frame.object("kemLastResort"), Signatures.KEM_LAST_RESORT, signingKey) : null;
        PreKeys.Capabilities capabilities = frame.has("capabilities") ? capabilities(frame.object("capabilities"), signingKey) : null;
        List<PreKeys.OneTime> oneTime = frame.list("oneTimePreKeys", MAX_ONE_TIME_PER_UPLOAD,
                key -> new PreKeys.OneTime(key.longValue("id", 0, MAX_KEY_ID), key.bytes("key", X25519_KEY)));
        List<PreKeys.Signed> kemOneTime = frame.list("kemOneTimePreKeys", MAX_KEM_ONE_TIME_PER_UPLOAD,
                key -> kemPreKey(key, Signatures.KEM_ONE_TIME, signingKey));

        disk.ensureAccepting();
        PreKeys.Counts before = preKeys.counts(username);
        if (before.oneTimePreKeys() + oneTime.size() > MAX_ONE_TIME_STOCK
                || before.kemOneTimePreKeys() + kemOneTime.size() > MAX_KEM_ONE_TIME_STOCK) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "one-time prekey stock would exceed "
                    + MAX_ONE_TIME_STOCK + " X25519 / " + MAX_KEM_ONE_TIME_STOCK + " ML-KEM keys");
        }
        preKeys.store(username, new PreKeys.Upload(signed, lastResort, capabilities, oneTime, kemOneTime)).join();
        connection.send(counts(Json.reply("prekeys_stored", frame.idOrNull()), preKeys.counts(username)));
    }

    public void count(Connection connection, Frame frame) {
        connection.send(counts(Json.reply("prekey_count", frame.idOrNull()), preKeys.counts(connection.username())));
    }

    public void bundle(Connection connection, Frame frame) {
        String target = frame.string("username", 64);
        if (!bundleLimiter.tryAcquire(connection.username())) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many prekey bundle requests; try later");
        }
        if (accounts.find(target).isEmpty()) {
            throw new ProtocolException(ErrorCode.UNKNOWN_USER, "no user '" + target + "'");
        }
        Optional<PreKeys.Bundle> bundle = preKeys.takeBundle(target, oneTimeAllowance.tryAcquire(target)).join();
        if (bundle.isEmpty()) {
            throw new ProtocolException(ErrorCode.NO_PREKEYS, "'" + target + "' has not published prekeys yet");
        }
        ObjectNode reply = Json.reply("prekey_bundle", frame.idOrNull()).put("username", target);
        reply.set("bundle", bundleJson(bundle.get()));
        connection.send(reply);
        warnOwnerIfLow(target);
    }

    private void warnOwnerIfLow(String owner) {
        Connection ownerConnection = online.get(owner);
        if (ownerConnection == null) {
            return;
        }
        PreKeys.Counts counts = preKeys.counts(owner);
        if (counts.oneTimePreKeys() < LOW_ONE_TIME || counts.kemOneTimePreKeys() < LOW_KEM_ONE_TIME) {
            ownerConnection.send(counts(Json.frame("prekeys_low"), counts));
        }
    }

    private static ObjectNode counts(ObjectNode frame, PreKeys.Counts counts) {
        return frame.put("oneTimePreKeys", counts.oneTimePreKeys()).put("kemOneTimePreKeys", counts.kemOneTimePreKeys());
    }

    private static PreKeys.Signed signedPreKey(Frame key, byte[] signingKey) {
        long id = key.longValue("id", 0, MAX_KEY_ID);
        byte[] publicKey = key.bytes("key", X25519_KEY);
        byte[] signature = key.bytes("signature", 64);
        if (!Signatures.verifyWithContext(signingKey, Signatures.SIGNED_PREKEY_LABEL,
                Signatures.signedPreKeyData(id, publicKey), signature)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "signed prekey " + id + ": signature does not verify");
        }
        return new PreKeys.Signed(id, publicKey, signature);
    }

    private static PreKeys.Signed kemPreKey(Frame key, byte kind, byte[] signingKey) {
        long id = key.longValue("id", 0, MAX_KEY_ID);
        byte[] publicKey = key.bytes("key", KEM_KEY);
        byte[] signature = key.bytes("signature", 64);
        if (!Signatures.verifyWithContext(signingKey, Signatures.KEM_PREKEY_LABEL,
                Signatures.kemPreKeyData(id, kind, publicKey), signature)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "KEM prekey " + id + ": signature does not verify");
        }
        return new PreKeys.Signed(id, publicKey, signature);
    }

    private static PreKeys.Capabilities capabilities(Frame capabilities, byte[] signingKey) {
        int flags = (int) capabilities.longValue("flags", 0, 255);
        byte[] signature = capabilities.bytes("signature", 64);
        if (!Signatures.verifyWithContext(signingKey, Signatures.CAPABILITIES_LABEL, new byte[] {(byte) flags}, signature)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "capabilities signature does not verify");
        }
        return new PreKeys.Capabilities(flags, signature);
    }

    private static ObjectNode bundleJson(PreKeys.Bundle bundle) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("identity", AuthHandlers.identityJson(bundle.identity()));
        if (bundle.capabilities() != null) {
            json.putObject("capabilities").put("flags", bundle.capabilities().flags())
                    .put("signature", Json.base64(bundle.capabilities().signature()));
        }
        json.set("signedPreKey", signedJson(bundle.signedPreKey()));
        if (bundle.oneTimePreKey() != null) {
            json.putObject("oneTimePreKey").put("id", bundle.oneTimePreKey().id())
                    .put("key", Json.base64(bundle.oneTimePreKey().publicKey()));
        }
        json.set("kemPreKey", signedJson(bundle.kemPreKey()).put("kind", bundle.kemOneTime() ? "one-time" : "last-resort"));
        return json;
    }

    private static ObjectNode signedJson(PreKeys.Signed key) {
        return Json.MAPPER.createObjectNode().put("id", key.id()).put("key", Json.base64(key.publicKey()))
                .put("signature", Json.base64(key.signature()));
    }
}
