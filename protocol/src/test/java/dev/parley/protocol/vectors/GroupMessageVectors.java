package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Hkdf;
import dev.parley.protocol.crypto.Hmac;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMessage;
import dev.parley.protocol.groups.SenderChain;
import dev.parley.protocol.groups.SenderKeyDistribution;
import dev.parley.protocol.groups.SenderKeyReceiver;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The sender-key parts of {@code groups.json} (CRYPTO.md §11): {@code senderKeyKdf} (three chain
 * steps computed here from the definitions, then checked against the implementation's
 * encryption) and {@code groupMessages} (a chain at iteration 5, its distribution, four messages
 * opened out of order, and two that must be refused).
 */
final class GroupMessageVectors {

    static final long SENT_AT = 1_767_225_600_000L;
    private static final byte[] INFO = "parley-sender-key-v1".getBytes(StandardCharsets.US_ASCII);

    private GroupMessageVectors() {}

    static ArrayNode kdf() {
        ArrayNode steps = Json.array();
        byte[] chainKey = new DeterministicRandomness("parley-vectors/groups/kdf").bytes(32);
        for (int i = 0; i < 3; i++) {
            byte[] seed = Hmac.sha256(chainKey, new byte[] {0x01});
            byte[] okm = Hkdf.derive(new byte[32], seed, INFO, 44);
            byte[] next = Hmac.sha256(chainKey, new byte[] {0x02});
            steps.addObject().put("chainKey", Json.b64(chainKey)).put("messageKeySeed", Json.b64(seed))
                    .put("aesKey", Json.b64(Arrays.copyOf(okm, 32))).put("nonce", Json.b64(Arrays.copyOfRange(okm, 32, 44)))
                    .put("nextChainKey", Json.b64(next));
            chainKey = next;
        }
        return steps;
    }

    /** Each step's keys recomputed, and the implementation's message at that chain key opened with them. */
    static int verifyKdf(JsonNode steps) throws ProtocolException {
        assertEquals(3, steps.size(), "three KDF steps");
        GroupId group = GroupId.of(new byte[32]);
        byte[] expectedKey = null;
        for (JsonNode step : steps) {
            byte[] chainKey = Json.bytes(step, "chainKey");
            if (expectedKey != null) {
                assertArrayEquals(expectedKey, chainKey, "each step starts from the previous next chain key");
            }
            byte[] seed = Hmac.sha256(chainKey, new byte[] {0x01});
            byte[] okm = Hkdf.derive(new byte[32], seed, INFO, 44);
            assertArrayEquals(Json.bytes(step, "messageKeySeed"), seed, "messageKeySeed");
            assertArrayEquals(Json.bytes(step, "aesKey"), Arrays.copyOf(okm, 32), "aesKey");
            assertArrayEquals(Json.bytes(step, "nonce"), Arrays.copyOfRange(okm, 32, 44), "nonce");
            expectedKey = Hmac.sha256(chainKey, new byte[] {0x02});
            assertArrayEquals(Json.bytes(step, "nextChainKey"), expectedKey, "nextChainKey");
            SenderChain chain = chain(new byte[16], 0, chainKey, new byte[32]);
            byte[] message = chain.encrypt(group, new byte[] {42}).message();
            byte[] header = Arrays.copyOf(message, GroupMessage.HEADER_SIZE);
            byte[] ciphertext = Arrays.copyOfRange(message, header.length, message.length - Ed25519.SIGNATURE_SIZE);
            assertArrayEquals(new byte[] {42}, AesGcm.decrypt(Json.bytes(step, "aesKey"), Json.bytes(step, "nonce"),
                    ciphertext, Bytes.concat(group.bytes(), header)), "the implementation encrypts with these keys");
        }
        return steps.size() * 6;
    }

    /** A chain in a given state, through its storage form. */
    static SenderChain chain(byte[] chainId, long iteration, byte[] chainKey, byte[] signingPrivate) throws ProtocolException {
        return SenderChain.decode(new ByteWriter().u8(SenderChain.FORMAT).bytes(chainId).u32(iteration).bytes(chainKey)
                .bytes(signingPrivate).toByteArray());
    }

    static List<Payload> payloads() {
        return List.of(new Payload.Text("g-1", SENT_AT, "Hello, group \u00e9"), new Payload.Typing("g-2", SENT_AT + 1, true),
                new Payload.Text("g-3", SENT_AT + 2, ""), new Payload.Text("g-4", SENT_AT + 3, "x".repeat(300)));
    }

    static ObjectNode messages(GroupId group) throws ProtocolException {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/groups/sender");
        byte[] chainId = random.bytes(16);
        byte[] signingPrivate = random.bytes(32);
        byte[] chainKey = random.bytes(32);
        SenderChain chain = chain(chainId, 5, chainKey, signingPrivate);
        ObjectNode node = Json.object().put("groupId", group.text()).put("chainId", Json.b64(chainId))
                .put("signingPrivate", Json.b64(signingPrivate)).put("signingPublic", Json.b64(Ed25519.publicKey(signingPrivate)))
                .put("chainKey", Json.b64(chainKey)).put("iteration", 5)
                .put("distribution", Json.b64(chain.distribution(group).encode()));
        ArrayNode messages = node.putArray("messages");
        for (Payload payload : payloads()) {
            byte[] padded = Padding.encodeAndPad(payload);
            ObjectNode entry = messages.addObject().put("iteration", chain.iteration());
            SenderChain.GroupEncryption encryption = chain.encrypt(group, padded);
            entry.set("payload", PayloadJson.write(payload));
            entry.put("padded", Json.b64(padded)).put("message", Json.b64(encryption.message()));
            chain = encryption.next();
        }
        ArrayNode order = node.putArray("receiveOrder");
        List.of(2, 0, 3, 1).forEach(order::add);
        byte[] tampered = Json.bytes(messages.get(0), "message");
        tampered[GroupMessage.HEADER_SIZE + 2] ^= 0x01;
        GroupId other = GroupId.random(new DeterministicRandomness("parley-vectors/groups/other-group"));
        byte[] otherGroup = chain.encrypt(other, Padding.encodeAndPad(payloads().get(0))).message();
        node.putArray("tampered").add(Json.object().put("message", Json.b64(tampered)).put("reason", "bad_signature"))
                .add(Json.object().put("message", Json.b64(otherGroup)).put("reason", "wrong_group"));
        return node;
    }

    static int verifyMessages(JsonNode node) throws ProtocolException {
        GroupId group = GroupId.parse(Json.text(node, "groupId"));
        byte[] signingPrivate = Json.bytes(node, "signingPrivate");
        assertArrayEquals(Json.bytes(node, "signingPublic"), Ed25519.publicKey(signingPrivate), "signingPublic");
        SenderChain chain = chain(Json.bytes(node, "chainId"), Json.number(node, "iteration"), Json.bytes(node, "chainKey"),
                signingPrivate);
        SenderKeyDistribution distribution = SenderKeyDistribution.decode(Json.bytes(node, "distribution"));
        assertArrayEquals(Json.bytes(node, "distribution"), chain.distribution(group).encode(), "distribution");
        JsonNode messages = Json.required(node, "messages");
        assertEquals(4, messages.size(), "four messages");
        int checks = 2;
        for (JsonNode entry : messages) {
            assertEquals(chain.iteration(), Json.number(entry, "iteration"), "iterations follow each other");
            byte[] padded = Padding.encodeAndPad(PayloadJson.read(Json.required(entry, "payload")));
            assertArrayEquals(Json.bytes(entry, "padded"), padded, "padded payload");
            SenderChain.GroupEncryption encryption = chain.encrypt(group, padded);
            assertArrayEquals(Json.bytes(entry, "message"), encryption.message(), "message at iteration " + chain.iteration());
            chain = encryption.next();
            checks += 2;
        }
        SenderKeyReceiver receiver = SenderKeyReceiver.empty().install(distribution);
        for (JsonNode index : Json.required(node, "receiveOrder")) {
            JsonNode entry = messages.get(index.asInt());
            SenderKeyReceiver.GroupDecryption opened = receiver.decrypt(group, Json.bytes(entry, "message"), SENT_AT);
            assertArrayEquals(Json.bytes(entry, "padded"), opened.paddedPayload(), "opened message " + index);
            receiver = opened.next();
            checks++;
        }
        SenderKeyReceiver fresh = SenderKeyReceiver.empty().install(distribution);
        for (JsonNode entry : Json.required(node, "tampered")) {
            byte[] message = Json.bytes(entry, "message");
            ProtocolException refused = assertThrows(ProtocolException.class, () -> fresh.decrypt(group, message, SENT_AT),
                    "tampered message (" + Json.text(entry, "reason") + ") must be refused");
            if (Json.text(entry, "reason").equals("wrong_group")) {
                assertEquals(Failure.INVALID_SIGNATURE, refused.failure(), "a message of another group fails its signature");
            }
            checks++;
        }
        return checks;
    }
}
