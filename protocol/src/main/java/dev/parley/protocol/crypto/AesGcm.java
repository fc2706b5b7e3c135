package dev.parley.protocol.crypto;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.codec.Bytes;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
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

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    /**
     * One {@link Cipher} per thread, re-initialised with each call's key and nonce ({@code init}
     * resets it, also after a failed tag check). {@code Cipher.getInstance}'s provider lookup cost
     * more than encrypting a 1 KiB message.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        }
    });

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
        SecretKeySpec keySpec = new SecretKeySpec(key, "AES");
        GCMParameterSpec parameters = new GCMParameterSpec(TAG_SIZE * 8, nonce);
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(mode, keySpec, parameters);
        } catch (InvalidAlgorithmParameterException e) {
            // A JDK Cipher refuses to encrypt twice in a row under the same key and nonce. Parley
            // never reuses a message key, but a caller may repeat an encryption on purpose
            // (vectors, tests); a fresh object accepts it, exactly as before caching.
            cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, keySpec, parameters);
        }
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
