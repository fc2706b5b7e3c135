package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ratchet.ChainKey;
import dev.parley.protocol.ratchet.MessageKeys;
import dev.parley.protocol.ratchet.RootKey;
import dev.parley.protocol.testing.DeterministicRandomness;

/** {@code kdf.json}: KDF_RK, KDF_CK and MSG_KEYS of CRYPTO.md §3. */
final class KdfVectors {

    private KdfVectors() {}

    static ObjectNode generate() {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/kdf");
        ObjectNode file = Json.vectorFile("kdf.json", "§3");

        byte[] rk = random.bytes(32);
        byte[] dhOut = random.bytes(32);
        RootKey.Step step = new RootKey(rk).step(dhOut);
        ObjectNode root = file.putObject("rootKdf");
        root.put("rk", Json.b64(rk)).put("dhOut", Json.b64(dhOut))
                .put("rootKey", Json.b64(step.rootKey().bytes())).put("chainKey", Json.b64(step.chainKey().bytes()));

        ChainKey chain = step.chainKey();
        ObjectNode chainKdf = file.putObject("chainKdf");
        chainKdf.put("chainKey", Json.b64(chain.bytes()))
                .put("messageKey", Json.b64(chain.messageKeys().messageKey()))
                .put("nextChainKey", Json.b64(chain.next().bytes()));

        MessageKeys keys = chain.messageKeys();
        ObjectNode messageKeys = file.putObject("messageKeys");
        messageKeys.put("messageKey", Json.b64(keys.messageKey()))
                .put("aesKey", Json.b64(keys.aesKey())).put("nonce", Json.b64(keys.nonce()));
        return file;
    }

    /** @return the number of values checked */
    static int verify(JsonNode file) {
        int checks = 0;
        for (JsonNode root : Json.cases(Json.required(file, "rootKdf"))) {
            RootKey.Step step = new RootKey(Json.bytes(root, "rk")).step(Json.bytes(root, "dhOut"));
            assertArrayEquals(Json.bytes(root, "rootKey"), step.rootKey().bytes(), "rootKdf.rootKey");
            assertArrayEquals(Json.bytes(root, "chainKey"), step.chainKey().bytes(), "rootKdf.chainKey");
            checks += 2;
        }
        for (JsonNode chainKdf : Json.cases(Json.required(file, "chainKdf"))) {
            ChainKey chain = new ChainKey(Json.bytes(chainKdf, "chainKey"), 0);
            assertArrayEquals(Json.bytes(chainKdf, "messageKey"), chain.messageKeys().messageKey(), "chainKdf.messageKey");
            assertArrayEquals(Json.bytes(chainKdf, "nextChainKey"), chain.next().bytes(), "chainKdf.nextChainKey");
            checks += 2;
        }
        for (JsonNode messageKeys : Json.cases(Json.required(file, "messageKeys"))) {
            MessageKeys keys = MessageKeys.derive(Json.bytes(messageKeys, "messageKey"), 0);
            assertArrayEquals(Json.bytes(messageKeys, "aesKey"), keys.aesKey(), "messageKeys.aesKey");
            assertArrayEquals(Json.bytes(messageKeys, "nonce"), keys.nonce(), "messageKeys.nonce");
            checks += 2;
        }
        return checks;
    }
}
