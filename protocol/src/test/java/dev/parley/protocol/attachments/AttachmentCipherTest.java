package dev.parley.protocol.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.crypto.AesGcm;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.testing.DeterministicRandomness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attachment cipher (CRYPTO.md §12): layout, round trips at the chunk edges, every refusal. */
class AttachmentCipherTest {

    private static final DeterministicRandomness RANDOM = new DeterministicRandomness("attachment-cipher-test");
    private static final byte[] KEY = RANDOM.bytes(32);

    @Test
    void theBlobLengthIsTheOneTheServerLimitsBy() {
        for (long size : new long[] {0, 1, 65_535, 65_536, 65_537, 3 * 65_536 + 1, AttachmentFormat.MAX_SIZE}) {
            assertEquals(dev.parley.wire.WireLimits.attachmentBlobLength(size), AttachmentFormat.blobLength(size), "size " + size);
        }
    }

    @Test
    void lengthsAndChunkCounts() {
        assertEquals(1, AttachmentFormat.chunkCount(0));
        assertEquals(16, AttachmentFormat.blobLength(0));
        assertEquals(1, AttachmentFormat.chunkCount(65_536));
        assertEquals(2, AttachmentFormat.chunkCount(65_537));
        assertEquals(65_537 + 32, AttachmentFormat.blobLength(65_537));
        assertEquals(1600, AttachmentFormat.chunkCount(AttachmentFormat.MAX_SIZE));
        assertThrows(IllegalArgumentException.class, () -> AttachmentFormat.chunkCount(AttachmentFormat.MAX_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> AttachmentFormat.blobLength(-1));
    }

    @Test
    void theBlobIsTheStreamConstruction() throws IOException {
        byte[] plaintext = RANDOM.bytes(65_536 + 10);
        Blobs.Sealed sealed = Blobs.encrypt(KEY, plaintext);
        byte[] ad = "parley-attachment-v1".getBytes();
        byte[] nonce0 = new byte[12];
        byte[] nonce1 = new byte[12];
        nonce1[10] = 1;
        nonce1[11] = 1;
        byte[] c0 = AesGcm.encrypt(KEY, nonce0, Arrays.copyOf(plaintext, 65_536), ad);
        byte[] c1 = AesGcm.encrypt(KEY, nonce1, Arrays.copyOfRange(plaintext, 65_536, plaintext.length), ad);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(c0);
        expected.writeBytes(c1);
        assertArrayEquals(expected.toByteArray(), sealed.blob());
        byte[] hashes = new byte[64];
        System.arraycopy(Digests.sha256(c0), 0, hashes, 0, 32);
        System.arraycopy(Digests.sha256(c1), 0, hashes, 32, 32);
        assertArrayEquals(Digests.sha256(hashes), sealed.digest());
    }

    @Test
    void roundTripsAtTheChunkEdges() throws IOException {
        for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 2 * 65_536, 3 * 65_536 + 5}) {
            byte[] plaintext = RANDOM.bytes(size);
            Blobs.Sealed sealed = Blobs.encrypt(KEY, plaintext);
            assertEquals(AttachmentFormat.blobLength(size), sealed.blob().length, "length of " + size);
            assertArrayEquals(plaintext, Blobs.decrypt(KEY, size, sealed.digest(), sealed.blob()), "size " + size);
        }
    }

    @Test
    void everyTamperingIsRefusedWithItsReason() throws IOException {
        int size = 2 * 65_536 + 100;
        byte[] plaintext = RANDOM.bytes(size);
        Blobs.Sealed sealed = Blobs.encrypt(KEY, plaintext);
        List<Blobs.Tampered> cases = Blobs.tamperings(size);
        assertEquals(9, cases.size());
        for (Blobs.Tampered c : cases) {
            byte[] blob = c.blob(sealed.blob(), size);
            AttachmentException e = assertThrows(AttachmentException.class,
                    () -> Blobs.decrypt(KEY, size, c.digest(sealed.digest()), blob), c.name());
            assertEquals(c.reason(), e.reason(), c.name());
        }
    }

    @Test
    void aBlobCutAtAChunkBoundaryFailsTheLastChunkFlag() throws IOException {
        byte[] plaintext = RANDOM.bytes(3 * 65_536);
        Blobs.Sealed sealed = Blobs.encrypt(KEY, plaintext);
        byte[] cut = Arrays.copyOf(sealed.blob(), 2 * (65_536 + 16));
        AttachmentException e = assertThrows(AttachmentException.class,
                () -> Blobs.decrypt(KEY, 2 * 65_536, sealed.digest(), cut));
        assertEquals(AttachmentException.Reason.TAG, e.reason(), "chunk 1 was not encrypted as the last one");
    }

    @Test
    void theWrongKeyFailsTheFirstTag() throws IOException {
        Blobs.Sealed sealed = Blobs.encrypt(KEY, RANDOM.bytes(100));
        byte[] other = KEY.clone();
        other[5] ^= 1;
        AttachmentException e = assertThrows(AttachmentException.class, () -> Blobs.decrypt(other, 100, sealed.digest(), sealed.blob()));
        assertEquals(AttachmentException.Reason.TAG, e.reason());
    }

    @Test
    void noPlaintextOfAFailedChunkAndEveryLaterReadFails() throws IOException {
        int size = 2 * 65_536 + 100;
        Blobs.Sealed sealed = Blobs.encrypt(KEY, RANDOM.bytes(size));
        byte[] wrong = sealed.digest();
        wrong[31] ^= 1;
        InputStream in = AttachmentDecryptor.decrypting(new ByteArrayInputStream(sealed.blob()), KEY, size, wrong);
        assertEquals(2 * 65_536, in.readNBytes(2 * 65_536).length, "the first chunks open");
        AttachmentException first = assertThrows(AttachmentException.class, in::read);
        assertEquals(AttachmentException.Reason.DIGEST, first.reason());
        assertSame(first, assertThrows(AttachmentException.class, in::read), "the failure sticks");
    }

    @Test
    void theEncryptorRefusesAFileOfAnotherSize() throws IOException {
        byte[] plaintext = RANDOM.bytes(70_000);
        for (long declared : new long[] {69_999, 70_001, 65_536, 0}) {
            AttachmentEncryptor encryptor = AttachmentEncryptor.encrypting(new ByteArrayInputStream(plaintext), KEY, declared);
            AttachmentException e = assertThrows(AttachmentException.class, encryptor::readAllBytes, "declared " + declared);
            assertEquals(AttachmentException.Reason.LENGTH, e.reason());
            assertThrows(IllegalStateException.class, encryptor::digest);
        }
        assertThrows(IllegalArgumentException.class,
                () -> AttachmentEncryptor.encrypting(new ByteArrayInputStream(plaintext), KEY, AttachmentFormat.MAX_SIZE + 1));
        assertThrows(IllegalArgumentException.class,
                () -> AttachmentEncryptor.encrypting(new ByteArrayInputStream(plaintext), new byte[16], 70_000));
    }

    @Test
    void theDigestIsAvailableOnlyAtTheEnd() throws IOException {
        AttachmentEncryptor encryptor = AttachmentEncryptor.encrypting(new ByteArrayInputStream(new byte[10]), KEY, 10);
        assertThrows(IllegalStateException.class, encryptor::digest);
        encryptor.readNBytes(25);
        assertThrows(IllegalStateException.class, encryptor::digest);
        encryptor.readAllBytes();
        assertEquals(32, encryptor.digest().length);
    }

    @Test
    void freshKeysDiffer() {
        SecureRandom random = new SecureRandom();
        byte[] a = AttachmentEncryptor.newKey(random);
        assertEquals(32, a.length);
        assertNotEquals(Arrays.toString(a), Arrays.toString(AttachmentEncryptor.newKey(random)));
    }
}
