package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.devices.DeviceListCheck;
import dev.parley.protocol.devices.DeviceListCheck.Accepted;
import dev.parley.protocol.devices.DeviceListCheck.Decision;
import dev.parley.protocol.devices.DeviceListCheck.Reason;
import dev.parley.protocol.devices.DeviceListCheck.Refused;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.SignedBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code devices.json} (CRYPTO.md §10.4): the contact's public identity {@code contact:
 * {signingKey, dhKey, binding}} and {@code cases[]} of {@code {name, previous (a list or null),
 * list, expected}}, lists in their wire form {@code {version, issuedAt, devices: [{id, key,
 * linkedAt}], signature}}, {@code expected} {@code {accepted: true, same}} or
 * {@code {accepted: false, reason}} with reason {@code malformed | bad-signature | rollback |
 * same-version-different-content | reused-device-id}.
 */
final class DeviceListVectors {

    private static final long T = 1_767_225_600_000L;

    private DeviceListVectors() {}

    static ObjectNode generate() {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/devices");
        IdentityKeyPair identity = IdentityKeyPair.generate(random);
        IdentityKeyPair stranger = IdentityKeyPair.generate(random);
        byte[][] keys = new byte[8][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.bytes(32);
        }
        ObjectNode file = Json.vectorFile("devices.json", "§10.4");
        PublicIdentity contact = identity.publicIdentity();
        file.putObject("contact").put("signingKey", Json.b64(contact.signingKey())).put("dhKey", Json.b64(contact.dhKey()))
                .put("binding", Json.b64(contact.binding()));
        ArrayNode cases = file.putArray("cases");
        DeviceList v1 = signed(identity, 1, T, entry(1, keys[1], T));
        DeviceList v2 = signed(identity, 2, T + 10, entry(1, keys[1], T), entry(2, keys[2], T + 10));
        DeviceList v2Other = signed(identity, 2, T + 11, entry(1, keys[1], T), entry(2, keys[2], T + 10));
        DeviceList v2Gap = signed(identity, 2, T + 10, entry(1, keys[1], T), entry(3, keys[3], T + 10));
        add(cases, "first list", null, v1, new Accepted(false));
        add(cases, "a device linked", v1, v2, new Accepted(false));
        add(cases, "the same list again", v2, v2, new Accepted(true));
        add(cases, "unlinked, versions skipped", v2,
                signed(identity, 5, T + 50, entry(1, keys[1], T)), new Accepted(false));
        add(cases, "new id above every earlier one", v2Gap,
                signed(identity, 3, T + 20, entry(1, keys[1], T), entry(3, keys[3], T + 10), entry(4, keys[4], T + 20)),
                new Accepted(false));
        add(cases, "same version, other content", v2, v2Other, new Refused(Reason.SAME_VERSION_DIFFERENT_CONTENT, ""));
        add(cases, "rollback", v2, v1, new Refused(Reason.ROLLBACK, ""));
        add(cases, "signed by another identity", null,
                signed(stranger, 1, T, entry(1, keys[1], T)), new Refused(Reason.BAD_SIGNATURE, ""));
        byte[] flipped = v2.signature();
        flipped[10] ^= 0x04;
        add(cases, "signature bit flipped", v1, withSignature(v2, flipped), new Refused(Reason.BAD_SIGNATURE, ""));
        add(cases, "version changed after signing", v1,
                new DeviceList(3, v2.issuedAt(), v2.devices(), v2.signature()), new Refused(Reason.BAD_SIGNATURE, ""));
        add(cases, "a rollback with a bad signature is a bad signature", v2,
                withSignature(v1, flipped), new Refused(Reason.BAD_SIGNATURE, ""));
        add(cases, "ids not ascending", null,
                signed(identity, 1, T, entry(2, keys[2], T), entry(1, keys[1], T)), new Refused(Reason.MALFORMED, ""));
        add(cases, "duplicate ids", null,
                signed(identity, 1, T, entry(1, keys[1], T), entry(1, keys[2], T)), new Refused(Reason.MALFORMED, ""));
        add(cases, "duplicate keys", null,
                signed(identity, 1, T, entry(1, keys[1], T), entry(2, keys[1], T)), new Refused(Reason.MALFORMED, ""));
        add(cases, "no devices", null, signed(identity, 1, T), new Refused(Reason.MALFORMED, ""));
        List<DeviceEntry> seven = new ArrayList<>();
        for (int id = 1; id <= 7; id++) {
            seven.add(entry(id, keys[id], T));
        }
        add(cases, "seven devices", null, signed(identity, 1, T, seven.toArray(DeviceEntry[]::new)),
                new Refused(Reason.MALFORMED, ""));
        add(cases, "device id 0", null, new DeviceList(1, T, List.of(entry(0, keys[1], T)), v1.signature()),
                new Refused(Reason.MALFORMED, ""));
        add(cases, "version 0", null, new DeviceList(0, T, v1.devices(), v1.signature()), new Refused(Reason.MALFORMED, ""));
        add(cases, "an unlisted id at or below the largest earlier id", v2Gap,
                signed(identity, 3, T + 20, entry(1, keys[1], T), entry(2, keys[2], T + 20), entry(3, keys[3], T + 10)),
                new Refused(Reason.REUSED_DEVICE_ID, ""));
        add(cases, "a listed id with another key", v2,
                signed(identity, 3, T + 20, entry(1, keys[1], T), entry(2, keys[5], T + 20)),
                new Refused(Reason.REUSED_DEVICE_ID, ""));
        return file;
    }

    private static DeviceEntry entry(int id, byte[] key, long linkedAt) {
        return new DeviceEntry(id, key, linkedAt);
    }

    private static DeviceList signed(IdentityKeyPair signer, long version, long issuedAt, DeviceEntry... devices) {
        List<DeviceEntry> list = List.of(devices);
        return new DeviceList(version, issuedAt, list, signer.sign(SignedBytes.deviceList(version, issuedAt, list)));
    }

    private static DeviceList withSignature(DeviceList list, byte[] signature) {
        return new DeviceList(list.version(), list.issuedAt(), list.devices(), signature);
    }

    private static void add(ArrayNode cases, String name, DeviceList previous, DeviceList list, Decision expected) {
        ObjectNode entry = cases.addObject().put("name", name);
        if (previous == null) {
            entry.putNull("previous");
        } else {
            entry.set("previous", write(previous));
        }
        entry.set("list", write(list));
        entry.set("expected", write(expected));
    }

    static ObjectNode write(DeviceList list) {
        ObjectNode node = Json.object().put("version", list.version()).put("issuedAt", list.issuedAt());
        ArrayNode devices = node.putArray("devices");
        for (DeviceEntry e : list.devices()) {
            devices.addObject().put("id", e.id()).put("key", Json.b64(e.key())).put("linkedAt", e.linkedAt());
        }
        return node.put("signature", Json.b64(list.signature()));
    }

    private static ObjectNode write(Decision decision) {
        return switch (decision) {
            case Accepted a -> Json.object().put("accepted", true).put("same", a.same());
            case Refused r -> Json.object().put("accepted", false).put("reason", reasonName(r.reason()));
        };
    }

    static String reasonName(Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static DeviceList read(JsonNode node) {
        List<DeviceEntry> devices = new ArrayList<>();
        for (JsonNode e : Json.required(node, "devices")) {
            devices.add(new DeviceEntry((int) Json.number(e, "id"), Json.bytes(e, "key"), Json.number(e, "linkedAt")));
        }
        return new DeviceList(Json.number(node, "version"), Json.number(node, "issuedAt"), devices, Json.bytes(node, "signature"));
    }

    static int verify(JsonNode file) throws ProtocolException {
        JsonNode c = Json.required(file, "contact");
        PublicIdentity contact = PublicIdentity.verify(Json.bytes(c, "signingKey"), Json.bytes(c, "dhKey"), Json.bytes(c, "binding"));
        int checks = 0;
        for (JsonNode entry : Json.required(file, "cases")) {
            JsonNode previousNode = entry.get("previous");
            DeviceList previous = previousNode == null || previousNode.isNull() ? null : read(previousNode);
            Decision decision = DeviceListCheck.check(contact, previous, read(Json.required(entry, "list")));
            JsonNode expected = Json.required(entry, "expected");
            String actual = switch (decision) {
                case Accepted a -> "accepted same=" + a.same();
                case Refused r -> "refused " + reasonName(r.reason()) + " (" + r.detail() + ")";
            };
            String wanted = expected.path("accepted").asBoolean()
                    ? "accepted same=" + expected.path("same").asBoolean()
                    : "refused " + Json.text(expected, "reason");
            assertEquals(wanted, decision instanceof Refused r ? "refused " + reasonName(r.reason()) : actual,
                    Json.text(entry, "name") + ": got " + actual);
            checks++;
        }
        assertEquals(true, checks >= 15, "devices.json holds its cases");
        return checks;
    }
}
