package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.KemEncapsulator;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.handshake.PrivatePreKeys;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.Session;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.protocol.testing.RecordedRandomness;
import dev.parley.wire.signed.KemKeyKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conversation.json} (CRYPTO.md §2-§3): {@code alice}, {@code bob} (parties with their
 * recorded randomness) and {@code bundle}; Alice initiates with {@code bundle}, then
 * {@code steps[]}: {@code {op: "encrypt", party, id, payload (encoded), message}} and
 * {@code {op: "decrypt", party, id, payload (encoded), now}}. The ratchet plaintext is
 * {@code pad(payload)}; a decrypt step names the message of the encrypt step with its id. The
 * script covers repeated PreKeyMessages, ratchet turns and out-of-order delivery across chains.
 */
final class ConversationVectors {

    /** (op, party, id, payload type for encrypt steps). */
    private static final String[][] SCRIPT = {
            {"encrypt", "alice", "a1", "text"}, {"encrypt", "alice", "a2", "typing"},
            {"decrypt", "bob", "a2"}, {"decrypt", "bob", "a1"},
            {"encrypt", "bob", "b1", "delivery"}, {"encrypt", "bob", "b2", "text"},
            {"decrypt", "alice", "b2"},
            {"encrypt", "alice", "a3", "text"}, {"encrypt", "alice", "a4", "read"},
            {"decrypt", "bob", "a4"}, {"decrypt", "alice", "b1"},
            {"encrypt", "bob", "b3", "text"}, {"decrypt", "bob", "a3"}, {"decrypt", "alice", "b3"},
            {"encrypt", "alice", "a5", "text"}, {"encrypt", "alice", "a6", "text"}, {"encrypt", "alice", "a7", "text"},
            {"decrypt", "bob", "a7"}, {"decrypt", "bob", "a5"},
            {"encrypt", "bob", "b4", "typing"}, {"decrypt", "alice", "b4"}, {"decrypt", "bob", "a6"},
    };

    private static final long START = PqxdhVectors.NOW.toEpochMilli();

    private ConversationVectors() {}

    /** One side of the conversation. */
    private static final class Party {
        final VectorDevice device;
        final PrivatePreKeys preKeys;
        final Randomness x25519;
        final PeerSessions sessions = new PeerSessions();

        Party(VectorDevice device, Randomness x25519) {
            this.device = device;
            this.preKeys = device.preKeyStore();
            this.x25519 = x25519;
        }

        byte[] decrypt(byte[] message, long now) throws ProtocolException {
            return sessions.decrypt(message, device.identity, device.capabilities, preKeys, x25519,
                    Instant.ofEpochMilli(now)).plaintext();
        }
    }

    static ObjectNode generate() throws ProtocolException {
        DeterministicRandomness keys = new DeterministicRandomness("parley-vectors/conversation/keys");
        ObjectNode aliceJson = VectorDevice.newParty(keys, "alice", 1, false, false, KemKeyKind.ONE_TIME);
        ObjectNode bobJson = VectorDevice.newParty(keys, "bob", 7, true, true, KemKeyKind.ONE_TIME);
        DeterministicRandomness aliceX25519 = new DeterministicRandomness("parley-vectors/conversation/alice-x25519");
        DeterministicRandomness bobX25519 = new DeterministicRandomness("parley-vectors/conversation/bob-x25519");
        ArrayNode kemLog = Json.array();
        KemEncapsulator kem = RecordedKem.recording(
                MlKem768.encapsulator(new DeterministicRandomness("parley-vectors/conversation/alice-kem")), kemLog);
        Party alice = new Party(VectorDevice.fromSecrets(aliceJson), aliceX25519);
        Party bob = new Party(VectorDevice.fromSecrets(bobJson), bobX25519);
        ObjectNode bundle = bob.device.bundleJson();

        ArrayNode steps = Json.array();
        Map<String, byte[]> messages = new HashMap<>();
        Map<String, byte[]> payloads = new HashMap<>();
        for (int i = 0; i < SCRIPT.length; i++) {
            String op = SCRIPT[i][0];
            String id = SCRIPT[i][2];
            long time = START + i * 1000L;
            Party party = SCRIPT[i][1].equals("alice") ? alice : bob;
            ObjectNode step = steps.addObject().put("op", op).put("party", SCRIPT[i][1]).put("id", id);
            if (op.equals("encrypt")) {
                byte[] encoded = PayloadCodec.encode(payload(SCRIPT[i][3], id, time));
                byte[] message = encrypt(party, party == alice ? bundle : null, kem, encoded);
                payloads.put(id, encoded);
                messages.put(id, message);
                step.put("payload", Json.b64(encoded)).put("message", Json.b64(message));
            } else {
                assertArrayEquals(Padding.pad(payloads.get(id)), party.decrypt(messages.get(id), time), id);
                step.put("payload", Json.b64(payloads.get(id))).put("now", time);
            }
        }
        VectorDevice.recordRandomness(aliceJson, aliceX25519, null, kemLog);
        VectorDevice.recordRandomness(bobJson, bobX25519, null, null);

        ObjectNode file = Json.vectorFile("conversation.json", "§2-§3");
        file.set("alice", aliceJson);
        file.set("bob", bobJson);
        file.set("bundle", bundle);
        file.set("steps", steps);
        return file;
    }

    private static Payload payload(String type, String id, long sentAt) {
        return switch (type) {
            case "text" -> new Payload.Text(id, sentAt, "Message " + id);
            case "typing" -> new Payload.Typing(id, sentAt, true);
            case "delivery" -> new Payload.DeliveryReceipt(id, sentAt, List.of("a1", "a2"));
            case "read" -> new Payload.ReadReceipt(id, sentAt, List.of("b2"));
            default -> throw new IllegalArgumentException(type);
        };
    }

    static int verify(JsonNode file) throws ProtocolException {
        JsonNode aliceJson = Json.required(file, "alice");
        JsonNode bobJson = Json.required(file, "bob");
        RecordedRandomness aliceX25519 = Recorded.replay(aliceJson, "x25519Keys");
        RecordedRandomness bobX25519 = Recorded.replay(bobJson, "x25519Keys");
        RecordedKem.Replay kem = new RecordedKem.Replay(aliceJson.get("kem"));
        Party alice = new Party(VectorDevice.fromSecrets(aliceJson), aliceX25519);
        Party bob = new Party(VectorDevice.fromSecrets(bobJson), bobX25519);
        JsonNode bundle = Json.required(file, "bundle");

        Map<String, byte[]> messages = new HashMap<>();
        int checks = 0;
        for (JsonNode step : Json.required(file, "steps")) {
            String partyName = Json.text(step, "party");
            Party party = switch (partyName) {
                case "alice" -> alice;
                case "bob" -> bob;
                default -> throw new IllegalArgumentException("unknown party " + partyName);
            };
            String id = Json.text(step, "id");
            byte[] encoded = Json.bytes(step, "payload");
            PayloadCodec.decode(encoded);
            switch (Json.text(step, "op")) {
                case "encrypt" -> {
                    byte[] message = encrypt(party, party == alice ? bundle : null, kem, encoded);
                    assertArrayEquals(Json.bytes(step, "message"), message, "message " + id + ", byte for byte");
                    messages.put(id, message);
                }
                case "decrypt" -> {
                    byte[] message = messages.get(id);
                    assertNotNull(message, "decrypt step " + id + " before its encrypt step");
                    assertArrayEquals(Padding.pad(encoded), party.decrypt(message, Json.number(step, "now")),
                            "plaintext of " + id);
                }
                default -> throw new IllegalArgumentException("unknown op in step " + id);
            }
            checks++;
        }
        assertEquals(0, aliceX25519.remaining(), "all of Alice's recorded X25519 keys used");
        assertEquals(0, bobX25519.remaining(), "all of Bob's recorded X25519 keys used");
        assertEquals(0, kem.remaining(), "all recorded encapsulations used");
        return checks;
    }

    private static byte[] encrypt(Party party, JsonNode peerBundle, KemEncapsulator kem, byte[] encoded)
            throws ProtocolException {
        if (party.sessions.current().isEmpty()) {
            if (peerBundle == null) {
                throw new IllegalArgumentException("only Alice starts the session in a conversation vector");
            }
            party.sessions.adoptInitiated(Session.initiated(Initiator.start(party.device.identity,
                    VectorDevice.parseBundle(peerBundle), party.x25519, kem)));
        }
        return party.sessions.encrypt(Padding.pad(encoded));
    }
}
