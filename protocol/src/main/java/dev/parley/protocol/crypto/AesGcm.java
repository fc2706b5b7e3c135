package dev.parley.protocol.crypto;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code AEAD_ENC(k, n, p, ad)} of CRYPTO.md §0: AES-256-GCM from the JDK with a 12-byte nonce
 * and the 16-byte tag appended to the ciphertext. Only these sizes are accepted.
 */
public final class AesGcm {

    public static final int KEY_SIZE = 32;
    public static final int NONCE_SIZE = 12;
    public static final int TAG_SIZE = 16;

    private AesGcm() {}

    public static byte[] encrypt(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption refused its parameters", e);
        }
    }

    /** @throws ProtocolException {@link Failure#DECRYPT_FAILED} if the tag does not verify */
    public static byte[] decrypt(byte[] key, byte[] nonce, byte[] ciphertextAndTag, byte[] associatedData)
            throws ProtocolException {
        if (ciphertextAndTag.length < TAG_SIZE) {
            throw new ProtocolException(Failure.DECRYPT_FAILED, "ciphertext shorter than the GCM tag");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData).doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw new ProtocolException(Failure.DECRYPT_FAILED, "AES-GCM tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption refused its parameters", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] associatedData)
            throws GeneralSecurityException {
        Bytes.requireLength(key, KEY_SIZE, "AES-256 key");
        Bytes.requireLength(nonce, NONCE_SIZE, "GCM nonce");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, nonce));
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
