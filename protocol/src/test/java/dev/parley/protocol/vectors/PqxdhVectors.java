package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.X25519;
import dev.parley.protocol.handshake.HandshakeMode;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.handshake.Pqxdh;
import dev.parley.protocol.handshake.PreKeyMessage;
import dev.parley.protocol.handshake.Responder;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.session.Session;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.protocol.testing.RecordedRandomness;
import dev.parley.wire.signed.KemKeyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pqxdh.json} (CRYPTO.md §2): {@code alice}, {@code bob} (parties with their recorded
 * randomness), {@code bundle} (§1.2 JSON as Alice received it), {@code ephemeralKey},
 * {@code kemCiphertext}, {@code sk}, {@code ad}, {@code payload}, {@code encoded} and
 * {@code message} (the PreKeyMessage whose plaintext is {@code pad(encoded)}). The Java file adds
 * {@code dh} (DH1..DH4) and {@code variants}: the same shape without a one-time prekey, with the
 * last-resort KEM prekey.
 */
final class PqxdhVectors {

    static final Instant NOW = Instant.ofEpochMilli(1_767_225_600_000L);

    private PqxdhVectors() {}

    static ObjectNode generate() throws ProtocolException {
        ObjectNode file = Json.vectorFile("pqxdh.json", "§2");
        file.setAll(build("parley-vectors/pqxdh", true, KemKeyKind.ONE_TIME, "Hello Bob, this is Alice."));
        file.putArray("variants").add(build("parley-vectors/pqxdh-last-resort", false, KemKeyKind.LAST_RESORT,
                "No one-time prekeys were left."));
        return file;
    }

    private static ObjectNode build(String label, boolean withOneTimePreKey, KemKeyKind kemKind, String text)
            throws ProtocolException {
        DeterministicRandomness keys = new DeterministicRandomness(label + "/keys");
        ObjectNode alice = VectorDevice.newParty(keys, "alice", 1, false, false, kemKind);
        ObjectNode bob = VectorDevice.newParty(keys, "bob", 7, true, withOneTimePreKey, kemKind);
        VectorDevice aliceDevice = VectorDevice.fromSecrets(alice);
        VectorDevice bobDevice = VectorDevice.fromSecrets(bob);
        DeterministicRandomness aliceX25519 = new DeterministicRandomness(label + "/alice-x25519");
        DeterministicRandomness bobX25519 = new DeterministicRandomness(label + "/bob-x25519");
        ArrayNode kemLog = Json.array();

        ObjectNode bundle = bobDevice.bundleJson();
        Initiator.Initiated initiated = Initiator.start(aliceDevice.identity, VectorDevice.parseBundle(bundle), aliceX25519,
                RecordedKem.recording(MlKem768.encapsulator(new DeterministicRandomness(label + "/alice-kem")), kemLog));
        Payload payload = new Payload.Text("pqxdh-1", NOW.toEpochMilli(), text);
        byte[] encoded = PayloadCodec.encode(payload);
        byte[] message = Session.initiated(initiated).encrypt(Padding.pad(encoded));
        Responder.Accepted accepted = Responder.accept(bobDevice.identity, bobDevice.capabilities, bobDevice.preKeyStore(),
                PreKeyMessage.parse(message), bobX25519, NOW);
        assertArrayEquals(Padding.pad(encoded), accepted.plaintext());

        byte[] ephemeral = aliceX25519.draws().getFirst();
        byte[] kemCiphertext = Json.bytes(kemLog.get(0), "ciphertext");
        List<byte[]> dh = dhOutputs(aliceDevice, bobDevice, ephemeral);
        VectorDevice.recordRandomness(alice, aliceX25519, null, kemLog);
        VectorDevice.recordRandomness(bob, bobX25519, null, null);

        ObjectNode out = Json.object();
        out.set("alice", alice);
        out.set("bob", bob);
        out.set("bundle", bundle);
        out.put("ephemeralKey", Json.b64(X25519.publicKey(ephemeral)));
        out.put("kemCiphertext", Json.b64(kemCiphertext));
        ArrayNode dhArray = out.putArray("dh");
        dh.forEach(value -> dhArray.add(Json.b64(value)));
        out.put("sk", Json.b64(Pqxdh.sharedKey(HandshakeMode.PQXDH, dh, Json.bytes(kemLog.get(0), "sharedSecret"))));
        out.put("ad", Json.b64(Pqxdh.associatedData(aliceDevice.identity.publicIdentity(), bobDevice.identity.publicIdentity())));
        out.set("payload", PayloadJson.write(payload));
        out.put("encoded", Json.b64(encoded));
        out.put("message", Json.b64(message));
        return out;
    }

    /** DH1..DH4 from the private keys, independently of the initiator code. */
    private static List<byte[]> dhOutputs(VectorDevice alice, VectorDevice bob, byte[] ephemeral) throws ProtocolException {
        byte[] signedPreKey = bob.signedPreKey.keyPair().publicKey();
        List<byte[]> dh = new ArrayList<>();
        dh.add(X25519.agree(alice.identity.dh().privateKey(), signedPreKey));
        dh.add(X25519.agree(ephemeral, bob.identity.dh().publicKey()));
        dh.add(X25519.agree(ephemeral, signedPreKey));
        if (bob.oneTimePreKey.isPresent()) {
            dh.add(X25519.agree(ephemeral, bob.oneTimePreKey.get().keyPair().publicKey()));
        }
        return dh;
    }

    static int verify(JsonNode file) throws ProtocolException {
        int checks = verifyCase(file);
        for (JsonNode variant : file.path("variants")) {
            checks += verifyCase(variant);
        }
        return checks;
    }

    private static int verifyCase(JsonNode vector) throws ProtocolException {
        JsonNode aliceJson = Json.required(vector, "alice");
        JsonNode bobJson = Json.required(vector, "bob");
        VectorDevice alice = VectorDevice.fromSecrets(aliceJson);
        VectorDevice bob = VectorDevice.fromSecrets(bobJson);
        JsonNode bundleJson = Json.required(vector, "bundle");
        PreKeyBundle bundle = VectorDevice.parseBundle(bundleJson);
        bundle.verify();
        assertTrue(Json.same(bob.bundleJson(), bundleJson), "bundle is Bob's published keys");

        byte[] ephemeral = Json.bytesAt(Json.required(aliceJson, "x25519Keys"), 0);
        assertArrayEquals(Json.bytes(vector, "ephemeralKey"), X25519.publicKey(ephemeral), "ephemeralKey");
        JsonNode encapsulation = Json.required(aliceJson, "kem").get(0);
        byte[] kemCiphertext = Json.bytes(vector, "kemCiphertext");
        assertArrayEquals(Json.bytes(encapsulation, "ciphertext"), kemCiphertext, "kemCiphertext is Alice's encapsulation");
        byte[] sharedSecret = bob.kemPreKey.orElseThrow().decapsulate(kemCiphertext);
        assertArrayEquals(Json.bytes(encapsulation, "sharedSecret"), sharedSecret, "Bob decapsulates Alice's shared secret");

        List<byte[]> dh = dhOutputs(alice, bob, ephemeral);
        JsonNode dhArray = vector.get("dh");
        if (dhArray != null) {
            assertEquals(dh.size(), dhArray.size(), "number of DH outputs");
            for (int i = 0; i < dh.size(); i++) {
                assertArrayEquals(dh.get(i), Json.bytesAt(dhArray, i), "DH" + (i + 1));
            }
        }
        assertArrayEquals(Json.bytes(vector, "sk"), Pqxdh.sharedKey(HandshakeMode.PQXDH, dh, sharedSecret), "sk");
        assertArrayEquals(Json.bytes(vector, "ad"),
                Pqxdh.associatedData(alice.identity.publicIdentity(), bob.identity.publicIdentity()), "ad");

        byte[] encoded = Json.bytes(vector, "encoded");
        assertArrayEquals(encoded, PayloadCodec.encode(PayloadJson.read(Json.required(vector, "payload"))), "encoded payload");
        byte[] message = Json.bytes(vector, "message");
        RecordedRandomness aliceX25519 = Recorded.replay(aliceJson, "x25519Keys");
        RecordedKem.Replay kem = new RecordedKem.Replay(aliceJson.get("kem"));
        Session replayed = Session.initiated(Initiator.start(alice.identity, bundle, aliceX25519, kem));
        assertArrayEquals(message, replayed.encrypt(Padding.pad(encoded)), "Alice's PreKeyMessage, byte for byte");
        assertEquals(0, aliceX25519.remaining(), "all of Alice's recorded X25519 keys used");
        assertEquals(0, kem.remaining(), "all recorded encapsulations used");

        RecordedRandomness bobX25519 = Recorded.replay(bobJson, "x25519Keys");
        Responder.Accepted accepted = Responder.accept(bob.identity, bob.capabilities, bob.preKeyStore(),
                PreKeyMessage.parse(message), bobX25519, NOW);
        assertArrayEquals(Padding.pad(encoded), accepted.plaintext(), "Bob decrypts the initial message");
        assertEquals(0, bobX25519.remaining(), "all of Bob's recorded X25519 keys used");
        return 10 + dh.size();
    }
}
