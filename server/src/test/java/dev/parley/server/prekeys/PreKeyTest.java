package dev.parley.server.prekeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.auth.Signatures;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PreKeyTest {

    static TestServer server;
    static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** An upload with a signed prekey, a last-resort KEM key, and {@code oneTime} one-time keys. */
    static ObjectNode upload(TestIdentity identity, int firstId, int oneTime, int kemOneTime) {
        ObjectNode frame = TestClient.JSON.createObjectNode().put("type", "upload_prekeys");
        byte[] spk = random(32);
        frame.putObject("signedPreKey").put("id", 1).put("key", TestClient.b64(spk)).put("signature",
                TestClient.b64(identity.signWithContext(Signatures.SIGNED_PREKEY_LABEL, Signatures.signedPreKeyData(1, spk))));
        byte[] kem = random(1184);
        frame.putObject("kemLastResort").put("id", 1).put("key", TestClient.b64(kem)).put("signature",
                TestClient.b64(identity.signWithContext(Signatures.KEM_PREKEY_LABEL,
                        Signatures.kemPreKeyData(1, Signatures.KEM_LAST_RESORT, kem))));
        frame.putObject("capabilities").put("flags", 0)
                .put("signature", TestClient.b64(identity.signWithContext(Signatures.CAPABILITIES_LABEL, new byte[] {0})));
        ArrayNode keys = frame.putArray("oneTimePreKeys");
        for (int i = 0; i < oneTime; i++) {
            keys.addObject().put("id", firstId + i).put("key", TestClient.b64(random(32)));
        }
        ArrayNode kemKeys = frame.putArray("kemOneTimePreKeys");
        for (int i = 0; i < kemOneTime; i++) {
            byte[] key = random(1184);
            kemKeys.addObject().put("id", firstId + i).put("key", TestClient.b64(key)).put("signature",
                    TestClient.b64(identity.signWithContext(Signatures.KEM_PREKEY_LABEL,
                            Signatures.kemPreKeyData(firstId + i, Signatures.KEM_ONE_TIME, key))));
        }
        return frame;
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
                        bundles.add(client.request(TestClient.JSON.createObjectNode()
                                .put("type", "get_prekey_bundle").put("username", "pk_owner")));
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
            ObjectNode frame = upload(owner.identity(), 1, 3, 0);
            String signature = frame.path("signedPreKey").path("signature").asText();
            byte[] flipped = java.util.Base64.getUrlDecoder().decode(signature);
            flipped[5] ^= 0x01;
            ((ObjectNode) frame.path("signedPreKey")).put("signature", TestClient.b64(flipped));
            JsonNode reply = owner.request(frame);
            assertEquals("bad_signature", reply.path("code").asText(), reply::toString);
            JsonNode count = owner.request(TestClient.JSON.createObjectNode().put("type", "get_prekey_count"));
            assertEquals(0, count.path("oneTimePreKeys").asInt());
        }
    }

    @Test
    void aUserWithoutPreKeysAnswersNoPreKeys() {
        TestClient.registered(server, "pk_none").close();
        try (var asker = TestClient.registered(server, "pk_asker")) {
            JsonNode reply = asker.request(TestClient.JSON.createObjectNode().put("type", "get_prekey_bundle").put("username", "pk_none"));
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
                    assertEquals("prekey_bundle", asker.request(TestClient.JSON.createObjectNode()
                            .put("type", "get_prekey_bundle").put("username", "rl_owner")).path("type").asText());
                }
                JsonNode refused = asker.request(TestClient.JSON.createObjectNode().put("type", "get_prekey_bundle").put("username", "rl_owner"));
                assertEquals("rate_limited", refused.path("code").asText());
            }
        }
    }
}
