package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.SignatureLabel;
import dev.parley.wire.signed.SignedBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code signatures.json} (CRYPTO.md §1.1): {@code signer} (party), {@code identity} (its public
 * keys) and {@code signatures[]} of {@code {role, label, signedBytes, signature}} plus the role's
 * fields: {@code identity}; {@code signed-prekey} with {@code id, key}; {@code kem-prekey} with
 * {@code id, kind, key}; {@code capabilities} with {@code flags}; {@code device-list} with
 * {@code version, issuedAt, devices} (CRYPTO.md §10.4). Device logins are signed by a device key,
 * not the identity: they are in test-vectors/wire/signed.json with the auth signatures.
 */
final class SignatureVectors {

    private SignatureVectors() {}

    static ObjectNode generate() {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/signatures");
        ObjectNode signer = VectorDevice.newParty(random, "alice", 7, true, true, KemKeyKind.ONE_TIME);
        VectorDevice device = VectorDevice.fromSecrets(signer);
        PublicIdentity identity = device.identity.publicIdentity();
        KemPreKey kem = device.kemPreKey.orElseThrow();

        ObjectNode file = Json.vectorFile("signatures.json", "§1.1");
        file.set("signer", signer);
        file.putObject("identity").put("signingKey", Json.b64(identity.signingKey())).put("dhKey", Json.b64(identity.dhKey()));
        ArrayNode signatures = file.putArray("signatures");
        signatures.addObject().put("role", "identity").put("label", SignatureLabel.IDENTITY_BINDING.label())
                .put("signedBytes", Json.b64(SignedBytes.identityBinding(identity.dhKey())))
                .put("signature", Json.b64(identity.binding()));
        byte[] spkKey = device.signedPreKey.keyPair().publicKey();
        signatures.addObject().put("role", "signed-prekey").put("label", SignatureLabel.SIGNED_PREKEY.label())
                .put("id", device.signedPreKey.id()).put("key", Json.b64(spkKey))
                .put("signedBytes", Json.b64(SignedBytes.signedPreKey(device.signedPreKey.id(), spkKey)))
                .put("signature", Json.b64(device.signedPreKey.signature()));
        signatures.addObject().put("role", "kem-prekey").put("label", SignatureLabel.KEM_PREKEY.label())
                .put("id", kem.id()).put("kind", kem.kind().wireName()).put("key", Json.b64(kem.publicKey().key()))
                .put("signedBytes", Json.b64(SignedBytes.kemPreKey(kem.id(), kem.kind(), kem.publicKey().key())))
                .put("signature", Json.b64(kem.signature()));
        signatures.addObject().put("role", "capabilities").put("label", SignatureLabel.CAPABILITIES.label())
                .put("flags", device.capabilities.flags())
                .put("signedBytes", Json.b64(SignedBytes.capabilities(device.capabilities.flags())))
                .put("signature", Json.b64(device.capabilities.signature()));
        DeviceList list = deviceList(random);
        ObjectNode listEntry = signatures.addObject().put("role", "device-list").put("label", SignatureLabel.DEVICE_LIST.label())
                .put("version", list.version()).put("issuedAt", list.issuedAt());
        listEntry.set("devices", DeviceListVectors.write(list).get("devices"));
        listEntry.put("signedBytes", Json.b64(list.signedBytes()))
                .put("signature", Json.b64(device.identity.sign(list.signedBytes())));
        return file;
    }

    /** Two devices, the second linked later; its signature field is unused (the caller signs). */
    private static DeviceList deviceList(DeterministicRandomness random) {
        return new DeviceList(2, 1_767_225_600_000L, List.of(new DeviceEntry(1, random.bytes(32), 1_767_000_000_000L),
                new DeviceEntry(2, random.bytes(32), 1_767_225_600_000L)), new byte[64]);
    }

    static int verify(JsonNode file) throws ProtocolException {
        VectorDevice signer = VectorDevice.fromSecrets(Json.required(file, "signer"));
        PublicIdentity identity = signer.identity.publicIdentity();
        JsonNode publicKeys = Json.required(file, "identity");
        assertArrayEquals(identity.signingKey(), Json.bytes(publicKeys, "signingKey"), "identity.signingKey");
        assertArrayEquals(identity.dhKey(), Json.bytes(publicKeys, "dhKey"), "identity.dhKey");
        byte[] seed = signer.identity.signingPrivateKey();
        Set<SignatureLabel> seen = EnumSet.noneOf(SignatureLabel.class);
        int checks = 0;
        for (JsonNode entry : Json.required(file, "signatures")) {
            String role = Json.text(entry, "role");
            SignatureLabel label;
            byte[] expected;
            switch (role) {
                case "identity" -> {
                    label = SignatureLabel.IDENTITY_BINDING;
                    expected = SignedBytes.identityBinding(identity.dhKey());
                }
                case "signed-prekey" -> {
                    label = SignatureLabel.SIGNED_PREKEY;
                    expected = SignedBytes.signedPreKey(Json.number(entry, "id"), Json.bytes(entry, "key"));
                }
                case "kem-prekey" -> {
                    label = SignatureLabel.KEM_PREKEY;
                    expected = SignedBytes.kemPreKey(Json.number(entry, "id"), KemKeyKind.fromWire(Json.text(entry, "kind")),
                            Json.bytes(entry, "key"));
                }
                case "capabilities" -> {
                    label = SignatureLabel.CAPABILITIES;
                    expected = SignedBytes.capabilities((int) Json.number(entry, "flags"));
                }
                case "device-list" -> {
                    label = SignatureLabel.DEVICE_LIST;
                    List<DeviceEntry> devices = new ArrayList<>();
                    for (JsonNode e : Json.required(entry, "devices")) {
                        devices.add(new DeviceEntry((int) Json.number(e, "id"), Json.bytes(e, "key"), Json.number(e, "linkedAt")));
                    }
                    expected = SignedBytes.deviceList(Json.number(entry, "version"), Json.number(entry, "issuedAt"), devices);
                }
                default -> throw new IllegalArgumentException("unknown signature role " + role);
            }
            seen.add(label);
            if (label == SignatureLabel.SIGNED_PREKEY && signer.signedPreKey != null) {
                assertArrayEquals(signer.signedPreKey.keyPair().publicKey(), Json.bytes(entry, "key"), "signer's signed prekey");
            }
            if (label == SignatureLabel.KEM_PREKEY && signer.kemPreKey.isPresent()) {
                assertArrayEquals(signer.kemPreKey.get().publicKey().key(), Json.bytes(entry, "key"), "signer's KEM prekey");
            }
            byte[] signedBytes = Json.bytes(entry, "signedBytes");
            byte[] signature = Json.bytes(entry, "signature");
            assertEquals(label.label(), Json.text(entry, "label"), role + ".label");
            assertArrayEquals(expected, signedBytes, role + ".signedBytes");
            assertTrue(Ed25519.verify(identity.signingKey(), signedBytes, signature), role + " signature verifies");
            assertArrayEquals(Ed25519.sign(seed, identity.signingKey(), signedBytes), signature, role + " is the RFC 8032 signature");
            byte[] data = Arrays.copyOfRange(signedBytes, label.label().length() + 1, signedBytes.length);
            for (SignatureLabel other : SignatureLabel.values()) {
                if (other != label) {
                    assertFalse(Ed25519.verify(identity.signingKey(), other.signedBytes(data), signature),
                            role + " signature must not verify as " + other);
                }
            }
            checks += 4;
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(SignatureLabel.AUTH, SignatureLabel.DEVICE_AUTH,
                        SignatureLabel.GROUP_CHANGE, SignatureLabel.GROUP_MESSAGE)), seen,
                "every role an identity signs with is covered (auth and device login signatures are in test-vectors/wire/signed.json,"
                        + " group changes and group messages in groups.json)");
        return checks;
    }
}
