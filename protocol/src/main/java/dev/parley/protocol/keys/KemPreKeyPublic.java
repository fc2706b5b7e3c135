package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.SignedBytes;

/** A remote ML-KEM-768 prekey as published in a bundle; {@link #verify} before use. */
public record KemPreKeyPublic(long id, KemKeyKind kind, byte[] key, byte[] signature) {

    public KemPreKeyPublic {
        PreKeyIds.requireU32(id);
        key = Bytes.requireLength(key, MlKem768.PUBLIC_KEY_SIZE, "ML-KEM-768 prekey").clone();
        signature = signature.clone();
    }

    public void verify(PublicIdentity owner) throws ProtocolException {
        owner.verifySignature(SignedBytes.kemPreKey(id, kind, key), signature, "KEM prekey");
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
        return "KemPreKeyPublic[id=" + id + ", kind=" + kind.wireName() + ", sha256="
                + Bytes.b64(Digests.sha256(key)) + "]";
    }
}
