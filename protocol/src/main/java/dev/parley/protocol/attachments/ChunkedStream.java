package dev.parley.protocol.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stream that releases one chunk at a time (the blob of {@link AttachmentEncryptor}, the
 * plaintext of {@link AttachmentDecryptor}): reads drain the chunk last released, then ask
 * {@link #nextChunk} for the next one, until it reports the end. A released chunk may be empty.
 */
abstract class ChunkedStream extends InputStream {

    private byte[] released = new byte[0];
    private int position;
    private int limit;

    /**
     * Releases the next chunk ({@link #release}) and returns true, or returns false at the end;
     * throws the stream's failure.
     */
    abstract boolean nextChunk() throws IOException;

    /** Checked before every read, even of no bytes; by default nothing. */
    void beforeRead() throws IOException {
    }

    /** The first {@code length} bytes of {@code chunk} are what the next reads return. */
    final void release(byte[] chunk, int length) {
        released = chunk;
        position = 0;
        limit = length;
    }

    /** Whether every released byte was read. */
    final boolean drained() {
        return position == limit;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] out, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, out.length);
        beforeRead();
        if (length == 0) {
            return 0;
        }
        while (position == limit) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(released, position, out, offset, n);
        position += n;
        return n;
    }

    @Override
    public final int available() {
        return limit - position;
    }
}
