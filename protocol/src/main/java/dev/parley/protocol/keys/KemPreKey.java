package dev.parley.protocol.keys;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.wire.signed.KemKeyKind;
import dev.parley.wire.signed.SignedBytes;
import java.security.KeyPair;

/**
 * A local ML-KEM-768 prekey ({@code PQSPK} last-resort or {@code PQOPK} one-time), kept as its
 * 64-byte seed {@code d || z}, signed by {@code IKs} over {@link SignedBytes#kemPreKey}. Prints only its id, kind and public key digest.
 */
public final class KemPreKey {

    private final long id;
    private final KemKeyKind kind;
    private final byte[] seed;
    private final KeyPair keyPair;
    private final byte[] publicKey;
    private final byte[] signature;

    /** Restores a stored KEM prekey from its seed and signature. */
    public KemPreKey(long id, KemKeyKind kind, byte[] seed, byte[] signature) {
        this(id, kind, seed, MlKem768.keyPairFromSeed(Bytes.requireLength(seed, MlKem768.SEED_SIZE, "ML-KEM seed")),
                signature);
    }

    private KemPreKey(long id, KemKeyKind kind, byte[] seed, KeyPair keyPair, byte[] signature) {
        this.id = PreKeyIds.requireU32(id);
        this.kind = kind;
        this.seed = seed.clone();
        this.keyPair = keyPair;
        this.publicKey = MlKem768.rawPublicKey(keyPair.getPublic());
        this.signature = signature.clone();
    }

    /** Draws the 64-byte seed and signs the public key. */
    public static KemPreKey generate(IdentityKeyPair identity, long id, KemKeyKind kind, Randomness randomness) {
        byte[] seed = randomness.bytes(MlKem768.SEED_SIZE);
        KeyPair keyPair = MlKem768.keyPairFromSeed(seed);
        byte[] publicKey = MlKem768.rawPublicKey(keyPair.getPublic());
        return new KemPreKey(id, kind, seed, keyPair,
                identity.sign(SignedBytes.kemPreKey(id, kind, publicKey)));
    }

    /** {@code KEM.Decaps(PQSK, ct)}. */
    public byte[] decapsulate(byte[] ciphertext) throws ProtocolException {
        return MlKem768.decapsulate(keyPair.getPrivate(), ciphertext);
    }

    public KemPreKeyPublic publicKey() {
        return new KemPreKeyPublic(id, kind, publicKey, signature);
    }

    public long id() {
        return id;
    }

    public KemKeyKind kind() {
        return kind;
    }

    /** The seed {@code d || z}, for the caller's key store only. */
    public byte[] seed() {
        return seed.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "KemPreKey[id=" + id + ", kind=" + kind.wireName() + ", " + publicKey().toString() + "]";
    }
}
