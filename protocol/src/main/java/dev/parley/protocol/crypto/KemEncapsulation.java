package dev.parley.protocol.crypto;

/**
 * Result of {@code KEM.Encaps}: the 1088-byte ciphertext sent to the key holder and the
 * 32-byte shared secret. {@code toString} shows only the ciphertext length.
 */
public record KemEncapsulation(byte[] ciphertext, byte[] sharedSecret) {

    public KemEncapsulation {
        ciphertext = ciphertext.clone();
        sharedSecret = sharedSecret.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public byte[] sharedSecret() {
        return sharedSecret.clone();
    }

    @Override
    public String toString() {
        return "KemEncapsulation[ciphertext=" + ciphertext.length + " bytes]";
    }
}
