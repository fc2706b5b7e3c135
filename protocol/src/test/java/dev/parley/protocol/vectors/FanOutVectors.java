package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.crypto.KemEncapsulator;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.Session;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.protocol.testing.RecordedRandomness;
import dev.parley.wire.signed.KemKeyKind;
import java.time.Instant;

/**
 * {@code fanout.json} (CRYPTO.md §5): {@code sender}, {@code devices[]} (parties),
 * {@code bundles[]}, {@code payload}, {@code encoded}, {@code contentKey}, {@code content},
 * {@code digest} and {@code messages[]} of {@code {device, keyMessage, message}}. The sender
 * initiates with each bundle in order, then seals the content (its key is the sender's first
 * {@code randomBytes} entry) and encrypts the content-key payload for each device.
 */
final class FanOutVectors {

    private static final Instant NOW = PqxdhVectors.NOW;

    private FanOutVectors() {}

    static ObjectNode generate() throws ProtocolException {
        DeterministicRandomness keys = new DeterministicRandomness("parley-vectors/fanout/keys");
        ObjectNode sender = VectorDevice.newParty(keys, "alice", 1, false, false, KemKeyKind.ONE_TIME);
        VectorDevice alice = VectorDevice.fromSecrets(sender);
        DeterministicRandomness aliceX25519 = new DeterministicRandomness("parley-vectors/fanout/alice-x25519");
        DeterministicRandomness contentKeys = new DeterministicRandomness("parley-vectors/fanout/alice-content");
        ArrayNode kemLog = Json.array();
        KemEncapsulator kem = RecordedKem.recording(
                MlKem768.encapsulator(new DeterministicRandomness("parley-vectors/fanout/alice-kem")), kemLog);

        ObjectNode[] devices = {
                VectorDevice.newParty(keys, "bob-phone", 11, true, true, KemKeyKind.ONE_TIME),
                VectorDevice.newParty(keys, "bob-laptop", 21, true, false, KemKeyKind.LAST_RESORT)};
        ArrayNode bundles = Json.array();
        Session[] sessions = new Session[devices.length];
        for (int i = 0; i < devices.length; i++) {
            ObjectNode bundle = VectorDevice.fromSecrets(devices[i]).bundleJson();
            bundles.add(bundle);
            sessions[i] = Session.initiated(Initiator.start(alice.identity, VectorDevice.parseBundle(bundle), aliceX25519, kem));
        }
        Payload.Text payload = new Payload.Text("fanout-1", NOW.toEpochMilli(), "One message, two devices.");
        FanOut.Sealed sealed = FanOut.seal(payload, contentKeys);
        byte[] keyPayload = Padding.encodeAndPad(sealed.keyPayload(payload.id(), payload.sentAt()));
        ArrayNode messages = Json.array();
        for (int i = 0; i < devices.length; i++) {
            byte[] keyMessage = sessions[i].encrypt(keyPayload);
            byte[] message = FanOut.encode(keyMessage, sealed.content());
            String name = devices[i].get("username").asText();
            messages.addObject().put("device", name).put("keyMessage", Json.b64(keyMessage)).put("message", Json.b64(message));
            DeterministicRandomness deviceX25519 = new DeterministicRandomness("parley-vectors/fanout/" + name + "-x25519");
            Payload opened = receive(VectorDevice.fromSecrets(devices[i]), message, deviceX25519);
            assertArrayEquals(PayloadCodec.encode(payload), PayloadCodec.encode(opened));
            VectorDevice.recordRandomness(devices[i], deviceX25519, null, null);
        }
        VectorDevice.recordRandomness(sender, aliceX25519, contentKeys, kemLog);

        ObjectNode file = Json.vectorFile("fanout.json", "§5");
        file.set("sender", sender);
        file.putArray("devices").addAll(java.util.List.of(devices));
        file.set("bundles", bundles);
        file.set("payload", PayloadJson.write(payload));
        file.put("encoded", Json.b64(PayloadCodec.encode(payload)));
        file.put("contentKey", Json.b64(sealed.key()));
        file.put("content", Json.b64(sealed.content()));
        file.put("digest", Json.b64(Digests.sha256(sealed.content())));
        file.set("messages", messages);
        return file;
    }

    static int verify(JsonNode file) throws ProtocolException {
        JsonNode sender = Json.required(file, "sender");
        RecordedRandomness aliceX25519 = Recorded.replay(sender, "x25519Keys");
        RecordedRandomness contentKeys = Recorded.replay(sender, "randomBytes");
        RecordedKem.Replay kem = new RecordedKem.Replay(sender.get("kem"));
        VectorDevice alice = VectorDevice.fromSecrets(sender);
        JsonNode devices = Json.required(file, "devices");
        JsonNode bundles = Json.required(file, "bundles");
        JsonNode messages = Json.required(file, "messages");
        assertEquals(devices.size(), bundles.size(), "one bundle per device");
        assertEquals(devices.size(), messages.size(), "one message per device");

        Session[] sessions = new Session[devices.size()];
        for (int i = 0; i < devices.size(); i++) {
            assertTrue(Json.same(VectorDevice.fromSecrets(devices.get(i)).bundleJson(), bundles.get(i)), "bundle of device " + i);
            sessions[i] = Session.initiated(Initiator.start(alice.identity, VectorDevice.parseBundle(bundles.get(i)), aliceX25519, kem));
        }
        Payload payload = PayloadJson.read(Json.required(file, "payload"));
        assertArrayEquals(Json.bytes(file, "encoded"), PayloadCodec.encode(payload), "encoded payload");
        FanOut.Sealed sealed = FanOut.seal(payload, contentKeys);
        assertArrayEquals(Json.bytes(file, "contentKey"), sealed.key(), "content key");
        assertArrayEquals(Json.bytes(file, "content"), sealed.content(), "content ciphertext");
        assertArrayEquals(Json.bytes(file, "digest"), Digests.sha256(sealed.content()), "content digest");
        byte[] keyPayload = Padding.encodeAndPad(sealed.keyPayload(payload.id(), payload.sentAt()));

        int checks = 4;
        for (int i = 0; i < devices.size(); i++) {
            JsonNode message = messages.get(i);
            String name = Json.text(devices.get(i), "username");
            assertEquals(name, Json.text(message, "device"), "messages follow the order of devices");
            byte[] keyMessage = sessions[i].encrypt(keyPayload);
            assertArrayEquals(Json.bytes(message, "keyMessage"), keyMessage, name + ": key message, byte for byte");
            byte[] fanOutMessage = FanOut.encode(keyMessage, sealed.content());
            assertArrayEquals(Json.bytes(message, "message"), fanOutMessage, name + ": FanOutMessage");
            RecordedRandomness deviceX25519 = Recorded.replay(devices.get(i), "x25519Keys");
            Payload opened = receive(VectorDevice.fromSecrets(devices.get(i)), fanOutMessage, deviceX25519);
            assertArrayEquals(PayloadCodec.encode(payload), PayloadCodec.encode(opened), name + ": opened payload");
            assertEquals(0, deviceX25519.remaining(), name + ": all recorded X25519 keys used");
            checks += 3;
        }
        assertEquals(0, aliceX25519.remaining(), "all of the sender's recorded X25519 keys used");
        assertEquals(0, contentKeys.remaining(), "all of the sender's recorded random bytes used");
        assertEquals(0, kem.remaining(), "all recorded encapsulations used");
        return checks;
    }

    /** What a receiving device does with a FanOutMessage. */
    private static Payload receive(VectorDevice device, byte[] fanOutMessage, Randomness x25519) throws ProtocolException {
        FanOut.Message parsed = FanOut.parse(fanOutMessage);
        byte[] keyPayload = new PeerSessions().decrypt(parsed.keyMessage(), device.identity, device.capabilities,
                device.preKeyStore(), x25519, NOW).plaintext();
        Payload.ContentKey contentKey = assertInstanceOf(Payload.ContentKey.class, Padding.unpadAndDecode(keyPayload));
        return FanOut.open(contentKey, parsed.content());
    }
}
