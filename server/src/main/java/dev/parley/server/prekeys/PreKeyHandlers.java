package dev.parley.server.prekeys;

import dev.parley.server.auth.Signatures;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.limits.KeyedRateLimiter;
import dev.parley.server.storage.AccountStore;
import dev.parley.server.storage.DeviceStore;
import dev.parley.server.storage.DiskGuard;
import dev.parley.server.storage.PreKeyStore;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.PreKeyBundleReply;
import dev.parley.wire.frames.PreKeyFrames.PreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.PreKeysLow;
import dev.parley.wire.frames.PreKeyFrames.PreKeysStored;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.SignedBytes;
import java.util.Optional;

/**
 * Prekey upload and bundle hand-out per device (docs/CRYPTO.md §1.2): a connection uploads for
 * its own device; a bundle is fetched for one device that the target's signed list names. The server verifies every prekey
 * signature against the uploader's identity before storing it, and hands each one-time key out
 * exactly once.
 *
 * <p>Nobody can drain another user's one-time keys: bundle fetches are limited per requesting
 * account ({@code --bundles-per-minute}), and the one-time keys handed out are limited per
 * target device ({@code --one-time-prekeys-per-target}, per hour, whoever asks), as
 * Signal-Server does. Past the target's allowance a bundle still comes, with the signed prekey
 * and the last-resort KEM key only, so session setup keeps working (PQXDH without one-time keys,
 * docs/CRYPTO.md §1.2); the owner's stock is left for later first contacts.
 *
 * <p>A device whose one-time stock runs low is told ({@code prekeys_low}) after a bundle took
 * from it, on whichever node holds its connection.
 */
public final class PreKeyHandlers {

    private final AccountStore accounts;
    private final DeviceStore devices;
    private final PreKeyStore preKeys;
    private final Cluster cluster;
    private final KeyedRateLimiter bundleLimiter;
    private final KeyedRateLimiter oneTimeAllowance;
    private final DiskGuard disk;

    /**
     * @param bundleLimiter    bundle fetches per requesting account
     * @param oneTimeAllowance bundles with one-time keys per target device
     * @param disk             uploads are refused with {@code storage_full} while it refuses
     */
    public PreKeyHandlers(AccountStore accounts, DeviceStore devices, PreKeyStore preKeys, Cluster cluster,
                          KeyedRateLimiter bundleLimiter, KeyedRateLimiter oneTimeAllowance, DiskGuard disk) {
        this.accounts = accounts;
        this.devices = devices;
        this.preKeys = preKeys;
        this.cluster = cluster;
        this.bundleLimiter = bundleLimiter;
        this.oneTimeAllowance = oneTimeAllowance;
        this.disk = disk;
    }

    public void upload(ClientConnection connection, UploadPreKeys upload) {
        String username = connection.username();
        int device = connection.device();
        byte[] signingKey = accounts.find(username)
                .orElseThrow(() -> new FrameRefused(ErrorCode.UNKNOWN_USER, "account no longer exists"))
                .identity().signingKey();
        if (upload.signedPreKey() != null) {
            SignedKey key = upload.signedPreKey();
            Signatures.require(signingKey, SignedBytes.signedPreKey(key.id(), key.key()), key.signature(),
                    "signed prekey " + key.id() + ": signature does not verify");
        }
        if (upload.kemLastResort() != null) {
            requireKemSignature(upload.kemLastResort(), KemKeyKind.LAST_RESORT, signingKey);
        }
        if (upload.capabilities() != null) {
            Signatures.require(signingKey, SignedBytes.capabilities(upload.capabilities().flags()),
                    upload.capabilities().signature(), "capabilities signature does not verify");
        }
        for (SignedKey key : upload.kemOneTimePreKeys()) {
            requireKemSignature(key, KemKeyKind.ONE_TIME, signingKey);
        }

        disk.ensureAccepting();
        PreKeyStore.Counts before = preKeys.counts(username, device);
        if (before.oneTimePreKeys() + upload.oneTimePreKeys().size() > WireLimits.MAX_ONE_TIME_STOCK
                || before.kemOneTimePreKeys() + upload.kemOneTimePreKeys().size() > WireLimits.MAX_KEM_ONE_TIME_STOCK) {
            throw new FrameRefused(ErrorCode.BAD_FRAME, "one-time prekey stock would exceed "
                    + WireLimits.MAX_ONE_TIME_STOCK + " X25519 / " + WireLimits.MAX_KEM_ONE_TIME_STOCK + " ML-KEM keys");
        }
        preKeys.store(username, device, upload).join();
        PreKeyStore.Counts after = preKeys.counts(username, device);
        connection.send(new PreKeysStored(upload.id(), after.oneTimePreKeys(), after.kemOneTimePreKeys()));
    }

    public void count(ClientConnection connection, GetPreKeyCount request) {
        PreKeyStore.Counts counts = preKeys.counts(connection.username(), connection.device());
        connection.send(new PreKeyCount(request.id(), counts.oneTimePreKeys(), counts.kemOneTimePreKeys()));
    }

    public void bundle(ClientConnection connection, GetPreKeyBundle request) {
        String target = request.username();
        int device = request.device();
        if (!bundleLimiter.tryAcquire(connection.username())) {
            throw new FrameRefused(ErrorCode.RATE_LIMITED, "too many prekey bundle requests; try later");
        }
        if (accounts.find(target).isEmpty()) {
            throw new FrameRefused(ErrorCode.UNKNOWN_USER, "no user '" + target + "'");
        }
        boolean listed = devices.list(target).map(stored -> stored.list().device(device) != null).orElse(false);
        if (!listed) {
            throw new FrameRefused(ErrorCode.UNKNOWN_DEVICE, "'" + target + "' has no device " + device + " in its device list");
        }
        // The one-time allowance is per target device: each device has its own stock.
        boolean oneTime = oneTimeAllowance.tryAcquire(target + "/" + device);
        Optional<BundleKeys> bundle = preKeys.takeBundle(target, device, oneTime).join();
        if (bundle.isEmpty()) {
            throw new FrameRefused(ErrorCode.NO_PREKEYS, "device " + device + " of '" + target + "' has not published prekeys yet");
        }
        connection.send(new PreKeyBundleReply(request.id(), target, bundle.get()));
        warnOwnerIfLow(target, device);
    }

    private void warnOwnerIfLow(String owner, int device) {
        cluster.sendToDevice(owner, device, () -> {
            PreKeyStore.Counts counts = preKeys.counts(owner, device);
            boolean low = counts.oneTimePreKeys() < WireLimits.LOW_ONE_TIME || counts.kemOneTimePreKeys() < WireLimits.LOW_KEM_ONE_TIME;
            return low ? new PreKeysLow(counts.oneTimePreKeys(), counts.kemOneTimePreKeys()) : null;
        });
    }

    private static void requireKemSignature(SignedKey key, KemKeyKind kind, byte[] signingKey) {
        Signatures.require(signingKey, SignedBytes.kemPreKey(key.id(), kind, key.key()), key.signature(),
                "KEM prekey " + key.id() + ": signature does not verify");
    }
}
