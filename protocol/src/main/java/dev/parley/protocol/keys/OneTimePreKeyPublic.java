package dev.parley.protocol.keys;

import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.X25519;

/** A remote one-time prekey as handed out in a bundle. */
public record OneTimePreKeyPublic(long id, byte[] key) {

    public OneTimePreKeyPublic {
        PreKeyIds.requireOneTimeId(id);
        key = Bytes.requireLength(key, X25519.KEY_SIZE, "one-time prekey").clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "OneTimePreKeyPublic[id=" + id + ", key=" + Bytes.b64(key) + "]";
    }
}
