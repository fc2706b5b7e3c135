package dev.parley.protocol.crypto;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.DecapsulateException;
import javax.crypto.KEM;

/**
 * ML-KEM-768 (FIPS 203) from the JDK.
 *
 * <p><b>Deterministic key generation.</b> FIPS 203 {@code ML-KEM.KeyGen} draws {@code d} then
 * {@code z} (32 bytes each) and calls {@code KeyGen_internal(d, z)}. The JDK key pair generator
 * draws exactly these two values, in this order, from the {@code SecureRandom} it is given, so
 * handing it the 64-byte seed {@code d || z} yields {@code KeyGen_internal(d, z)}. The
 * Wycheproof {@code mlkem_768_test.json} cases (seed, expected {@code ek}, decapsulation
 * results including implicit rejection, which depends on {@code z}) pin this.
 *
 * <p><b>Encapsulation</b> draws the 32-byte message {@code m} from the given randomness, so
 * encapsulation is reproducible for vectors. The JDK refuses public keys whose coefficients are
 * not reduced (FIPS 203 §7.2 modulus check).
 */
public final class MlKem768 {

    public static final int SEED_SIZE = 64;
    public static final int PUBLIC_KEY_SIZE = 1184;
    public static final int CIPHERTEXT_SIZE = 1088;
    public static final int SHARED_SECRET_SIZE = 32;
    public static final int ENCAPSULATION_RANDOMNESS_SIZE = 32;

    /** DER prefix of an X.509 SubjectPublicKeyInfo for id-alg-ml-kem-768 with a 1184-byte key. */
    private static final byte[] SPKI_PREFIX = Bytes.fromHex("308204b2300b0609608648016503040402038204a100");

    private MlKem768() {}

    /** A key pair from its seed {@code d || z}. */
    public static KeyPair keyPairFromSeed(byte[] seed) {
        Bytes.requireLength(seed, SEED_SIZE, "ML-KEM-768 seed");
        byte[] remaining = seed.clone();
        int[] drawn = {0};
        Randomness fromSeed = out -> {
            if (drawn[0] + out.length > SEED_SIZE) {
                throw new IllegalStateException("ML-KEM key generation drew more than the 64-byte seed");
            }
            System.arraycopy(remaining, drawn[0], out, 0, out.length);
            drawn[0] += out.length;
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("ML-KEM-768");
            generator.initialize(NamedParameterSpec.ML_KEM_768, new RandomnessSecureRandom(fromSeed));
            KeyPair pair = generator.generateKeyPair();
            if (drawn[0] != SEED_SIZE) {
                throw new IllegalStateException("ML-KEM key generation did not draw d || z as expected");
            }
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-KEM-768 unavailable in this JDK", e);
        } finally {
            Arrays.fill(remaining, (byte) 0);
        }
    }

    /** The raw 1184-byte encapsulation key {@code ek} of a JDK public key. */
    public static byte[] rawPublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != SPKI_PREFIX.length + PUBLIC_KEY_SIZE
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an ML-KEM-768 public key");
        }
        return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
    }

    /** Imports a raw encapsulation key; refuses wrong lengths and unreduced coefficients. */
    public static PublicKey publicKey(byte[] rawPublicKey) throws ProtocolException {
        if (rawPublicKey == null || rawPublicKey.length != PUBLIC_KEY_SIZE) {
            throw new ProtocolException(Failure.INVALID_KEY, "ML-KEM-768 public key must be 1184 bytes");
        }
        try {
            return KeyFactory.getInstance("ML-KEM")
                    .generatePublic(new X509EncodedKeySpec(Bytes.concat(SPKI_PREFIX, rawPublicKey)));
        } catch (InvalidKeySpecException e) {
            throw new ProtocolException(Failure.INVALID_KEY, "ML-KEM-768 public key refused");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-KEM-768 unavailable in this JDK", e);
        }
    }

    /** {@code KEM.Encaps(ek)} drawing its 32-byte message {@code m} from {@code randomness}. */
    public static KemEncapsulation encapsulate(byte[] rawPublicKey, Randomness randomness) throws ProtocolException {
        PublicKey key = publicKey(rawPublicKey);
        try {
            KEM.Encapsulated result = KEM.getInstance("ML-KEM")
                    .newEncapsulator(key, new RandomnessSecureRandom(randomness))
                    .encapsulate();
            return new KemEncapsulation(result.encapsulation(), result.key().getEncoded());
        } catch (InvalidKeyException e) {
            throw new ProtocolException(Failure.INVALID_KEY, "ML-KEM-768 public key refused");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-KEM-768 unavailable in this JDK", e);
        }
    }

    /** The production encapsulator: real ML-KEM with the caller's randomness. */
    public static KemEncapsulator encapsulator(Randomness randomness) {
        return publicKey -> encapsulate(publicKey, randomness);
    }

    /**
     * {@code KEM.Decaps(dk, c)}. A 1088-byte ciphertext always yields 32 bytes (implicit
     * rejection: a tampered ciphertext gives an unrelated secret, caught later by AES-GCM).
     */
    public static byte[] decapsulate(PrivateKey privateKey, byte[] ciphertext) throws ProtocolException {
        if (ciphertext == null || ciphertext.length != CIPHERTEXT_SIZE) {
            throw new ProtocolException(Failure.MALFORMED, "ML-KEM-768 ciphertext must be 1088 bytes");
        }
        try {
            return KEM.getInstance("ML-KEM").newDecapsulator(privateKey).decapsulate(ciphertext).getEncoded();
        } catch (DecapsulateException e) {
            throw new ProtocolException(Failure.MALFORMED, "ML-KEM-768 ciphertext refused");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ML-KEM-768 unavailable in this JDK", e);
        }
    }
}
