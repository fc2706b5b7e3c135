package dev.parley.client.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.ClientStore;
import dev.parley.protocol.Limits;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPreKeysTest {

    private static final Randomness RANDOM = Randomness.from(new SecureRandom());
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void replenishesWhatRunsLowAndRotatesSignedKeys() {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        try (ClientStore store = ClientStore.open(dir)) {
            var preKeys = new LocalPreKeys(store, identity, RANDOM);
            long now = 1_000 * DAY;
            UploadPreKeys first = preKeys.initialUpload("q1", now);
            assertEquals(Limits.ONE_TIME_PREKEY_BATCH, first.oneTimePreKeys().size());
            assertEquals(Limits.KEM_PREKEY_BATCH, first.kemOneTimePreKeys().size());
            long spk = first.signedPreKey().id();
            assertTrue(store.keys.signedPreKey(spk).isPresent(), "private halves are stored before the upload");
            assertTrue(store.keys.kemPreKey(first.kemLastResort().id(), KemKeyKind.LAST_RESORT).isPresent());

            // Not confirmed by the server yet: the next connect uploads a signed prekey again.
            assertTrue(preKeys.replenishment("q2", 100, 20, now).orElseThrow().signedPreKey() != null);
            preKeys.uploaded(preKeys.replenishment("q3", 100, 20, now).orElseThrow());
            assertEquals(Optional.empty(), preKeys.replenishment("q4", 100, 20, now + DAY));

            UploadPreKeys low = preKeys.replenishment("q5", Limits.ONE_TIME_PREKEY_REFILL_BELOW - 1, 20, now + DAY).orElseThrow();
            assertEquals(Limits.ONE_TIME_PREKEY_BATCH, low.oneTimePreKeys().size());
            assertTrue(low.kemOneTimePreKeys().isEmpty());
            assertEquals(null, low.signedPreKey());
            long firstOneTimeId = low.oneTimePreKeys().getFirst().id();
            assertTrue(firstOneTimeId > Limits.ONE_TIME_PREKEY_BATCH, "ids are never reused");

            UploadPreKeys rotated = preKeys.replenishment("q6", 100, 20, now + 8 * DAY).orElseThrow();
            assertTrue(rotated.signedPreKey() != null && rotated.kemLastResort() != null && rotated.capabilities() != null);
            preKeys.uploaded(rotated);
            preKeys.deleteRetiredSignedPreKeys(now + 8 * DAY);
            assertTrue(store.keys.signedPreKey(spk).isPresent(), "a replaced signed prekey is kept for late messages");
            preKeys.deleteRetiredSignedPreKeys(now + 60 * DAY);
            assertFalse(store.keys.signedPreKey(spk).isPresent(), "and deleted after the queue TTL");
            assertTrue(store.keys.signedPreKey(rotated.signedPreKey().id()).isPresent(), "the newest stays");
        }
    }
}
