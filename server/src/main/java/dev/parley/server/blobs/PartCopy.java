package dev.parley.server.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** Copies one part from the request body through one small buffer: a part is never held in memory whole. */
final class PartCopy {

    /** The copy buffer of one part. */
    static final int BUFFER_BYTES = 64 * 1024;

    private PartCopy() {
    }

    /**
     * Copies what {@code source} yields, to its end, to {@code out}, and returns how many bytes;
     * a source with more than {@code maxBytes} throws {@link BlobTooLongException} (what was
     * copied by then is the caller's to drop).
     */
    static long copy(InputStream source, WritableByteChannel out, long maxBytes) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long copied = 0;
        while (true) {
            // One byte more than may be taken, so that a source that is too long shows it.
            int want = (int) Math.min(buffer.length, maxBytes - copied + 1);
            int n = source.read(buffer, 0, want);
            if (n < 0) {
                return copied;
            }
            if (copied + n > maxBytes) {
                throw new BlobTooLongException(maxBytes);
            }
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            copied += n;
        }
    }
}
