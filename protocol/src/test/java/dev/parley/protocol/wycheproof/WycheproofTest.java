package dev.parley.protocol.wycheproof;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Hkdf;
import dev.parley.protocol.crypto.Hmac;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.X25519;
import dev.parley.protocol.codec.Bytes;
import java.security.KeyPair;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs the Wycheproof vectors against Parley's primitive wrappers (CRYPTO.md §9). */
class WycheproofTest {

    private static final Set<String> ZERO_SHARED_FLAGS = Set.of("LowOrderPublic", "ZeroSharedSecret", "SmallPublicKey");

    @Test
    void x25519() throws Exception {
        Tally tally = new Tally("x25519_test.json");
        for (JsonNode test : tests(WycheproofFiles.load("x25519_test.json"))) {
            byte[] output = outputOrNull(ProtocolException.class,
                    () -> X25519.agree(WycheproofFiles.hex(test, "private"), WycheproofFiles.hex(test, "public")));
            boolean zeroShared = false;
            for (JsonNode flag : test.path("flags")) {
                zeroShared |= ZERO_SHARED_FLAGS.contains(flag.asText());
            }
            tally.check(test, output, WycheproofFiles.hex(test, "shared"), zeroShared);
        }
        tally.assertPassed(500);
    }

    @Test
    void ed25519() throws Exception {
        Tally tally = new Tally("ed25519_test.json");
        for (JsonNode group : WycheproofFiles.load("ed25519_test.json").path("testGroups")) {
            byte[] publicKey = Bytes.fromHex(group.path("publicKey").path("pk").asText());
            for (JsonNode test : group.path("tests")) {
                tally.checkVerdict(test, Ed25519.verify(publicKey,
                        WycheproofFiles.hex(test, "msg"), WycheproofFiles.hex(test, "sig")));
            }
        }
        tally.assertPassed(140);
    }

    @Test
    void aesGcm() throws Exception {
        Tally tally = new Tally("aes_gcm_test.json");
        for (JsonNode group : WycheproofFiles.load("aes_gcm_test.json").path("testGroups")) {
            boolean expressible = group.path("keySize").asInt() == 256
                    && group.path("ivSize").asInt() == 96 && group.path("tagSize").asInt() == 128;
            for (JsonNode test : group.path("tests")) {
                if (!expressible) {
                    tally.notExpressible();
                    continue;
                }
                byte[] key = WycheproofFiles.hex(test, "key");
                byte[] iv = WycheproofFiles.hex(test, "iv");
                byte[] aad = WycheproofFiles.hex(test, "aad");
                byte[] sealed = Bytes.concat(WycheproofFiles.hex(test, "ct"), WycheproofFiles.hex(test, "tag"));
                byte[] opened = outputOrNull(ProtocolException.class, () -> AesGcm.decrypt(key, iv, sealed, aad));
                tally.check(test, opened, WycheproofFiles.hex(test, "msg"), false);
                if ("valid".equals(test.path("result").asText())) {
                    tally.check(test, AesGcm.encrypt(key, iv, WycheproofFiles.hex(test, "msg"), aad), sealed, false);
                }
            }
        }
        tally.assertPassed(50);
    }

    @Test
    void hkdfSha256() throws Exception {
        Tally tally = new Tally("hkdf_sha256_test.json");
        for (JsonNode test : tests(WycheproofFiles.load("hkdf_sha256_test.json"))) {
            byte[] output = outputOrNull(IllegalArgumentException.class, () -> Hkdf.derive(WycheproofFiles.hex(test, "salt"),
                    WycheproofFiles.hex(test, "ikm"), WycheproofFiles.hex(test, "info"), test.path("size").asInt()));
            tally.check(test, output, WycheproofFiles.hex(test, "okm"), false);
        }
        tally.assertPassed(80);
    }

    @Test
    void hmacSha256() throws Exception {
        Tally tally = new Tally("hmac_sha256_test.json");
        for (JsonNode group : WycheproofFiles.load("hmac_sha256_test.json").path("testGroups")) {
            boolean fullTag = group.path("tagSize").asInt() == 256;
            for (JsonNode test : group.path("tests")) {
                if (!fullTag) {
                    tally.notExpressible();
                    continue;
                }
                byte[] key = WycheproofFiles.hex(test, "key");
                byte[] message = WycheproofFiles.hex(test, "msg");
                tally.checkVerdict(test, Hmac.verify(key, message, WycheproofFiles.hex(test, "tag")));
            }
        }
        tally.assertPassed(80);
    }

    @Test
    void mlKem768KeyGenerationAndDecapsulation() throws Exception {
        Tally tally = new Tally("mlkem_768_test.json");
        for (JsonNode test : tests(WycheproofFiles.load("mlkem_768_test.json"))) {
            byte[] seed = WycheproofFiles.hex(test, "seed");
            if (seed.length != MlKem768.SEED_SIZE) {
                // Our API takes exactly d || z; a seed of any other length is refused at the type boundary.
                tally.check(test, refusesSeed(seed) ? null : new byte[0], new byte[0], false);
                continue;
            }
            KeyPair pair = MlKem768.keyPairFromSeed(seed);
            byte[] output;
            if (test.has("ek") && !java.util.Arrays.equals(MlKem768.rawPublicKey(pair.getPublic()),
                    WycheproofFiles.hex(test, "ek"))) {
                output = new byte[] {1}; // wrong key: counts as wrong output
            } else {
                output = outputOrNull(ProtocolException.class, () -> MlKem768.decapsulate(pair.getPrivate(), WycheproofFiles.hex(test, "c")));
            }
            tally.check(test, output, WycheproofFiles.hex(test, "K"), false);
        }
        tally.assertPassed(190);
    }

    @Test
    void mlKem768Encapsulation() throws Exception {
        Tally tally = new Tally("mlkem_768_encaps_test.json");
        for (JsonNode test : tests(WycheproofFiles.load("mlkem_768_encaps_test.json"))) {
            byte[] m = WycheproofFiles.hex(test, "m");
            byte[] output = outputOrNull(ProtocolException.class, () -> {
                var encapsulation = MlKem768.encapsulate(WycheproofFiles.hex(test, "ek"), out -> System.arraycopy(m, 0, out, 0, out.length));
                return Bytes.concat(encapsulation.ciphertext(), encapsulation.sharedSecret());
            });
            tally.check(test, output, Bytes.concat(WycheproofFiles.hex(test, "c"), WycheproofFiles.hex(test, "K")), false);
        }
        tally.assertPassed(260);
    }

    /** A wrapper's result for one test input. */
    private interface Output {
        byte[] compute() throws ProtocolException;
    }

    /** The wrapper's result, or null when it refused the input with {@code refusal}; any other exception fails the test. */
    private static byte[] outputOrNull(Class<? extends Exception> refusal, Output output) throws ProtocolException {
        try {
            return output.compute();
        } catch (ProtocolException | RuntimeException e) {
            if (refusal.isInstance(e)) {
                return null;
            }
            throw e;
        }
    }

    private static boolean refusesSeed(byte[] seed) {
        try {
            MlKem768.keyPairFromSeed(seed);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static Iterable<JsonNode> tests(JsonNode file) {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        for (JsonNode group : file.path("testGroups")) {
            group.path("tests").forEach(all::add);
        }
        return all;
    }
}
