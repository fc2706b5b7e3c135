package dev.parley.client.sessions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.net.Connection;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.Limits;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.wire.signed.KemKeyKind;
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

    /**
     * Generates and stores a new signed prekey and last-resort KEM key, and returns the
     * {@code upload_prekeys} fields for them plus the capabilities.
     */
    public ObjectNode rotateSigned(ObjectNode frame, long now) {
        long id = store.reserveIds("signed_prekey", 1);
        SignedPreKey spk = SignedPreKey.generate(identity, id, randomness);
        KemPreKey lastResort = KemPreKey.generate(identity, id, KemKeyKind.LAST_RESORT, randomness);
        store.transaction(() -> {
            store.saveSignedPreKey(spk, now);
            store.saveKemPreKeys(List.of(lastResort), now);
        });
        frame.set("signedPreKey", Connection.JSON.createObjectNode().put("id", id)
                .put("key", Connection.b64(spk.keyPair().publicKey())).put("signature", Connection.b64(spk.signature())));
        frame.set("kemLastResort", kemJson(lastResort));
        Capabilities caps = capabilities();
        frame.set("capabilities", Connection.JSON.createObjectNode().put("flags", caps.flags())
                .put("signature", Connection.b64(caps.signature())));
        return frame;
    }

    /** Generates and stores {@code count} one-time X25519 prekeys and adds them to the frame. */
    public ObjectNode addOneTimePreKeys(ObjectNode frame, int count) {
        long first = store.reserveIds("one_time_prekey", count);
        List<OneTimePreKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(OneTimePreKey.generate(first + i, randomness));
        }
        store.saveOneTimePreKeys(keys);
        ArrayNode array = frame.putArray("oneTimePreKeys");
        for (OneTimePreKey key : keys) {
            array.addObject().put("id", key.id()).put("key", Connection.b64(key.keyPair().publicKey()));
        }
        return frame;
    }

    /** Generates and stores {@code count} one-time ML-KEM prekeys and adds them to the frame. */
    public ObjectNode addKemPreKeys(ObjectNode frame, int count, long now) {
        long first = store.reserveIds("kem_prekey", count);
        List<KemPreKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(KemPreKey.generate(identity, first + i, KemKeyKind.ONE_TIME, randomness));
        }
        store.saveKemPreKeys(keys, now);
        ArrayNode array = frame.putArray("kemOneTimePreKeys");
        keys.forEach(key -> array.add(kemJson(key)));
        return frame;
    }

    private static ObjectNode kemJson(KemPreKey key) {
        return Connection.JSON.createObjectNode().put("id", key.id())
                .put("key", Connection.b64(key.publicKey().key())).put("signature", Connection.b64(key.signature()));
    }

    /** The full first upload of a device: signed keys, capabilities and full one-time batches. */
    public ObjectNode initialUpload(long now) {
        ObjectNode frame = Connection.JSON.createObjectNode().put("type", "upload_prekeys");
        rotateSigned(frame, now);
        addOneTimePreKeys(frame, Limits.ONE_TIME_PREKEY_BATCH);
        addKemPreKeys(frame, Limits.KEM_PREKEY_BATCH, now);
        return frame;
    }

    /**
     * The {@code upload_prekeys} frame that tops up the server's stock, given what it has left
     * (PROTOCOL.md §5): a full batch of a kind that fell below its refill mark, and a new signed
     * prekey and last-resort KEM key when the newest is older than the rotation period or its
     * upload was never confirmed. Empty if nothing is needed. The private halves are stored
     * before this returns; call {@link #uploaded} after the server's {@code prekeys_stored}.
     */
    public Optional<ObjectNode> replenishment(int oneTimeLeft, int kemLeft, long now) {
        ObjectNode frame = Connection.JSON.createObjectNode().put("type", "upload_prekeys");
        boolean upload = false;
        Optional<ClientStore.SignedPreKeyAge> newest = store.newestSignedPreKey();
        if (newest.isEmpty() || now - newest.get().createdAt() >= Limits.SIGNED_PREKEY_ROTATION.toMillis()
                || !store.uploadedSignedPreKey().equals(Optional.of(newest.get().id()))) {
            rotateSigned(frame, now);
            upload = true;
        }
        if (oneTimeLeft < Limits.ONE_TIME_PREKEY_REFILL_BELOW) {
            addOneTimePreKeys(frame, Limits.ONE_TIME_PREKEY_BATCH);
            upload = true;
        }
        if (kemLeft < Limits.KEM_PREKEY_REFILL_BELOW) {
            addKemPreKeys(frame, Limits.KEM_PREKEY_BATCH, now);
            upload = true;
        }
        return upload ? Optional.of(frame) : Optional.empty();
    }

    /** Records that the server stored {@code frame} (an {@code upload_prekeys} built here). */
    public void uploaded(ObjectNode frame) {
        if (frame.has("signedPreKey")) {
            store.setUploadedSignedPreKey(frame.get("signedPreKey").get("id").asLong());
        }
    }

    /**
     * Deletes signed prekeys and last-resort KEM keys replaced more than {@link #RETIRED_KEPT}
     * ago (the newest is always kept): late PreKeyMessages naming them can no longer arrive once
     * the server's queue TTL has passed.
     */
    public void deleteRetiredSignedPreKeys(long now) {
        store.deleteOldSignedPreKeys(now - Limits.SIGNED_PREKEY_ROTATION.toMillis() - RETIRED_KEPT.toMillis());
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
            return store.signedPreKey(id);
        }

        @Override
        public Optional<OneTimePreKey> oneTimePreKey(long id) {
            return store.oneTimePreKey(id);
        }

        @Override
        public Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind) {
            return store.kemPreKey(id, kind);
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
            usedOneTime.forEach(store::deleteOneTimePreKey);
            usedKem.forEach(id -> store.deleteKemPreKey(id, KemKeyKind.ONE_TIME));
        }
    }
}
