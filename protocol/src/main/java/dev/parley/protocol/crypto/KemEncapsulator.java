package dev.parley.protocol.crypto;

import dev.parley.protocol.ProtocolException;

/**
 * {@code KEM.Encaps(pk)} as a seam. Production code uses {@link MlKem768#encapsulator}; replaying
 * a vector recorded by an implementation whose encapsulation cannot be seeded (Web Crypto) hands
 * out the recorded ciphertext and shared secret instead.
 */
@FunctionalInterface
public interface KemEncapsulator {

    KemEncapsulation encapsulate(byte[] publicKey) throws ProtocolException;
}
