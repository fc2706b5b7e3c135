package dev.parley.protocol.attachments;

import dev.parley.protocol.codec.Bytes;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM of one chunk (JCA {@code AES/GCM/NoPadding}) under one file key, into caller buffers. */
final class ChunkCipher {

    private final SecretKeySpec key;
    private final long count;
    private final Cipher cipher;

    ChunkCipher(byte[] key, long count) {
        this.key = new SecretKeySpec(Bytes.requireLength(key, AttachmentPointer.KEY_BYTES, "attachment key"), "AES");
        this.count = count;
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        }
    }

    /** Encrypts {@code plain[0, length)} as chunk {@code index} into {@code out}; returns the bytes written (length + 16). */
    int encrypt(long index, byte[] plain, int length, byte[] out) {
        try {
            init(Cipher.ENCRYPT_MODE, index);
            return cipher.doFinal(plain, 0, length, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM refused an attachment chunk", e);
        }
    }

    /** Decrypts chunk {@code index} ({@code blob[0, length)}) into {@code out}; returns the plaintext bytes. */
    int decrypt(long index, byte[] blob, int length, byte[] out) throws AttachmentException {
        try {
            init(Cipher.DECRYPT_MODE, index);
            return cipher.doFinal(blob, 0, length, out, 0);
        } catch (AEADBadTagException e) {
            throw new AttachmentException(AttachmentException.Reason.TAG, "chunk " + index + " does not authenticate");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM refused an attachment chunk", e);
        }
    }

    private void init(int mode, long index) throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(AttachmentFormat.TAG_BYTES * 8, AttachmentFormat.nonce(index, count)));
        cipher.updateAAD(AttachmentFormat.AD);
    }
}
