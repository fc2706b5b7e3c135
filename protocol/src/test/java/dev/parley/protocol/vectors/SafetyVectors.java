package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.safety.SafetyNumber;
import dev.parley.protocol.testing.DeterministicRandomness;

/**
 * {@code safety.json}: {@code cases[]} of {@code {a: {identity, username, fingerprint}, b: {...},
 * safetyNumber, qrText}} (CRYPTO.md §6).
 */
final class SafetyVectors {

    private SafetyVectors() {}

    static ObjectNode generate() {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/safety");
        ObjectNode file = Json.vectorFile("safety.json", "§6");
        ArrayNode cases = file.putArray("cases");
        String[][] usernames = {{"alice", "bob"}, {"Zo\u00eb", "mallory"}};
        for (String[] pair : usernames) {
            byte[] a = IdentityKeyPair.generate(random).publicIdentity().bytes();
            byte[] b = IdentityKeyPair.generate(random).publicIdentity().bytes();
            SafetyNumber number = SafetyNumber.of(a, pair[0], b, pair[1]);
            ObjectNode entry = cases.addObject();
            side(entry.putObject("a"), a, pair[0]);
            side(entry.putObject("b"), b, pair[1]);
            entry.put("safetyNumber", number.digits()).put("qrText", number.qrText());
        }
        return file;
    }

    private static void side(ObjectNode node, byte[] identity, String username) {
        node.put("identity", Json.b64(identity)).put("username", username)
                .put("fingerprint", SafetyNumber.fingerprint(identity, username));
    }

    static int verify(JsonNode file) {
        int checks = 0;
        for (JsonNode entry : Json.required(file, "cases")) {
            JsonNode a = Json.required(entry, "a");
            JsonNode b = Json.required(entry, "b");
            byte[] identityA = Json.bytes(a, "identity");
            byte[] identityB = Json.bytes(b, "identity");
            String usernameA = Json.text(a, "username");
            String usernameB = Json.text(b, "username");
            assertEquals(Json.text(a, "fingerprint"), SafetyNumber.fingerprint(identityA, usernameA), "a.fingerprint");
            assertEquals(Json.text(b, "fingerprint"), SafetyNumber.fingerprint(identityB, usernameB), "b.fingerprint");
            SafetyNumber number = SafetyNumber.of(identityA, usernameA, identityB, usernameB);
            assertEquals(Json.text(entry, "safetyNumber"), number.digits(), "safetyNumber");
            assertEquals(number, SafetyNumber.of(identityB, usernameB, identityA, usernameA), "symmetric");
            assertEquals(Json.text(entry, "qrText"), number.qrText(), "qrText");
            checks += 5;
        }
        return checks;
    }
}
