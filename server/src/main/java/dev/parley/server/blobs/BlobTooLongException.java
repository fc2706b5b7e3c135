package dev.parley.server.blobs;

import java.io.IOException;

/** A blob's source had more bytes than the write may take (past the part limit or the declared size). */
public final class BlobTooLongException extends IOException {

    public BlobTooLongException(long maxBytes) {
        super("more than " + maxBytes + " bytes");
    }
}
