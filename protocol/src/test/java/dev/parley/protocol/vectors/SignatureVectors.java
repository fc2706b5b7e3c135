package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.KemPreKeyKind;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.SignatureContext;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code signatures.json} (CRYPTO.md §1.1): {@code signer} (party), {@code identity} (its public
 * keys) and {@code signatures[]} of {@code {role, label, signedBytes, signature}} plus the role's
 * fields: {@code identity}; {@code signed-prekey} with {@code id, key}; {@code kem-prekey} with
 * {@code id, kind, key}; {@code capabilities} with {@code flags}.
 */
final class SignatureVectors {

    private SignatureVectors() {}

    static ObjectNode generate() {
        DeterministicRandomness random = new DeterministicRandomness("parley-vectors/signatures");
        ObjectNode signer = VectorDevice.newParty(random, "alice", 7, true, true, KemPreKeyKind.ONE_TIME);
        VectorDevice device = VectorDevice.fromSecrets(signer);
        PublicIdentity identity = device.identity.publicIdentity();
        KemPreKey kem = device.kemPreKey.orElseThrow();

        ObjectNode file = Json.object();
        file.put("description", "Parley shared test vector signatures.json (docs/CRYPTO.md §1.1), written by the Java implementation");
        file.set("signer", signer);
        file.putObject("identity").put("signingKey", Json.b64(identity.signingKey())).put("dhKey", Json.b64(identity.dhKey()));
        ArrayNode signatures = file.putArray("signatures");
        signatures.addObject().put("role", "identity").put("label", SignatureContext.IDENTITY_BINDING.label())
                .put("signedBytes", Json.b64(SignatureContext.IDENTITY_BINDING.signedBytes(identity.dhKey())))
                .put("signature", Json.b64(identity.binding()));
        byte[] spkData = new ByteWriter().u32(device.signedPreKey.id()).bytes(device.signedPreKey.keyPair().publicKey()).toByteArray();
        signatures.addObject().put("role", "signed-prekey").put("label", SignatureContext.SIGNED_PREKEY.label())
                .put("id", device.signedPreKey.id()).put("key", Json.b64(device.signedPreKey.keyPair().publicKey()))
                .put("signedBytes", Json.b64(SignatureContext.SIGNED_PREKEY.signedBytes(spkData)))
                .put("signature", Json.b64(device.signedPreKey.signature()));
        byte[] kemData = new ByteWriter().u32(kem.id()).u8(kem.kind().wire()).bytes(kem.publicKey().key()).toByteArray();
        signatures.addObject().put("role", "kem-prekey").put("label", SignatureContext.KEM_PREKEY.label())
                .put("id", kem.id()).put("kind", kem.kind().json()).put("key", Json.b64(kem.publicKey().key()))
                .put("signedBytes", Json.b64(SignatureContext.KEM_PREKEY.signedBytes(kemData)))
                .put("signature", Json.b64(kem.signature()));
        signatures.addObject().put("role", "capabilities").put("label", SignatureContext.CAPABILITIES.label())
                .put("flags", device.capabilities.flags())
                .put("signedBytes", Json.b64(SignatureContext.CAPABILITIES.signedBytes(new byte[] {(byte) device.capabilities.flags()})))
                .put("signature", Json.b64(device.capabilities.signature()));
        return file;
    }

    static int verify(JsonNode file) throws ProtocolException {
        VectorDevice signer = VectorDevice.fromSecrets(Json.required(file, "signer"));
        PublicIdentity identity = signer.identity.publicIdentity();
        JsonNode publicKeys = Json.required(file, "identity");
        assertArrayEquals(identity.signingKey(), Json.bytes(publicKeys, "signingKey"), "identity.signingKey");
        assertArrayEquals(identity.dhKey(), Json.bytes(publicKeys, "dhKey"), "identity.dhKey");
        byte[] seed = signer.identity.signingPrivateKey();
        Set<SignatureContext> seen = EnumSet.noneOf(SignatureContext.class);
        int checks = 0;
        for (JsonNode entry : Json.required(file, "signatures")) {
            String role = Json.text(entry, "role");
            SignatureContext context;
            byte[] data;
            switch (role) {
                case "identity" -> {
                    context = SignatureContext.IDENTITY_BINDING;
                    data = identity.dhKey();
                }
                case "signed-prekey" -> {
                    context = SignatureContext.SIGNED_PREKEY;
                    data = new ByteWriter().u32(Json.number(entry, "id")).bytes(Json.bytes(entry, "key")).toByteArray();
                }
                case "kem-prekey" -> {
                    context = SignatureContext.KEM_PREKEY;
                    data = new ByteWriter().u32(Json.number(entry, "id"))
                            .u8(KemPreKeyKind.fromJson(Json.text(entry, "kind")).wire()).bytes(Json.bytes(entry, "key")).toByteArray();
                }
                case "capabilities" -> {
                    context = SignatureContext.CAPABILITIES;
                    data = new byte[] {(byte) Json.number(entry, "flags")};
                }
                default -> throw new IllegalArgumentException("unknown signature role " + role);
            }
            seen.add(context);
            if (context == SignatureContext.SIGNED_PREKEY && signer.signedPreKey != null) {
                assertArrayEquals(signer.signedPreKey.keyPair().publicKey(), Json.bytes(entry, "key"), "signer's signed prekey");
            }
            if (context == SignatureContext.KEM_PREKEY && signer.kemPreKey.isPresent()) {
                assertArrayEquals(signer.kemPreKey.get().publicKey().key(), Json.bytes(entry, "key"), "signer's KEM prekey");
            }
            byte[] signedBytes = Json.bytes(entry, "signedBytes");
            byte[] signature = Json.bytes(entry, "signature");
            assertEquals(context.label(), Json.text(entry, "label"), role + ".label");
            assertArrayEquals(context.signedBytes(data), signedBytes, role + ".signedBytes");
            assertTrue(Ed25519.verify(identity.signingKey(), signedBytes, signature), role + " signature verifies");
            assertArrayEquals(Ed25519.sign(seed, identity.signingKey(), signedBytes), signature, role + " is the RFC 8032 signature");
            for (SignatureContext other : SignatureContext.values()) {
                if (other != context) {
                    assertFalse(Ed25519.verify(identity.signingKey(), other.signedBytes(data), signature),
                            role + " signature must not verify as " + other);
                }
            }
            checks += 4;
        }
        assertEquals(EnumSet.allOf(SignatureContext.class), seen, "every signature role is covered");
        return checks;
    }
}
