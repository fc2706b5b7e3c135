package dev.parley.client.store;

import dev.parley.protocol.keys.KemPreKey;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.protocol.keys.X25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The private halves of this device's prekeys (signed, one-time X25519, ML-KEM) and the
 * counters their ids come from. Part of {@link ClientStore}: each method is one statement or
 * one transaction of it.
 */
public final class LocalKeyStore {

    private final ClientStore store;

    LocalKeyStore(ClientStore store) {
        this.store = store;
    }

    /** Reserves {@code count} consecutive ids from the counter {@code name} (starting at 1). */
    public long reserveIds(String name, int count) {
        long[] first = new long[1];
        store.transaction(() -> {
            first[0] = store.metaLong("next_" + name).orElse(1L);
            long next = first[0] + count;
            if (next > 0xFFFF_FFFEL) {
                next = 1; // ids wrap within 0 .. 2^32-2 (PROTOCOL.md §5); old ones are long consumed
            }
            store.putMeta("next_" + name, Long.toString(next).getBytes(StandardCharsets.UTF_8));
        });
        return first[0];
    }

    public void saveSignedPreKey(SignedPreKey key, long createdAt) {
        store.update("INSERT OR REPLACE INTO signed_prekeys(id, private_key, signature, created_at) VALUES (?,?,?,?)",
                key.id(), key.keyPair().privateKey(), key.signature(), createdAt);
    }

    public Optional<SignedPreKey> signedPreKey(long id) {
        return store.query("SELECT private_key, signature FROM signed_prekeys WHERE id = ?", List.of(id),
                rs -> new SignedPreKey(id, X25519KeyPair.fromPrivateKey(rs.getBytes(1)), rs.getBytes(2))).stream().findFirst();
    }

    /** The newest signed prekey's id and creation time. */
    public record SignedPreKeyAge(long id, long createdAt) {}

    public Optional<SignedPreKeyAge> newestSignedPreKey() {
        return store.query("SELECT id, created_at FROM signed_prekeys ORDER BY created_at DESC, id DESC LIMIT 1", List.of(),
                rs -> new SignedPreKeyAge(rs.getLong(1), rs.getLong(2))).stream().findFirst();
    }

    /** The id of the signed prekey the server last confirmed storing. */
    public Optional<Long> uploadedSignedPreKey() {
        return store.metaLong("uploaded_signed_prekey");
    }

    public void setUploadedSignedPreKey(long id) {
        store.putMeta("uploaded_signed_prekey", Long.toString(id).getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes signed prekeys (and last-resort KEM keys) created before {@code cutoff}, except the newest. */
    public void deleteOldSignedPreKeys(long cutoff) {
        store.transaction(() -> {
            store.update("DELETE FROM signed_prekeys WHERE created_at < ? AND id <> (SELECT id FROM signed_prekeys ORDER BY created_at DESC, id DESC LIMIT 1)", cutoff);
            store.update("DELETE FROM kem_prekeys WHERE kind = ? AND created_at < ? AND id <> (SELECT id FROM kem_prekeys WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT 1)",
                    (int) KemKeyKind.LAST_RESORT.signedByte(), cutoff, (int) KemKeyKind.LAST_RESORT.signedByte());
        });
    }

    public void saveOneTimePreKeys(List<OneTimePreKey> keys) {
        store.transaction(() -> {
            for (OneTimePreKey key : keys) {
                store.update("INSERT OR REPLACE INTO one_time_prekeys(id, private_key) VALUES (?,?)", key.id(), key.keyPair().privateKey());
            }
        });
    }

    public Optional<OneTimePreKey> oneTimePreKey(long id) {
        return store.query("SELECT private_key FROM one_time_prekeys WHERE id = ?", List.of(id),
                rs -> new OneTimePreKey(id, X25519KeyPair.fromPrivateKey(rs.getBytes(1)))).stream().findFirst();
    }

    public void deleteOneTimePreKey(long id) {
        store.update("DELETE FROM one_time_prekeys WHERE id = ?", id);
    }

    public void saveKemPreKeys(List<KemPreKey> keys, long createdAt) {
        store.transaction(() -> {
            for (KemPreKey key : keys) {
                store.update("INSERT OR REPLACE INTO kem_prekeys(id, kind, seed, signature, created_at) VALUES (?,?,?,?,?)",
                        key.id(), (int) key.kind().signedByte(), key.seed(), key.signature(), createdAt);
            }
        });
    }

    public Optional<KemPreKey> kemPreKey(long id, KemKeyKind kind) {
        return store.query("SELECT seed, signature FROM kem_prekeys WHERE id = ? AND kind = ?", List.of(id, (int) kind.signedByte()),
                rs -> new KemPreKey(id, kind, rs.getBytes(1), rs.getBytes(2))).stream().findFirst();
    }

    public void deleteKemPreKey(long id, KemKeyKind kind) {
        store.update("DELETE FROM kem_prekeys WHERE id = ? AND kind = ?", id, (int) kind.signedByte());
    }
}
