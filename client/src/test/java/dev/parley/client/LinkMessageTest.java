package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The link message the SDK seals to a new device: round trip, strict decoding, nothing secret printed. */
class LinkMessageTest {

    private static final Randomness RANDOM = Randomness.from(new SecureRandom());

    private static LinkMessage sample(IdentityKeyPair identity) {
        byte[] first = Ed25519.publicKey(Ed25519.newPrivateKey(RANDOM));
        byte[] second = Ed25519.publicKey(Ed25519.newPrivateKey(RANDOM));
        DeviceList list = DeviceLists.sign(identity, 2, 1_000, List.of(new DeviceEntry(1, first, 10), new DeviceEntry(2, second, 1_000)));
        Contact bob = new Contact("bob", IdentityKeyPair.generate(RANDOM).publicIdentity(), Contact.Trust.VERIFIED);
        return new LinkMessage("alice", 2, identity, list, true, List.of(LinkMessage.LinkedContact.of(bob)),
                Map.of(1, "Laptop", 2, "Phone"), true);
    }

    @Test
    void roundTripsWithTheIdentityListContactsAndNames() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        LinkMessage message = sample(identity);
        LinkMessage decoded = LinkMessage.decode(message.encode());
        assertEquals("alice", decoded.username());
        assertEquals(2, decoded.device());
        assertArrayEquals(identity.signingPrivateKey(), decoded.identity().signingPrivateKey());
        assertEquals(identity.publicIdentity(), decoded.identity().publicIdentity());
        assertEquals(List.of(1, 2), decoded.list().deviceIds());
        assertArrayEquals(message.list().signature(), decoded.list().signature());
        assertEquals(Optional.empty(), DeviceLists.refusal(identity.publicIdentity(), Optional.empty(), decoded.list()));
        LinkMessage.LinkedContact bob = decoded.contacts().getFirst();
        assertEquals(List.of("bob", Contact.Trust.VERIFIED, message.contacts().getFirst().verified()),
                List.of(bob.username(), bob.trust(), bob.verified()));
        assertEquals(Map.of(1, "Laptop", 2, "Phone"), decoded.deviceNames());
        assertTrue(decoded.history());
        assertTrue(decoded.recoveryCodeShown());
        String printed = decoded.toString();
        assertFalse(printed.contains(WireJson.base64(identity.signingPrivateKey())), printed);
    }

    @Test
    void aContactWithoutBindingKeepsItsKeysAndAnUnusableDeviceNameIsLeftOut() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        LinkMessage message = sample(identity);
        ObjectNode json = (ObjectNode) WireJson.MAPPER.readTree(message.encode());
        ((ObjectNode) json.get("contacts").get(0).get("identity")).remove("binding"); // as a browser writes it
        for (var device : json.get("devices")) {
            if (device.get("id").asInt() == 1) {
                ((ObjectNode) device).put("name", "bad\u202Ename");
            }
        }
        LinkMessage decoded = LinkMessage.decode(json.toString().getBytes(StandardCharsets.UTF_8));
        LinkMessage.LinkedContact bob = decoded.contacts().getFirst();
        assertEquals(null, bob.verified());
        assertArrayEquals(message.contacts().getFirst().identityKey(), bob.identityKey());
        assertEquals(Map.of(2, "Phone"), decoded.deviceNames());
    }

    @Test
    void aPrivateKeyThatDoesNotMatchItsPublicIdentityIsRefused() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        ObjectNode json = (ObjectNode) WireJson.MAPPER.readTree(sample(identity).encode());
        ((ObjectNode) json.get("identity")).put("signingPrivate",
                WireJson.base64(IdentityKeyPair.generate(RANDOM).signingPrivateKey()));
        ClientException refused = assertThrows(ClientException.class,
                () -> LinkMessage.decode(json.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(ClientException.Reason.REFUSED, refused.reason());
    }

    @Test
    void missingOrMistypedFieldsAreRefused() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        for (String field : List.of("username", "device", "identity", "list", "contacts", "devices", "history",
                "recoveryCodeShown")) {
            ObjectNode json = (ObjectNode) WireJson.MAPPER.readTree(sample(identity).encode());
            json.remove(field);
            assertThrows(ClientException.class, () -> LinkMessage.decode(json.toString().getBytes(StandardCharsets.UTF_8)),
                    field);
            json.put(field, "wrong type");
            if (!field.equals("username")) {
                assertThrows(ClientException.class, () -> LinkMessage.decode(json.toString().getBytes(StandardCharsets.UTF_8)),
                        field);
            }
        }
        assertThrows(ClientException.class, () -> LinkMessage.decode("not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aListSignedByAnotherIdentityOrAlteredIsRefusedByTheCheck() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        LinkMessage message = sample(identity);
        IdentityKeyPair other = IdentityKeyPair.generate(RANDOM);
        assertTrue(DeviceLists.refusal(other.publicIdentity(), Optional.empty(), message.list()).isPresent());
        DeviceList list = message.list();
        DeviceList altered = new DeviceList(list.version(), list.issuedAt() + 1, list.devices(), list.signature());
        assertTrue(DeviceLists.refusal(identity.publicIdentity(), Optional.empty(), altered).isPresent());
        DeviceList newer = DeviceLists.sign(identity, 3, 2_000, list.devices().subList(0, 1));
        assertTrue(DeviceLists.refusal(identity.publicIdentity(), Optional.of(newer), list).isPresent(), "rollback");
        DeviceList sameVersion = DeviceLists.sign(identity, 2, 1_000, list.devices().subList(0, 1));
        assertTrue(DeviceLists.refusal(identity.publicIdentity(), Optional.of(list), sameVersion).isPresent(),
                "same version, other content");
        assertEquals(Optional.empty(), DeviceLists.refusal(identity.publicIdentity(), Optional.of(list), newer));
    }
}
