package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.X25519;
import dev.parley.wire.signed.SignedBytes;

/** A remote signed prekey as published in a bundle; {@link #verify} before use. */
public record SignedPreKeyPublic(long id, byte[] key, byte[] signature) {

    public SignedPreKeyPublic {
        PreKeyIds.requireU32(id);
        key = Bytes.requireLength(key, X25519.KEY_SIZE, "signed prekey").clone();
        signature = signature.clone();
    }

    public void verify(PublicIdentity owner) throws ProtocolException {
        owner.verifySignature(SignedBytes.signedPreKey(id, key), signature, "signed prekey");
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "SignedPreKeyPublic[id=" + id + ", key=" + Bytes.b64(key) + "]";
    }
}
