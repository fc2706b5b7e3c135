package dev.parley.protocol.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * A 100 MiB file (the largest) streams through the encryptor and the decryptor with at most one
 * chunk held: at every moment, neither has read more than one chunk (plus its tag) ahead of
 * what it returned, and afterwards, with both streams still reachable, the heap holds no copy
 * of what went through. Not timed.
 */
class AttachmentStreamingTest {

    private static final long SIZE = AttachmentFormat.MAX_SIZE;
    private static final int ONE_CHUNK = AttachmentFormat.CHUNK_BYTES + AttachmentFormat.TAG_BYTES;

    /** {@code size} deterministic bytes, generated on the fly (never held), counting what was read. */
    static final class Generated extends InputStream {
        private final long size;
        long produced;

        Generated(long size) {
            this.size = size;
        }

        private static byte at(long i) {
            return (byte) (i * 31 + (i >>> 16) * 7);
        }

        @Override
        public int read() {
            return produced == size ? -1 : at(produced++) & 0xFF;
        }

        @Override
        public int read(byte[] out, int offset, int length) {
            if (produced == size) {
                return -1;
            }
            int n = (int) Math.min(length, size - produced);
            for (int i = 0; i < n; i++) {
                out[offset + i] = at(produced + i);
            }
            produced += n;
            return n;
        }
    }

    /** Counts bytes read from a stream. */
    static final class Counting extends InputStream {
        private final InputStream in;
        long consumed;

        Counting(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                consumed++;
            }
            return b;
        }

        @Override
        public int read(byte[] out, int offset, int length) throws IOException {
            int n = in.read(out, offset, length);
            if (n > 0) {
                consumed += n;
            }
            return n;
        }
    }

    @Test
    void oneHundredMebibytesStreamThroughWithOneChunkInMemory() throws Exception {
        long heapBefore = usedHeap();
        byte[] key = AttachmentEncryptor.newKey(new java.security.SecureRandom());
        Generated source = new Generated(SIZE);
        AttachmentEncryptor encryptor = AttachmentEncryptor.encrypting(source, key, SIZE);
        long blobBytes = drain(encryptor, returned -> assertTrue(source.produced <= returned + ONE_CHUNK,
                "the encryptor read ahead more than one chunk"), OutputStream.nullOutputStream());
        assertEquals(AttachmentFormat.blobLength(SIZE), blobBytes);
        byte[] digest = encryptor.digest();

        Generated again = new Generated(SIZE);
        Counting blob = new Counting(AttachmentEncryptor.encrypting(again, key, SIZE));
        AttachmentDecryptor decryptor = AttachmentDecryptor.decrypting(blob, key, SIZE, digest);
        MessageDigest opened = MessageDigest.getInstance("SHA-256");
        long plainBytes = drain(decryptor, returned -> assertTrue(blob.consumed <= returned + (returned / AttachmentFormat.CHUNK_BYTES + 1)
                * AttachmentFormat.TAG_BYTES + ONE_CHUNK + 1, "the decryptor read ahead more than one chunk"), new OutputStream() {
                    @Override
                    public void write(int b) {
                        opened.update((byte) b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        opened.update(b, off, len);
                    }
                });
        assertEquals(SIZE, plainBytes);
        long retained = usedHeap() - heapBefore;
        java.lang.ref.Reference.reachabilityFence(encryptor);
        java.lang.ref.Reference.reachabilityFence(decryptor);
        assertTrue(retained < 16L << 20, "the streams retain " + retained + " bytes after 100 MiB went through");
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        Generated reference = new Generated(SIZE);
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = reference.read(buffer, 0, buffer.length)) > 0) {
            expected.update(buffer, 0, n);
        }
        assertArrayEquals(expected.digest(), opened.digest(), "the plaintext came back unchanged");
    }

    /** Heap in use after a collection: a stream that kept what went through would hold about 100 MiB more. */
    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    interface Check {
        void after(long returned);
    }

    /** Reads {@code in} to its end in 8 KiB reads, checking after each; returns the bytes read. */
    private static long drain(InputStream in, Check check, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
            check.after(total);
        }
        return total;
    }
}
