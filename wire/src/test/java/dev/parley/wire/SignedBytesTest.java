package dev.parley.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.RecoveryCodes;
import dev.parley.wire.signed.SignatureLabel;
import dev.parley.wire.signed.SignedBytes;
import java.security.SecureRandom;
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
                default -> throw new AssertionError("unknown layout " + layout);
            };
            assertArrayEquals(bytes(vector, "signed"), actual, layout + " " + in);
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

    private static byte[] bytes(JsonNode node, String field) {
        return WireJson.fromBase64(node.path(field).asText());
    }
}
