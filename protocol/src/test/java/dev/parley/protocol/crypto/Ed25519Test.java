package dev.parley.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.codec.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Ed25519 wrapper: RFC 8032 known answer and refusal of malleable signatures. */
class Ed25519Test {

    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    @Test
    void rfc8032TestVector1() {
        byte[] seed = Bytes.fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] publicKey = Ed25519.publicKey(seed);
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Bytes.hex(publicKey));
        byte[] signature = Ed25519.sign(seed, publicKey, new byte[0]);
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", Bytes.hex(signature));
        assertTrue(Ed25519.verify(publicKey, new byte[0], signature));
    }

    @Test
    void signatureWithSPlusLIsRefused() {
        byte[] seed = new byte[32];
        seed[0] = 1;
        byte[] publicKey = Ed25519.publicKey(seed);
        byte[] message = "malleable".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Ed25519.sign(seed, publicKey, message);
        BigInteger s = new BigInteger(1, reverse(java.util.Arrays.copyOfRange(signature, 32, 64)));
        byte[] sPlusL = reverse(toFixed(s.add(L)));
        byte[] malleated = signature.clone();
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertFalse(Ed25519.verify(publicKey, message, malleated));
        assertTrue(Ed25519.verify(publicKey, message, signature));
    }

    @Test
    void scalarBoundaryIsExact() {
        byte[] signature = new byte[64];
        System.arraycopy(reverse(toFixed(L)), 0, signature, 32, 32);
        assertFalse(Ed25519.canonicalScalar(signature), "S = L");
        System.arraycopy(reverse(toFixed(L.subtract(BigInteger.ONE))), 0, signature, 32, 32);
        assertTrue(Ed25519.canonicalScalar(signature), "S = L - 1");
    }

    private static byte[] toFixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static byte[] reverse(byte[] value) {
        byte[] out = new byte[value.length];
        for (int i = 0; i < value.length; i++) {
            out[i] = value[value.length - 1 - i];
        }
        return out;
    }
}
