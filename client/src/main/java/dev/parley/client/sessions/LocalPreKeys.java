package dev.parley.client.sessions;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.LocalKeyStore;
import dev.parley.protocol.Limits;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.wire.frames.PreKeyFrames.OneTimeKey;
import dev.parley.wire.frames.PreKeyFrames.SignedCapabilities;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This device's private prekeys: generation (persisted before the public halves are uploaded),
 * the {@code upload_prekeys} frame (PROTOCOL.md §5), and the {@link PrivatePreKeys} view the
 * responder reads during a handshake.
 */
public final class LocalPreKeys {

    /** Parley clients publish flags 0: no X3DH consent (CRYPTO.md §2.4). */
    public static final int CAPABILITY_FLAGS = 0;

    /** How long a replaced signed prekey is kept: the server's queue TTL (PROTOCOL.md §6). */
    public static final java.time.Duration RETIRED_KEPT = java.time.Duration.ofDays(30);

    private final ClientStore store;
    private final IdentityKeyPair identity;
    private final Randomness randomness;

    public LocalPreKeys(ClientStore store, IdentityKeyPair identity, Randomness randomness) {
        this.store = store;
        this.identity = identity;
        this.randomness = randomness;
    }

    public Capabilities capabilities() {
        return Capabilities.sign(identity, CAPABILITY_FLAGS);
    }

    /** The signed parts of an upload: a new signed prekey, a last-resort KEM key and the capabilities. */
    private record SignedParts(SignedKey signedPreKey, SignedKey kemLastResort, SignedCapabilities capabilities) {
        static final SignedParts NONE = new SignedParts(null, null, null);
    }

    /** Generates and stores a new signed prekey and last-resort KEM key; returns their public halves and the capabilities. */
    private SignedParts rotateSigned(long now) {
        long id = store.keys.reserveIds("signed_prekey", 1);
        SignedPreKey spk = SignedPreKey.generate(identity, id, randomness);
        KemPreKey lastResort = KemPreKey.generate(identity, id, KemKeyKind.LAST_RESORT, randomness);
        store.transaction(() -> {
            store.keys.saveSignedPreKey(spk, now);
            store.keys.saveKemPreKeys(List.of(lastResort), now);
        });
        Capabilities caps = capabilities();
        return new SignedParts(new SignedKey(id, spk.keyPair().publicKey(), spk.signature()), kemKey(lastResort),
                new SignedCapabilities(caps.flags(), caps.signature()));
    }

    /** Generates and stores {@code count} one-time X25519 prekeys; returns their public halves. */
    private List<OneTimeKey> oneTimePreKeys(int count) {
        long first = store.keys.reserveIds("one_time_prekey", count);
        List<OneTimePreKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(OneTimePreKey.generate(first + i, randomness));
        }
        store.keys.saveOneTimePreKeys(keys);
        return keys.stream().map(key -> new OneTimeKey(key.id(), key.keyPair().publicKey())).toList();
    }

    /** Generates and stores {@code count} one-time ML-KEM prekeys; returns their public halves. */
    private List<SignedKey> kemPreKeys(int count, long now) {
        long first = store.keys.reserveIds("kem_prekey", count);
        List<KemPreKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(KemPreKey.generate(identity, first + i, KemKeyKind.ONE_TIME, randomness));
        }
        store.keys.saveKemPreKeys(keys, now);
        return keys.stream().map(LocalPreKeys::kemKey).toList();
    }

    private static SignedKey kemKey(KemPreKey key) {
        return new SignedKey(key.id(), key.publicKey().key(), key.signature());
    }

    /** The full first upload of a device ({@code requestId} its id): signed keys, capabilities and full one-time batches. */
    public UploadPreKeys initialUpload(String requestId, long now) {
        return upload(requestId, rotateSigned(now), oneTimePreKeys(Limits.ONE_TIME_PREKEY_BATCH),
                kemPreKeys(Limits.KEM_PREKEY_BATCH, now));
    }

    /**
     * The {@code upload_prekeys} request that tops up the server's stock, given what it has left
     * (PROTOCOL.md §5): a full batch of a kind that fell below its refill mark, and a new signed
     * prekey and last-resort KEM key when the newest is older than the rotation period or its
     * upload was never confirmed. Empty if nothing is needed. The private halves are stored
     * before this returns; call {@link #uploaded} after the server's {@code prekeys_stored}.
     */
    public Optional<UploadPreKeys> replenishment(String requestId, int oneTimeLeft, int kemLeft, long now) {
        Optional<LocalKeyStore.SignedPreKeyAge> newest = store.keys.newestSignedPreKey();
        boolean rotate = newest.isEmpty() || now - newest.get().createdAt() >= Limits.SIGNED_PREKEY_ROTATION.toMillis()
                || !store.keys.uploadedSignedPreKey().equals(Optional.of(newest.get().id()));
        boolean oneTime = oneTimeLeft < Limits.ONE_TIME_PREKEY_REFILL_BELOW;
        boolean kem = kemLeft < Limits.KEM_PREKEY_REFILL_BELOW;
        if (!rotate && !oneTime && !kem) {
            return Optional.empty();
        }
        return Optional.of(upload(requestId, rotate ? rotateSigned(now) : SignedParts.NONE,
                oneTime ? oneTimePreKeys(Limits.ONE_TIME_PREKEY_BATCH) : List.of(),
                kem ? kemPreKeys(Limits.KEM_PREKEY_BATCH, now) : List.of()));
    }

    private static UploadPreKeys upload(String requestId, SignedParts signed, List<OneTimeKey> oneTime, List<SignedKey> kem) {
        return new UploadPreKeys(requestId, signed.signedPreKey(), signed.kemLastResort(), signed.capabilities(), oneTime, kem);
    }

    /** Records that the server stored {@code upload} (built here). */
    public void uploaded(UploadPreKeys upload) {
        if (upload.signedPreKey() != null) {
            store.keys.setUploadedSignedPreKey(upload.signedPreKey().id());
        }
    }

    /**
     * Deletes signed prekeys and last-resort KEM keys replaced more than {@link #RETIRED_KEPT}
     * ago (the newest is always kept): late PreKeyMessages naming them can no longer arrive once
     * the server's queue TTL has passed.
     */
    public void deleteRetiredSignedPreKeys(long now) {
        store.keys.deleteOldSignedPreKeys(now - Limits.SIGNED_PREKEY_ROTATION.toMillis() - RETIRED_KEPT.toMillis());
    }

    /**
     * A {@link PrivatePreKeys} for one decryption: lookups read the store; consumptions are only
     * recorded, and {@link Handshake#commit} deletes them inside the transaction that stores
     * the new session, so that a crash cannot consume a prekey without keeping the session.
     */
    public Handshake forDecryption() {
        return new Handshake();
    }

    public final class Handshake implements PrivatePreKeys {
        private final List<Long> usedOneTime = new ArrayList<>();
        private final List<Long> usedKem = new ArrayList<>();

        @Override
        public Optional<SignedPreKey> signedPreKey(long id) {
            return store.keys.signedPreKey(id);
        }

        @Override
        public Optional<OneTimePreKey> oneTimePreKey(long id) {
            return store.keys.oneTimePreKey(id);
        }

        @Override
        public Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind) {
            return store.keys.kemPreKey(id, kind);
        }

        @Override
        public void consumeOneTimePreKey(long id) {
            usedOneTime.add(id);
        }

        @Override
        public void consumeOneTimeKemPreKey(long id) {
            usedKem.add(id);
        }

        /** Deletes the prekeys the handshake used; call inside the transaction that stores the session. */
        public void commit() {
            usedOneTime.forEach(store.keys::deleteOneTimePreKey);
            usedKem.forEach(id -> store.keys.deleteKemPreKey(id, KemKeyKind.ONE_TIME));
        }
    }
}
