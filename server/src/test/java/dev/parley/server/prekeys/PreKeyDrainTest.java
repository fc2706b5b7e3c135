package dev.parley.server.prekeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.Signatures;
import dev.parley.server.config.StorageLimits;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.PreKeyFrames.BundleKemKey;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import dev.parley.wire.frames.PreKeyFrames.PreKeyBundleReply;
import dev.parley.wire.frames.PreKeyFrames.SignedKey;
import dev.parley.wire.signed.SignedBytes;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;

/**
 * Two accounts from one address cannot empty a victim's one-time prekeys (the attack:
 * 120 bundles in under a second), and once the victim's allowance is used up the bundles still
 * carry a signed prekey and a last-resort KEM key whose signatures verify.
 */
class PreKeyDrainTest {

    @Test
    void twoRequestersCannotDrainAVictimsOneTimeKeysAndTheLastResortBundleStillWorks() {
        int allowance = StorageLimits.defaults().oneTimePreKeysPerTargetPerHour();
        var storage = TestServer.testStorage().withOneTimePreKeysPerTargetPerHour(allowance);
        try (var server = TestServer.start(TestServer.testLimits().withBundlesPerMinute(60), storage,
                TestServer.newDatabaseFile())) {
            TestIdentity victimIdentity;
            try (var victim = TestClient.registered(server, "dr_victim")) {
                JsonNode stored = victim.request(PreKeyTest.upload(victim.identity(), 1, 100, 20));
                assertEquals(100, stored.path("oneTimePreKeys").asInt(), stored::toString);
                assertEquals(20, stored.path("kemOneTimePreKeys").asInt(), stored::toString);
                victimIdentity = victim.identity();
            }
            List<JsonNode> bundles = new ArrayList<>();
            for (String name : List.of("dr_one", "dr_two")) {
                try (var requester = TestClient.registered(server, name)) {
                    for (int i = 0; i < 60; i++) {
                        bundles.add(requester.request(new GetPreKeyBundle(TestClient.nextId(), "dr_victim", 1)));
                    }
                }
            }
            long withOneTime = bundles.stream().filter(b -> b.path("bundle").has("oneTimePreKey")).count();
            long withKemOneTime = bundles.stream()
                    .filter(b -> b.path("bundle").path("kemPreKey").path("kind").asText().equals("one-time")).count();
            assertEquals(allowance, withOneTime, "one-time X25519 keys handed out: the target's allowance");
            assertEquals(allowance, withKemOneTime, "one-time KEM keys handed out: the target's allowance");

            try (var victim = TestClient.connect(server)) {
                victim.identity(victimIdentity);
                assertEquals("logged_in", victim.login("dr_victim").path("type").asText());
                JsonNode count = victim.request(new GetPreKeyCount(TestClient.nextId()));
                assertEquals(100 - allowance, count.path("oneTimePreKeys").asInt(), count::toString);
                assertEquals(20 - allowance, count.path("kemOneTimePreKeys").asInt(), count::toString);
            }
            JsonNode last = bundles.getLast();
            assertEquals("prekey_bundle", last.path("type").asText(), last::toString);
            JsonNode bundle = last.path("bundle");
            assertFalse(bundle.has("oneTimePreKey"), "past the allowance: no one-time key");
            assertEquals("last-resort", bundle.path("kemPreKey").path("kind").asText());
            assertTrue(verifies(victimIdentity.signingPublic(), last), "the last-resort bundle's signatures verify");
        }
    }

    private static boolean verifies(byte[] signingKey, JsonNode bundleJson) {
        var reply = (PreKeyBundleReply) TestClient.decodeServerFrame(bundleJson.toString());
        BundleKeys bundle = reply.bundle();
        SignedKey spk = bundle.signedPreKey();
        BundleKemKey kem = bundle.kemPreKey();
        return java.util.Arrays.equals(signingKey, bundle.identity().signingKey())
                && Signatures.verify(signingKey, SignedBytes.signedPreKey(spk.id(), spk.key()), spk.signature())
                && Signatures.verify(signingKey, SignedBytes.kemPreKey(kem.id(), kem.kind(), kem.key()), kem.signature());
    }
}
