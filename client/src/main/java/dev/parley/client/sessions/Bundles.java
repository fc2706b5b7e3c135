package dev.parley.client.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.net.Connection;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.KemPreKeyPublic;
import dev.parley.protocol.keys.OneTimePreKeyPublic;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.keys.SignedPreKeyPublic;
import dev.parley.wire.FrameRefused;
import dev.parley.wire.signed.KemKeyKind;
import java.util.Optional;

/** JSON forms of identities and prekey bundles (PROTOCOL.md §3-5, CRYPTO.md §1.2). */
public final class Bundles {

    private Bundles() {
    }

    public static ObjectNode identityJson(PublicIdentity identity) {
        return Connection.JSON.createObjectNode().put("signingKey", Connection.b64(identity.signingKey()))
                .put("dhKey", Connection.b64(identity.dhKey())).put("binding", Connection.b64(identity.binding()));
    }

    /** Parses {@code {"signingKey","dhKey","binding"}} and verifies the binding signature. */
    public static PublicIdentity parseIdentity(JsonNode json) throws ProtocolException {
        return PublicIdentity.verify(bytes(json, "signingKey"), bytes(json, "dhKey"), bytes(json, "binding"));
    }

    /** Parses a bundle and verifies every signature in it (a bundle with any bad one is refused whole). */
    public static PreKeyBundle parseAndVerify(JsonNode json) throws ProtocolException {
        PublicIdentity identity = parseIdentity(required(json, "identity"));
        JsonNode caps = json.get("capabilities");
        JsonNode spk = required(json, "signedPreKey");
        JsonNode opk = json.get("oneTimePreKey");
        JsonNode kem = json.get("kemPreKey");
        var bundle = new PreKeyBundle(identity,
                caps == null || caps.isNull() ? Optional.empty()
                        : Optional.of(new Capabilities((int) number(caps, "flags"), bytes(caps, "signature"))),
                new SignedPreKeyPublic(number(spk, "id"), bytes(spk, "key"), bytes(spk, "signature")),
                opk == null || opk.isNull() ? Optional.empty()
                        : Optional.of(new OneTimePreKeyPublic(number(opk, "id"), bytes(opk, "key"))),
                kem == null || kem.isNull() ? Optional.empty()
                        : Optional.of(new KemPreKeyPublic(number(kem, "id"), kemKind(kem),
                                bytes(kem, "key"), bytes(kem, "signature"))));
        bundle.verify();
        return bundle;
    }

    private static KemKeyKind kemKind(JsonNode kem) throws ProtocolException {
        try {
            return KemKeyKind.fromWire(required(kem, "kind").asText());
        } catch (FrameRefused e) {
            throw new ProtocolException(Failure.MALFORMED, "unknown KEM prekey kind");
        }
    }

    private static JsonNode required(JsonNode json, String field) throws ProtocolException {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException(Failure.MALFORMED, "bundle field missing: " + field);
        }
        return value;
    }

    private static long number(JsonNode json, String field) throws ProtocolException {
        JsonNode value = required(json, field);
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new ProtocolException(Failure.MALFORMED, "bundle field is not an integer: " + field);
        }
        return value.asLong();
    }

    private static byte[] bytes(JsonNode json, String field) throws ProtocolException {
        JsonNode value = required(json, field);
        if (!value.isTextual()) {
            throw new ProtocolException(Failure.MALFORMED, "bundle field is not base64url: " + field);
        }
        try {
            return Connection.fromB64(value.asText());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Failure.MALFORMED, "bundle field is not base64url: " + field);
        }
    }
}
