package dev.parley.client.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.Limits;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.wire.signed.KemKeyKind;
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
            ObjectNode first = preKeys.initialUpload(now);
            assertEquals(Limits.ONE_TIME_PREKEY_BATCH, first.get("oneTimePreKeys").size());
            assertEquals(Limits.KEM_PREKEY_BATCH, first.get("kemOneTimePreKeys").size());
            long spk = first.get("signedPreKey").get("id").asLong();
            assertTrue(store.signedPreKey(spk).isPresent(), "private halves are stored before the upload");
            assertTrue(store.kemPreKey(first.get("kemLastResort").get("id").asLong(), KemKeyKind.LAST_RESORT).isPresent());

            // Not confirmed by the server yet: the next connect uploads a signed prekey again.
            assertTrue(preKeys.replenishment(100, 20, now).orElseThrow().has("signedPreKey"));
            preKeys.uploaded(preKeys.replenishment(100, 20, now).orElseThrow());
            assertEquals(Optional.empty(), preKeys.replenishment(100, 20, now + DAY));

            ObjectNode low = preKeys.replenishment(Limits.ONE_TIME_PREKEY_REFILL_BELOW - 1, 20, now + DAY).orElseThrow();
            assertEquals(Limits.ONE_TIME_PREKEY_BATCH, low.get("oneTimePreKeys").size());
            assertFalse(low.has("kemOneTimePreKeys"));
            assertFalse(low.has("signedPreKey"));
            long firstOneTimeId = low.get("oneTimePreKeys").get(0).get("id").asLong();
            assertTrue(firstOneTimeId > Limits.ONE_TIME_PREKEY_BATCH, "ids are never reused");

            ObjectNode rotated = preKeys.replenishment(100, 20, now + 8 * DAY).orElseThrow();
            assertTrue(rotated.has("signedPreKey") && rotated.has("kemLastResort") && rotated.has("capabilities"));
            preKeys.uploaded(rotated);
            preKeys.deleteRetiredSignedPreKeys(now + 8 * DAY);
            assertTrue(store.signedPreKey(spk).isPresent(), "a replaced signed prekey is kept for late messages");
            preKeys.deleteRetiredSignedPreKeys(now + 60 * DAY);
            assertFalse(store.signedPreKey(spk).isPresent(), "and deleted after the queue TTL");
            assertTrue(store.signedPreKey(rotated.get("signedPreKey").get("id").asLong()).isPresent(), "the newest stays");
        }
    }
}
