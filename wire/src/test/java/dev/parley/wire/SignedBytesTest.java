package dev.parley.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.RecoveryCodes;
import dev.parley.wire.signed.SignatureLabel;
import dev.parley.wire.signed.SignedBytes;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every signed layout and the recovery code rules against {@code test-vectors/wire/signed.json}. */
class SignedBytesTest {

    @Test
    void everyLayoutMatchesItsVector() throws Exception {
        Set<String> covered = new HashSet<>();
        for (JsonNode vector : WireVectors.read("wire/signed.json").path("layouts")) {
            JsonNode in = vector.path("inputs");
            String layout = vector.path("layout").asText();
            byte[] actual = switch (layout) {
                case "auth" -> SignedBytes.auth(bytes(in, "nonce"), in.path("origin").asText(), in.path("timestamp").asLong(),
                        in.path("action").asText(), in.path("username").asText());
                case "identity_binding" -> SignedBytes.identityBinding(bytes(in, "dhKey"));
                case "signed_prekey" -> SignedBytes.signedPreKey(in.path("id").asLong(), bytes(in, "key"));
                case "kem_prekey" -> SignedBytes.kemPreKey(in.path("id").asLong(), KemKeyKind.fromWire(in.path("kind").asText()),
                        bytes(in, "key"));
                case "capabilities" -> SignedBytes.capabilities(in.path("flags").asInt());
                case "device_list" -> SignedBytes.deviceList(in.path("version").asLong(), in.path("issuedAt").asLong(),
                        deviceEntries(in.path("devices")));
                case "device_auth" -> SignedBytes.deviceAuth(bytes(in, "nonce"), in.path("origin").asText(),
                        in.path("timestamp").asLong(), in.path("username").asText(), in.path("device").asInt());
                case "group_change" -> SignedBytes.groupChange(bytes(in, "changeBody"));
                case "group_message" -> SignedBytes.groupMessage(bytes(in, "groupId"), bytes(in, "headerAndCiphertext"));
                default -> throw new AssertionError("unknown layout " + layout);
            };
            assertArrayEquals(bytes(vector, "signed"), actual, layout + " " + in);
            if (vector.has("ed25519")) {
                assertTrue(verifies(vector.path("ed25519"), actual), layout + ": the vector's signature verifies over the bytes");
            }
            covered.add(layout);
        }
        assertEquals(SignatureLabel.values().length, covered.size(), "one vector per label: " + covered);
    }

    @Test
    void recoveryCodesMatchTheirVectors() throws Exception {
        for (JsonNode vector : WireVectors.read("wire/signed.json").path("recoveryCodes")) {
            String typed = vector.path("typed").asText();
            if (vector.path("canonical").isNull()) {
                assertTrue(RecoveryCodes.canonical(typed).isEmpty(), typed);
            } else {
                String canonical = RecoveryCodes.canonical(typed).orElseThrow(() -> new AssertionError(typed));
                assertEquals(vector.path("canonical").asText(), canonical, typed);
                assertArrayEquals(bytes(vector, "recoveryHash"), RecoveryCodes.hash(canonical), typed);
            }
        }
    }

    @Test
    void generatedCodesAreCanonicalAndDisplayedInGroups() {
        String code = RecoveryCodes.generate(new SecureRandom());
        assertEquals(code, RecoveryCodes.canonical(code).orElseThrow());
        String shown = RecoveryCodes.display(code);
        assertEquals(39, shown.length());
        assertEquals(code, RecoveryCodes.canonical(shown.toLowerCase()).orElseThrow());
    }

    @Test
    void aDeviceListSignatureFailsOverAnyOtherList() throws Exception {
        for (JsonNode vector : WireVectors.read("wire/signed.json").path("layouts")) {
            if (vector.path("layout").asText().equals("device_list")) {
                JsonNode in = vector.path("inputs");
                byte[] nextVersion = SignedBytes.deviceList(in.path("version").asLong() + 1, in.path("issuedAt").asLong(),
                        deviceEntries(in.path("devices")));
                assertFalse(verifies(vector.path("ed25519"), nextVersion));
            }
        }
    }

    @Test
    void groupSignaturesVerifyOverTheirBytesAndNoOthers() throws Exception {
        Set<String> signedLayouts = new HashSet<>();
        for (JsonNode vector : WireVectors.read("wire/signed.json").path("layouts")) {
            JsonNode in = vector.path("inputs");
            byte[] actual = switch (vector.path("layout").asText()) {
                case "group_change" -> SignedBytes.groupChange(bytes(in, "changeBody"));
                case "group_message" -> SignedBytes.groupMessage(bytes(in, "groupId"), bytes(in, "headerAndCiphertext"));
                default -> null;
            };
            if (actual == null) {
                continue;
            }
            assertTrue(vector.has("ed25519"), vector.path("layout").asText() + " vectors carry a signature");
            assertTrue(verifies(vector.path("ed25519"), actual));
            actual[actual.length - 1] ^= 1;
            assertFalse(verifies(vector.path("ed25519"), actual), "not over other bytes");
            signedLayouts.add(vector.path("layout").asText());
        }
        assertEquals(Set.of("group_change", "group_message"), signedLayouts);
    }

    @Test
    void deviceIdsOutsideOneTo255AreNotSigned() {
        byte[] nonce = new byte[WireLimits.NONCE_BYTES];
        assertThrows(IllegalArgumentException.class, () -> SignedBytes.deviceAuth(nonce, "http://a", 0, "alice", 0));
        assertThrows(IllegalArgumentException.class, () -> SignedBytes.deviceAuth(nonce, "http://a", 0, "alice", 256));
        assertThrows(IllegalArgumentException.class, () -> SignedBytes.deviceList(1, 0,
                List.of(new DeviceEntry(1, new byte[31], 0))));
    }

    private static List<DeviceEntry> deviceEntries(JsonNode devices) {
        List<DeviceEntry> entries = new ArrayList<>();
        for (JsonNode device : devices) {
            entries.add(new DeviceEntry(device.path("id").asInt(), bytes(device, "key"), device.path("linkedAt").asLong()));
        }
        return entries;
    }

    /** Ed25519 verification by the JDK of a signature Python's {@code cryptography} made over the vector's bytes. */
    private static boolean verifies(JsonNode ed25519, byte[] message) throws Exception {
        byte[] x509Prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] raw = bytes(ed25519, "publicKey");
        byte[] encoded = new byte[x509Prefix.length + raw.length];
        System.arraycopy(x509Prefix, 0, encoded, 0, x509Prefix.length);
        System.arraycopy(raw, 0, encoded, x509Prefix.length, raw.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(bytes(ed25519, "signature"));
    }

    private static byte[] bytes(JsonNode node, String field) {
        return WireJson.fromBase64(node.path(field).asText());
    }
}
