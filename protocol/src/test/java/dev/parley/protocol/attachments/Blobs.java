package dev.parley.protocol.attachments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: whole-buffer encryption and decryption through the streams, and blob surgery. */
public final class Blobs {

    /** A blob and its digest. */
    public record Sealed(byte[] blob, byte[] digest) {}

    private Blobs() {}

    public static Sealed encrypt(byte[] key, byte[] plaintext) throws IOException {
        try (AttachmentEncryptor encryptor = AttachmentEncryptor.encrypting(new ByteArrayInputStream(plaintext), key, plaintext.length)) {
            byte[] blob = encryptor.readAllBytes();
            return new Sealed(blob, encryptor.digest());
        }
    }

    /** Reads the decrypting stream to its end, in odd-sized reads. */
    public static byte[] decrypt(byte[] key, long size, byte[] digest, byte[] blob) throws IOException {
        try (InputStream in = AttachmentDecryptor.decrypting(new ByteArrayInputStream(blob), key, size, digest)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[7_777];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** The blob's encrypted chunks, for a file of {@code size} bytes. */
    public static List<byte[]> chunks(byte[] blob, long size) {
        List<byte[]> chunks = new ArrayList<>();
        int offset = 0;
        for (long i = 0; i < AttachmentFormat.chunkCount(size); i++) {
            int length = AttachmentFormat.plainLength(size, i) + AttachmentFormat.TAG_BYTES;
            chunks.add(Arrays.copyOfRange(blob, offset, Math.min(offset + length, blob.length)));
            offset += length;
        }
        return chunks;
    }

    public static byte[] join(List<byte[]> chunks) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * One tampering of a blob, as recorded in attachments.json: the chunks in {@code chunks}'
     * order (null: unchanged; indexes left out are dropped), then the byte at {@code flip} (or -1)
     * xored with 0x01, {@code cut} bytes removed from the end, {@code append} added, and the
     * digest's first byte xored when {@code wrongDigest}; {@code reason} is what a streaming
     * receiver reports first (the declared size fixes every chunk's length).
     */
    public record Tampered(String name, List<Integer> chunks, long flip, int cut, byte[] append, boolean wrongDigest,
            AttachmentException.Reason reason) {

        public byte[] blob(byte[] original, long size) {
            byte[] out = original;
            if (chunks != null) {
                List<byte[]> all = Blobs.chunks(original, size);
                out = join(chunks.stream().map(all::get).toList());
            }
            out = out.clone();
            if (flip >= 0) {
                out[(int) flip] ^= 0x01;
            }
            out = Arrays.copyOf(out, out.length - cut);
            byte[] joined = Arrays.copyOf(out, out.length + append.length);
            System.arraycopy(append, 0, joined, out.length, append.length);
            return joined;
        }

        public byte[] digest(byte[] original) {
            byte[] out = original.clone();
            if (wrongDigest) {
                out[0] ^= 0x01;
            }
            return out;
        }
    }

    private static Tampered tampering(String name, List<Integer> chunks, long flip, int cut, int append, boolean wrongDigest,
            AttachmentException.Reason reason) {
        return new Tampered(name, chunks, flip, cut, new byte[append], wrongDigest, reason);
    }

    /**
     * The refusals of CRYPTO.md §12 for a file of exactly three chunks: a flipped byte in the
     * middle of each chunk, the last chunk cut short, the first or last chunk dropped, the first
     * two chunks swapped, a byte after the blob, and a digest that is not the blob's.
     */
    public static List<Tampered> tamperings(long size) {
        if (AttachmentFormat.chunkCount(size) != 3) {
            throw new IllegalArgumentException("the tamperings are for a file of three chunks");
        }
        List<Tampered> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            int length = AttachmentFormat.plainLength(size, i) + AttachmentFormat.TAG_BYTES;
            out.add(tampering("flipped-byte-chunk-" + i, null, offset + length / 2, 0, 0, false, AttachmentException.Reason.TAG));
            offset += length;
        }
        out.add(tampering("truncated-last-chunk", null, -1, 1, 0, false, AttachmentException.Reason.LENGTH));
        out.add(tampering("dropped-first-chunk", List.of(1, 2), -1, 0, 0, false, AttachmentException.Reason.TAG));
        out.add(tampering("dropped-last-chunk", List.of(0, 1), -1, 0, 0, false, AttachmentException.Reason.LENGTH));
        out.add(tampering("reordered-chunks", List.of(1, 0, 2), -1, 0, 0, false, AttachmentException.Reason.TAG));
        out.add(tampering("extra-bytes", null, -1, 0, 1, false, AttachmentException.Reason.LENGTH));
        out.add(tampering("wrong-digest", null, -1, 0, 0, true, AttachmentException.Reason.DIGEST));
        return out;
    }
}
