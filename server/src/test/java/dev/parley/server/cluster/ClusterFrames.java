package dev.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.storage.Database;
import dev.parley.server.storage.OutgoingMessage;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.PreKeyFrames.OneTimeKey;
import dev.parley.wire.frames.PreKeyFrames.SignedCapabilities;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What the cluster tests do with clients and the shared database. */
final class ClusterFrames {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterFrames() {
    }

    /** The first frame {@code client} receives that matches, waiting up to {@code within} (longer than a client's own await). */
    static JsonNode awaitWithin(TestClient client, Predicate<JsonNode> match, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return client.await(match);
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within " + within + ": " + notYet.getMessage(), notYet);
                }
            }
        }
    }

    static Predicate<JsonNode> type(String type) {
        return frame -> type.equals(frame.path("type").asText());
    }

    static Predicate<JsonNode> presence(String username, boolean online) {
        return frame -> "presence".equals(frame.path("type").asText()) && username.equals(frame.path("username").asText())
                && frame.path("online").asBoolean() == online;
    }

    /** The next {@code relay_message}, acknowledged; its id is checked. */
    static JsonNode receive(TestClient client, String id) {
        JsonNode relay = client.awaitType("relay_message");
        assertEquals(id, relay.path("id").asText(), relay::toString);
        client.ack(relay);
        return relay;
    }

    /**
     * Stores a message straight into the database, as a node that died between its commit and
     * its notification would leave it: no node is told.
     */
    static void storeUnnotified(ClusterNodes nodes, String from, String to, List<Integer> devices, String id, String envelope) {
        try (Database database = nodes.openDatabase()) {
            long now = System.currentTimeMillis();
            var copies = devices.stream().map(device -> new DeviceEnvelope(device, envelope)).toList();
            var message = new OutgoingMessage(to, from, 1, id, null, copies, now, now + Duration.ofDays(1).toMillis());
            Object result = database.messages().append(message, new QueueLimits(10_000, 10_000, 1L << 30)).join();
            assertEquals("Stored", result.getClass().getSimpleName(), result::toString);
        }
    }

    /** A prekey upload: a signed prekey, a last-resort KEM key, {@code oneTime} X25519 and {@code kemOneTime} KEM one-time keys. */
    static UploadPreKeys upload(TestIdentity identity, int oneTime, int kemOneTime) {
        byte[] spk = random(32);
        var signed = new SignedKey(1, spk, identity.sign(SignedBytes.signedPreKey(1, spk)));
        List<OneTimeKey> keys = new ArrayList<>();
        List<SignedKey> kemKeys = new ArrayList<>();
        for (int i = 1; i <= oneTime; i++) {
            keys.add(new OneTimeKey(i, random(32)));
        }
        for (int i = 1; i <= kemOneTime; i++) {
            kemKeys.add(kemKey(identity, i, KemKeyKind.ONE_TIME));
        }
        return new UploadPreKeys(TestClient.nextId(), signed, kemKey(identity, 1, KemKeyKind.LAST_RESORT),
                new SignedCapabilities(0, identity.sign(SignedBytes.capabilities(0))), keys, kemKeys);
    }

    private static SignedKey kemKey(TestIdentity identity, long id, KemKeyKind kind) {
        byte[] key = random(WireLimits.KEM_KEY_BYTES);
        return new SignedKey(id, key, identity.sign(SignedBytes.kemPreKey(id, kind, key)));
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
