package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.KemPreKey;
import dev.parley.protocol.keys.KemPreKeyPublic;
import dev.parley.protocol.keys.OneTimePreKey;
import dev.parley.protocol.keys.OneTimePreKeyPublic;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.SignedPreKey;
import dev.parley.protocol.keys.SignedPreKeyPublic;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.protocol.testing.DeterministicRandomness;
import dev.parley.protocol.testing.InMemoryPrivatePreKeys;
import dev.parley.wire.signed.KemKeyKind;
import java.util.Optional;

/**
 * A device given by its private keys in the vector form (the same shape the browser tests use):
 *
 * <pre>
 * { "username", "signingKey": b64 Ed25519 seed, "dhKey": b64 X25519 private,
 *   "signedPreKey": {"id", "privateKey"} (optional), "oneTimePreKey": {"id", "privateKey"} (optional),
 *   "kemPreKey": {"id", "kind": "one-time" | "last-resort", "seed": b64 d || z} (optional),
 *   "capabilities": flags,
 *   "x25519Keys": [...], "randomBytes": [...], "kem": [{"ciphertext", "sharedSecret"}] }
 * </pre>
 *
 * The last three lists are the randomness the party drew, in order (test-vectors/README.md).
 *
 * Signatures are recomputed (Ed25519 is deterministic), so they equal the published ones.
 */
final class VectorDevice {

    final IdentityKeyPair identity;
    final Capabilities capabilities;
    /** Null for a party that only initiates (no published prekeys). */
    final SignedPreKey signedPreKey;
    final Optional<OneTimePreKey> oneTimePreKey;
    final Optional<KemPreKey> kemPreKey;

    private VectorDevice(JsonNode secrets) {
        this.identity = IdentityKeyPair.fromPrivateKeys(Json.bytes(secrets, "signingKey"), Json.bytes(secrets, "dhKey"));
        this.capabilities = Capabilities.sign(identity, secrets.has("capabilities") ? secrets.get("capabilities").asInt() : 0);
        JsonNode spk = secrets.get("signedPreKey");
        if (spk == null || spk.isNull()) {
            this.signedPreKey = null;
        } else {
            byte[] spkPrivate = Json.bytes(spk, "privateKey");
            this.signedPreKey = SignedPreKey.generate(identity, Json.number(spk, "id"),
                    out -> System.arraycopy(spkPrivate, 0, out, 0, out.length));
        }
        JsonNode opk = secrets.get("oneTimePreKey");
        this.oneTimePreKey = opk == null || opk.isNull() ? Optional.empty()
                : Optional.of(new OneTimePreKey(Json.number(opk, "id"), X25519KeyPair.fromPrivateKey(Json.bytes(opk, "privateKey"))));
        JsonNode kem = secrets.get("kemPreKey");
        if (kem == null || kem.isNull()) {
            this.kemPreKey = Optional.empty();
        } else {
            byte[] seed = Json.bytes(kem, "seed");
            KemKeyKind kind = KemKeyKind.fromWire(Json.text(kem, "kind"));
            this.kemPreKey = Optional.of(KemPreKey.generate(identity, Json.number(kem, "id"), kind,
                    out -> System.arraycopy(seed, 0, out, 0, out.length)));
        }
    }

    static VectorDevice fromSecrets(JsonNode secrets) {
        return new VectorDevice(secrets);
    }

    /**
     * A party with fresh keys drawn from {@code randomness}: identity only, or with a signed
     * prekey, an optional one-time prekey and a KEM prekey of {@code kemKind}.
     */
    static ObjectNode newParty(DeterministicRandomness randomness, String username, long firstId, boolean withPreKeys,
            boolean withOneTimePreKey, KemKeyKind kemKind) {
        ObjectNode party = Json.object();
        party.put("username", username);
        party.put("signingKey", Json.b64(randomness.bytes(32)));
        party.put("dhKey", Json.b64(randomness.bytes(32)));
        if (withPreKeys) {
            party.putObject("signedPreKey").put("id", firstId).put("privateKey", Json.b64(randomness.bytes(32)));
            if (withOneTimePreKey) {
                party.putObject("oneTimePreKey").put("id", firstId + 35).put("privateKey", Json.b64(randomness.bytes(32)));
            }
            party.putObject("kemPreKey").put("id", firstId + 2).put("kind", kemKind.wireName())
                    .put("seed", Json.b64(randomness.bytes(64)));
        }
        party.put("capabilities", 0);
        return party;
    }

    /** Appends what a party drew, in the README's three lists. */
    static void recordRandomness(ObjectNode party, DeterministicRandomness x25519, DeterministicRandomness randomBytes,
            com.fasterxml.jackson.databind.node.ArrayNode kem) {
        party.set("x25519Keys", x25519 == null ? Json.array() : Recorded.list(x25519));
        party.set("randomBytes", randomBytes == null ? Json.array() : Recorded.list(randomBytes));
        party.set("kem", kem == null ? Json.array() : kem);
    }

    InMemoryPrivatePreKeys preKeyStore() {
        InMemoryPrivatePreKeys store = new InMemoryPrivatePreKeys();
        if (signedPreKey != null) {
            store.signedPreKeys.put(signedPreKey.id(), signedPreKey);
        }
        oneTimePreKey.ifPresent(key -> store.oneTimePreKeys.put(key.id(), key));
        kemPreKey.ifPresent(key -> (key.kind() == KemKeyKind.ONE_TIME ? store.oneTimeKemPreKeys
                : store.lastResortKemPreKeys).put(key.id(), key));
        return store;
    }

    /** The §1.2 bundle JSON of this device. */
    ObjectNode bundleJson() {
        ObjectNode bundle = Json.object();
        PublicIdentity publicIdentity = identity.publicIdentity();
        ObjectNode id = bundle.putObject("identity");
        id.put("signingKey", Json.b64(publicIdentity.signingKey()));
        id.put("dhKey", Json.b64(publicIdentity.dhKey()));
        id.put("binding", Json.b64(publicIdentity.binding()));
        ObjectNode caps = bundle.putObject("capabilities");
        caps.put("flags", capabilities.flags());
        caps.put("signature", Json.b64(capabilities.signature()));
        ObjectNode spk = bundle.putObject("signedPreKey");
        spk.put("id", signedPreKey.id());
        spk.put("key", Json.b64(signedPreKey.keyPair().publicKey()));
        spk.put("signature", Json.b64(signedPreKey.signature()));
        oneTimePreKey.ifPresent(key -> {
            ObjectNode opk = bundle.putObject("oneTimePreKey");
            opk.put("id", key.id());
            opk.put("key", Json.b64(key.keyPair().publicKey()));
        });
        kemPreKey.ifPresent(key -> {
            ObjectNode kem = bundle.putObject("kemPreKey");
            KemPreKeyPublic pub = key.publicKey();
            kem.put("id", pub.id());
            kem.put("kind", pub.kind().wireName());
            kem.put("key", Json.b64(pub.key()));
            kem.put("signature", Json.b64(pub.signature()));
        });
        return bundle;
    }

    /** Parses a §1.2 bundle JSON (identity binding verified here; the rest by {@link PreKeyBundle#verify}). */
    static PreKeyBundle parseBundle(JsonNode json) throws ProtocolException {
        JsonNode id = Json.required(json, "identity");
        PublicIdentity identity = PublicIdentity.verify(Json.bytes(id, "signingKey"), Json.bytes(id, "dhKey"), Json.bytes(id, "binding"));
        JsonNode caps = json.get("capabilities");
        JsonNode spk = Json.required(json, "signedPreKey");
        JsonNode opk = json.get("oneTimePreKey");
        JsonNode kem = json.get("kemPreKey");
        return new PreKeyBundle(identity,
                caps == null || caps.isNull() ? Optional.empty()
                        : Optional.of(new Capabilities((int) Json.number(caps, "flags"), Json.bytes(caps, "signature"))),
                new SignedPreKeyPublic(Json.number(spk, "id"), Json.bytes(spk, "key"), Json.bytes(spk, "signature")),
                opk == null || opk.isNull() ? Optional.empty()
                        : Optional.of(new OneTimePreKeyPublic(Json.number(opk, "id"), Json.bytes(opk, "key"))),
                kem == null || kem.isNull() ? Optional.empty()
                        : Optional.of(new KemPreKeyPublic(Json.number(kem, "id"), KemKeyKind.fromWire(Json.text(kem, "kind")),
                                Json.bytes(kem, "key"), Json.bytes(kem, "signature"))));
    }
}
