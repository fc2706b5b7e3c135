package dev.parley.server.prekeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.PreKeyFrames.OneTimeKey;
import dev.parley.wire.frames.PreKeyFrames.SignedCapabilities;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;

class PreKeyTest extends LiveServerTest {

    static final SecureRandom RANDOM = new SecureRandom();

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** An upload with a signed prekey, a last-resort KEM key, and {@code oneTime} one-time keys. */
    static UploadPreKeys upload(TestIdentity identity, int firstId, int oneTime, int kemOneTime) {
        return upload(identity, firstId, oneTime, kemOneTime, false);
    }

    /** The same; with {@code forged} the signed prekey's signature is over another key, so it does not verify. */
    static UploadPreKeys upload(TestIdentity identity, int firstId, int oneTime, int kemOneTime, boolean forged) {
        byte[] spk = random(32);
        byte[] signedOver = forged ? random(32) : spk;
        var signed = new SignedKey(1, spk, identity.sign(SignedBytes.signedPreKey(1, signedOver)));
        var lastResort = kemKey(identity, 1, KemKeyKind.LAST_RESORT);
        var capabilities = new SignedCapabilities(0, identity.sign(SignedBytes.capabilities(0)));
        List<OneTimeKey> keys = new ArrayList<>();
        List<SignedKey> kemKeys = new ArrayList<>();
        for (int i = 0; i < oneTime; i++) {
            keys.add(new OneTimeKey(firstId + i, random(32)));
        }
        for (int i = 0; i < kemOneTime; i++) {
            kemKeys.add(kemKey(identity, firstId + i, KemKeyKind.ONE_TIME));
        }
        return new UploadPreKeys(TestClient.nextId(), signed, lastResort, capabilities, keys, kemKeys);
    }

    private static SignedKey kemKey(TestIdentity identity, long id, KemKeyKind kind) {
        byte[] key = random(WireLimits.KEM_KEY_BYTES);
        return new SignedKey(id, key, identity.sign(SignedBytes.kemPreKey(id, kind, key)));
    }

    @Test
    void oneTimePreKeysAreHandedOutExactlyOnceUnderConcurrentFetches() throws Exception {
        try (var owner = TestClient.registered(server, "pk_owner")) {
            JsonNode stored = owner.request(upload(owner.identity(), 1000, 50, 10));
            assertEquals("prekeys_stored", stored.path("type").asText(), stored::toString);
            assertEquals(50, stored.path("oneTimePreKeys").asInt());
        }
        int fetchers = 8;
        int perFetcher = 10; // 80 fetches for 50 one-time keys
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < fetchers; i++) {
            clients.add(TestClient.registered(server, "pk_fetch" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(fetchers);
        try {
            List<Future<List<JsonNode>>> results = new ArrayList<>();
            for (TestClient client : clients) {
                Callable<List<JsonNode>> task = () -> {
                    List<JsonNode> bundles = new ArrayList<>();
                    for (int j = 0; j < perFetcher; j++) {
                        bundles.add(client.request(new GetPreKeyBundle(TestClient.nextId(), "pk_owner", 1)));
                    }
                    return bundles;
                };
                results.add(pool.submit(task));
            }
            Set<Long> oneTimeIds = new HashSet<>();
            Set<Long> kemIds = new HashSet<>();
            int withOneTime = 0;
            int withKemOneTime = 0;
            int total = 0;
            for (Future<List<JsonNode>> result : results) {
                for (JsonNode reply : result.get()) {
                    assertEquals("prekey_bundle", reply.path("type").asText(), reply::toString);
                    total++;
                    JsonNode bundle = reply.path("bundle");
                    if (bundle.has("oneTimePreKey")) {
                        withOneTime++;
                        assertTrue(oneTimeIds.add(bundle.path("oneTimePreKey").path("id").asLong()), "one-time key handed out twice");
                    }
                    JsonNode kem = bundle.path("kemPreKey");
                    if (kem.path("kind").asText().equals("one-time")) {
                        withKemOneTime++;
                        assertTrue(kemIds.add(kem.path("id").asLong()), "KEM one-time key handed out twice");
                    } else {
                        assertEquals("last-resort", kem.path("kind").asText());
                    }
                }
            }
            assertEquals(fetchers * perFetcher, total);
            assertEquals(50, withOneTime, "every one-time key handed out, none twice");
            assertEquals(10, withKemOneTime);
        } finally {
            pool.shutdownNow();
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void aBadPreKeySignatureIsRefusedAndNothingIsStored() {
        try (var owner = TestClient.registered(server, "pk_badsig")) {
            JsonNode reply = owner.request(upload(owner.identity(), 1, 3, 0, true));
            assertEquals("bad_signature", reply.path("code").asText(), reply::toString);
            JsonNode count = owner.request(new GetPreKeyCount(TestClient.nextId()));
            assertEquals(0, count.path("oneTimePreKeys").asInt());
        }
    }

    @Test
    void aUserWithoutPreKeysAnswersNoPreKeys() {
        TestClient.registered(server, "pk_none").close();
        try (var asker = TestClient.registered(server, "pk_asker")) {
            JsonNode reply = asker.request(new GetPreKeyBundle(TestClient.nextId(), "pk_none", 1));
            assertEquals("no_prekeys", reply.path("code").asText());
        }
    }

    @Test
    void bundleFetchesAreRateLimitedPerRequester() {
        try (var limited = TestServer.start(TestServer.testLimits().withBundlesPerMinute(3))) {
            try (var owner = TestClient.registered(limited, "rl_owner")) {
                owner.request(upload(owner.identity(), 1, 10, 0));
            }
            try (var asker = TestClient.registered(limited, "rl_asker")) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("prekey_bundle", asker.request(new GetPreKeyBundle(TestClient.nextId(), "rl_owner", 1)).path("type").asText());
                }
                JsonNode refused = asker.request(new GetPreKeyBundle(TestClient.nextId(), "rl_owner", 1));
                assertEquals("rate_limited", refused.path("code").asText());
            }
        }
    }
}
