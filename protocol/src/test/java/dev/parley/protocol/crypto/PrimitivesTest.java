package dev.parley.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/** Known answers for the wrappers that do not need the Wycheproof folder. */
class PrimitivesTest {

    @Test
    void x25519Rfc7748Section61() throws ProtocolException {
        byte[] alicePrivate = Bytes.fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPrivate = Bytes.fromHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Bytes.hex(X25519.publicKey(alicePrivate)));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Bytes.hex(X25519.publicKey(bobPrivate)));
        byte[] shared = X25519.agree(alicePrivate, X25519.publicKey(bobPrivate));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Bytes.hex(shared));
        assertArrayEquals(shared, X25519.agree(bobPrivate, X25519.publicKey(alicePrivate)));
    }

    @Test
    void x25519RefusesLowOrderPoints() {
        byte[] privateKey = new DeterministicRandomness("x25519").bytes(32);
        for (String lowOrder : new String[] {
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> X25519.agree(privateKey, Bytes.fromHex(lowOrder)));
            assertEquals(Failure.LOW_ORDER_POINT, e.failure());
        }
        assertEquals(Failure.INVALID_KEY,
                assertThrows(ProtocolException.class, () -> X25519.agree(privateKey, new byte[31])).failure());
    }

    @Test
    void hkdfRfc5869TestCase1() {
        byte[] okm = Hkdf.derive(Bytes.fromHex("000102030405060708090a0b0c"), Bytes.fromHex("0b".repeat(22)),
                Bytes.fromHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Bytes.hex(okm));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(new byte[32], new byte[32], new byte[0], 255 * 32 + 1));
    }

    @Test
    void aesGcmRefusesAnyTamperingAndWrongSizes() throws ProtocolException {
        DeterministicRandomness random = new DeterministicRandomness("aes");
        byte[] key = random.bytes(32);
        byte[] nonce = random.bytes(12);
        byte[] sealed = AesGcm.encrypt(key, nonce, "plaintext".getBytes(), "ad".getBytes());
        assertArrayEquals("plaintext".getBytes(), AesGcm.decrypt(key, nonce, sealed, "ad".getBytes()));
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertEquals(Failure.DECRYPT_FAILED, assertThrows(ProtocolException.class,
                    () -> AesGcm.decrypt(key, nonce, tampered, "ad".getBytes())).failure());
        }
        assertThrows(ProtocolException.class, () -> AesGcm.decrypt(key, nonce, sealed, "AD".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> AesGcm.encrypt(new byte[16], nonce, new byte[0], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AesGcm.encrypt(key, new byte[16], new byte[0], new byte[0]));
    }

    @Test
    void mlKemKeyGenerationIsAFunctionOfTheSeed() throws ProtocolException {
        DeterministicRandomness random = new DeterministicRandomness("ml-kem");
        byte[] seed = random.bytes(MlKem768.SEED_SIZE);
        KeyPair first = MlKem768.keyPairFromSeed(seed);
        KeyPair second = MlKem768.keyPairFromSeed(seed.clone());
        byte[] publicKey = MlKem768.rawPublicKey(first.getPublic());
        assertEquals(MlKem768.PUBLIC_KEY_SIZE, publicKey.length);
        assertArrayEquals(publicKey, MlKem768.rawPublicKey(second.getPublic()));
        seed[63] ^= 1; // z only changes the implicit-rejection secret, not the public key
        assertArrayEquals(publicKey, MlKem768.rawPublicKey(MlKem768.keyPairFromSeed(seed).getPublic()));
        seed[0] ^= 1;
        assertFalse(java.util.Arrays.equals(publicKey, MlKem768.rawPublicKey(MlKem768.keyPairFromSeed(seed).getPublic())));

        KemEncapsulation encapsulation = MlKem768.encapsulate(publicKey, random);
        assertEquals(MlKem768.CIPHERTEXT_SIZE, encapsulation.ciphertext().length);
        assertArrayEquals(encapsulation.sharedSecret(), MlKem768.decapsulate(second.getPrivate(), encapsulation.ciphertext()));
        assertEquals(Failure.MALFORMED, assertThrows(ProtocolException.class,
                () -> MlKem768.decapsulate(first.getPrivate(), new byte[1087])).failure());
        assertEquals(Failure.INVALID_KEY, assertThrows(ProtocolException.class,
                () -> MlKem768.encapsulate(new byte[1183], random)).failure());
        assertThrows(IllegalArgumentException.class, () -> MlKem768.keyPairFromSeed(new byte[32]));
    }

    @Test
    void hmacVerifiesOnlyTheFullTag() {
        byte[] key = new byte[32];
        byte[] tag = Hmac.sha256(key, "m".getBytes());
        assertFalse(Hmac.verify(key, "m".getBytes(), java.util.Arrays.copyOf(tag, 16)));
        tag[31] ^= 1;
        assertFalse(Hmac.verify(key, "m".getBytes(), tag));
    }
}
