package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ClientException.Reason;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.WireJson;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The link message (LINKED-DEVICES.md, "Linking" step 3): what an approving device gives a new
 * one, as UTF-8 JSON sealed to the link code ({@code LinkSealing.sealMessage}):
 * {@code {"username", "device", "identity":{"signingKey","dhKey","binding","signingPrivate","dhPrivate"},
 * "list":{"version","issuedAt","devices":[{"id","key","linkedAt"}],"signature"}, "recoveryCodeShown",
 * "contacts":[{"username","identity":{"signingKey","dhKey","binding"},"trust"}], "devices":[{"id","name"}],
 * "history"}}, bytes in base64url. This is the one place the SDK writes and reads it. Decoding is
 * strict: a missing or malformed field, an identity whose private keys do not match its public
 * ones, or a binding that does not verify is refused. Prints no key.
 */
record LinkMessage(String username, int device, IdentityKeyPair identity, DeviceList list, boolean recoveryCodeShown,
        List<LinkedContact> contacts, Map<Integer, String> deviceNames, boolean history) {

    /**
     * A contact as the link message carries it: its {@code IKs || IKd} and the trust given to
     * it. The binding signature is written (so a reader can verify the identity) but not
     * required: a browser's link message omits it; such a contact's trust is applied when the
     * directory shows the same identity ({@link dev.parley.client.store.ClientStore#saveLinkedTrust}).
     */
    record LinkedContact(String username, byte[] identityKey, PublicIdentity verified, Contact.Trust trust) {
        static LinkedContact of(Contact contact) {
            return new LinkedContact(contact.username(), OwnDevicesSync.identityKey(contact.identity()), contact.identity(),
                    contact.trust());
        }

        @Override
        public String toString() {
            return "LinkedContact[" + username + ", " + trust + "]";
        }
    }

    LinkMessage {
        contacts = List.copyOf(contacts);
        deviceNames = Map.copyOf(deviceNames);
    }

    byte[] encode() {
        ObjectNode root = WireJson.MAPPER.createObjectNode();
        root.put("username", username).put("device", device);
        ObjectNode id = publicIdentity(root.putObject("identity"), identity.publicIdentity());
        id.put("signingPrivate", WireJson.base64(identity.signingPrivateKey()));
        id.put("dhPrivate", WireJson.base64(identity.dh().privateKey()));
        ObjectNode listNode = root.putObject("list").put("version", list.version()).put("issuedAt", list.issuedAt());
        ArrayNode entries = listNode.putArray("devices");
        list.devices().forEach(e -> entries.addObject().put("id", e.id()).put("key", WireJson.base64(e.key()))
                .put("linkedAt", e.linkedAt()));
        listNode.put("signature", WireJson.base64(list.signature()));
        root.put("recoveryCodeShown", recoveryCodeShown);
        ArrayNode contactNodes = root.putArray("contacts");
        for (LinkedContact contact : contacts) {
            ObjectNode node = contactNodes.addObject().put("username", contact.username());
            publicIdentity(node.putObject("identity"), contact.verified());
            node.put("trust", contact.trust().name().toLowerCase(java.util.Locale.ROOT));
        }
        ArrayNode names = root.putArray("devices");
        deviceNames.forEach((deviceId, name) -> names.addObject().put("id", deviceId).put("name", name));
        root.put("history", history);
        try {
            return WireJson.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("the link message cannot be written", e);
        }
    }

    private static ObjectNode publicIdentity(ObjectNode node, PublicIdentity identity) {
        return node.put("signingKey", WireJson.base64(identity.signingKey())).put("dhKey", WireJson.base64(identity.dhKey()))
                .put("binding", WireJson.base64(identity.binding()));
    }

    static LinkMessage decode(byte[] json) throws ClientException {
        try {
            JsonNode root = WireJson.MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
            String username = text(root, "username");
            if (!WireLimits.USERNAME.matcher(username).matches()) {
                throw bad("username");
            }
            int device = number(root, "device");
            JsonNode id = object(root, "identity");
            IdentityKeyPair identity = IdentityKeyPair.fromPrivateKeys(bytes(id, "signingPrivate"), bytes(id, "dhPrivate"));
            if (!identity.publicIdentity().equals(publicIdentity(id))) {
                throw bad("identity (private and public keys differ)");
            }
            JsonNode listNode = object(root, "list");
            List<DeviceEntry> entries = new ArrayList<>();
            for (JsonNode entry : array(listNode, "devices")) {
                entries.add(new DeviceEntry(number(entry, "id"), bytes(entry, "key"), longNumber(entry, "linkedAt")));
            }
            DeviceList list = new DeviceList(longNumber(listNode, "version"), longNumber(listNode, "issuedAt"), entries,
                    bytes(listNode, "signature"));
            List<LinkedContact> contacts = new ArrayList<>();
            for (JsonNode contact : array(root, "contacts")) {
                String trust = text(contact, "trust").toUpperCase(java.util.Locale.ROOT);
                JsonNode keys = object(contact, "identity");
                byte[] signingKey = bytes(keys, "signingKey");
                byte[] dhKey = bytes(keys, "dhKey");
                if (signingKey.length != 32 || dhKey.length != 32) {
                    throw bad("contact identity");
                }
                PublicIdentity verified = keys.hasNonNull("binding") ? publicIdentity(keys) : null;
                contacts.add(new LinkedContact(text(contact, "username"), dev.parley.protocol.codec.Bytes.concat(signingKey, dhKey),
                        verified, Contact.Trust.valueOf(trust)));
            }
            Map<Integer, String> names = new TreeMap<>();
            for (JsonNode name : array(root, "devices")) {
                String text = text(name, "name");
                if (DeviceNames.valid(text)) { // a name this client would not show is left out, not the link
                    names.put(number(name, "id"), text);
                }
            }
            return new LinkMessage(username, device, identity, list, bool(root, "recoveryCodeShown"), contacts, names,
                    bool(root, "history"));
        } catch (IOException | RuntimeException | ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the link message is malformed (" + e.getMessage() + "); the link was"
                    + " altered or made by an incompatible client");
        }
    }

    private static PublicIdentity publicIdentity(JsonNode node) throws ProtocolException {
        return PublicIdentity.verify(bytes(node, "signingKey"), bytes(node, "dhKey"), bytes(node, "binding"));
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw bad(name + " missing");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw bad(name);
        }
        return value.asText();
    }

    private static byte[] bytes(JsonNode node, String name) {
        return WireJson.fromBase64(text(node, name));
    }

    private static int number(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isInt()) {
            throw bad(name);
        }
        return value.asInt();
    }

    private static long longNumber(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw bad(name);
        }
        return value.asLong();
    }

    private static boolean bool(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isBoolean()) {
            throw bad(name);
        }
        return value.asBoolean();
    }

    private static JsonNode object(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isObject()) {
            throw bad(name);
        }
        return value;
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw bad(name);
        }
        return value;
    }

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("bad " + what);
    }

    @Override
    public String toString() {
        return "LinkMessage[username=" + username + ", device=" + device + ", list=v" + list.version() + ", contacts="
                + contacts.size() + ", history=" + history + "]";
    }
}
