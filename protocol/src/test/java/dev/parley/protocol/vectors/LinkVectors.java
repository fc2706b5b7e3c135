package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.protocol.link.LinkCode;
import dev.parley.protocol.link.LinkRequest;
import dev.parley.protocol.link.LinkSealing;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.protocol.testing.RecordedRandomness;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code link.json} (CRYPTO.md §10.1-§10.3): {@code codes[]} of {@code {publicKey, display,
 * qrText}}; {@code requests[]} of {@code {linkPrivateKey, linkPublicKey, channel, deviceKey, name,
 * encoded, sealed}}; {@code messages[]} of {@code {linkPrivateKey, linkPublicKey, channel,
 * x25519Keys: [ek private key], plaintext, sealed}}. The verifier reseals with the recorded keys
 * and compares bytes, and opens what was sealed.
 */
final class LinkVectors {

    private LinkVectors() {}

    static ObjectNode generate() throws ProtocolException {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/link");
        ObjectNode file = Json.vectorFile("link.json", "§10");
        ArrayNode codes = file.putArray("codes");
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        for (byte[] key : new byte[][] {new byte[32], ones, X25519KeyPair.generate(random).publicKey()}) {
            codes.addObject().put("publicKey", Json.b64(key)).put("display", LinkCode.display(key))
                    .put("qrText", LinkCode.qrText(key));
        }
        ArrayNode requests = file.putArray("requests");
        for (String name : new String[] {"Laptop", "T\u00e9l\u00e9phone \ud83d\udcf1", "x".repeat(64)}) {
            X25519KeyPair e = X25519KeyPair.generate(random);
            LinkRequest request = new LinkRequest(random.bytes(32), name);
            linkKey(requests.addObject(), e).put("deviceKey", Json.b64(request.deviceKey())).put("name", name)
                    .put("encoded", Json.b64(request.encode()))
                    .put("sealed", Json.b64(LinkSealing.sealRequest(e.publicKey(), request)));
        }
        ArrayNode messages = file.putArray("messages");
        for (String text : new String[] {"{\"username\":\"alice\",\"device\":2}", ""}) {
            X25519KeyPair e = X25519KeyPair.generate(random);
            byte[] plaintext = text.getBytes(StandardCharsets.UTF_8);
            DeterministicRandomness ek = new DeterministicRandomness("parley-vectors/link/ek/" + messages.size());
            ObjectNode entry = linkKey(messages.addObject(), e);
            byte[] sealed = LinkSealing.sealMessage(e.publicKey(), plaintext, ek);
            entry.set("x25519Keys", Recorded.list(ek));
            entry.put("plaintext", Json.b64(plaintext)).put("sealed", Json.b64(sealed));
        }
        return file;
    }

    private static ObjectNode linkKey(ObjectNode node, X25519KeyPair e) {
        return node.put("linkPrivateKey", Json.b64(e.privateKey())).put("linkPublicKey", Json.b64(e.publicKey()))
                .put("channel", Json.b64(LinkSealing.channel(e.publicKey())));
    }

    static int verify(JsonNode file) throws ProtocolException {
        int checks = 0;
        for (JsonNode entry : Json.required(file, "codes")) {
            byte[] key = Json.bytes(entry, "publicKey");
            assertEquals(Json.text(entry, "display"), LinkCode.display(key), "code display");
            assertEquals(Json.text(entry, "qrText"), LinkCode.qrText(key), "code QR text");
            assertArrayEquals(key, LinkCode.parse(Json.text(entry, "display")), "display parses");
            assertArrayEquals(key, LinkCode.parse(Json.text(entry, "qrText")), "QR text parses");
            checks += 4;
        }
        for (JsonNode entry : Json.required(file, "requests")) {
            X25519KeyPair e = checkLinkKey(entry);
            LinkRequest request = new LinkRequest(Json.bytes(entry, "deviceKey"), Json.text(entry, "name"));
            assertArrayEquals(Json.bytes(entry, "encoded"), request.encode(), "request encoding");
            assertArrayEquals(Json.bytes(entry, "sealed"), LinkSealing.sealRequest(e.publicKey(), request), "sealed request");
            assertEquals(request, LinkSealing.openRequest(e.publicKey(), Json.bytes(entry, "sealed")), "opened request");
            checks += 5;
        }
        for (JsonNode entry : Json.required(file, "messages")) {
            X25519KeyPair e = checkLinkKey(entry);
            byte[] plaintext = Json.bytes(entry, "plaintext");
            RecordedRandomness ek = Recorded.replay(entry, "x25519Keys");
            assertArrayEquals(Json.bytes(entry, "sealed"), LinkSealing.sealMessage(e.publicKey(), plaintext, ek), "sealed message");
            assertEquals(0, ek.remaining(), "every recorded key used");
            assertArrayEquals(plaintext, LinkSealing.openMessage(e, Json.bytes(entry, "sealed")), "opened message");
            checks += 5;
        }
        return checks;
    }

    private static X25519KeyPair checkLinkKey(JsonNode entry) {
        X25519KeyPair e = X25519KeyPair.fromPrivateKey(Json.bytes(entry, "linkPrivateKey"));
        assertArrayEquals(Json.bytes(entry, "linkPublicKey"), e.publicKey(), "link public key");
        assertArrayEquals(Json.bytes(entry, "channel"), LinkSealing.channel(e.publicKey()), "channel");
        return e;
    }
}
