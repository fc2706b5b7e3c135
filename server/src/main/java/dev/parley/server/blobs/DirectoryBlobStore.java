package dev.parley.server.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link BlobStore} for one node: one file per blob in a folder ({@code --blob-dir}), named by
 * its id. Every append is forced to disk ({@link FileChannel#force}) before it returns, so a blob
 * is never complete in the database while its bytes are only in the page cache; a new file's
 * folder entry is forced too. Bytes are copied through one small buffer per call: a part is
 * never held in memory whole.
 */
public final class DirectoryBlobStore implements BlobStore {

    /** The copy buffer of one append. */
    static final int BUFFER_BYTES = 64 * 1024;

    private final Path folder;

    public DirectoryBlobStore(Path folder) {
        this.folder = folder.toAbsolutePath();
        try {
            Files.createDirectories(this.folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob folder " + this.folder, e);
        }
    }

    public Path folder() {
        return folder;
    }

    private Path file(String id) {
        if (!BlobIds.isBlobId(id)) {
            throw new IllegalArgumentException("not a blob id");
        }
        return folder.resolve(id);
    }

    @Override
    public void create(String id) throws IOException {
        Files.createFile(file(id));
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every file system lets a folder be forced; the first append forces the file.
        }
    }

    @Override
    public long append(String id, long offset, InputStream source, long maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file(id), StandardOpenOption.WRITE)) {
            if (channel.size() < offset) {
                throw new IOException("the blob file is shorter than the bytes recorded for it");
            }
            boolean done = false;
            try {
                channel.truncate(offset);
                byte[] buffer = new byte[BUFFER_BYTES];
                long written = 0;
                while (true) {
                    // One byte more than may be taken, so that a source that is too long shows it.
                    int want = (int) Math.min(buffer.length, maxBytes - written + 1);
                    int n = source.read(buffer, 0, want);
                    if (n < 0) {
                        break;
                    }
                    if (written + n > maxBytes) {
                        throw new BlobTooLongException(maxBytes);
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        channel.write(bytes, offset + written + (n - bytes.remaining()));
                    }
                    written += n;
                }
                channel.force(true);
                done = true;
                return written;
            } finally {
                if (!done) {
                    try {
                        channel.truncate(offset);
                    } catch (IOException ignored) {
                        // dropped by the next append or the deletion
                    }
                }
            }
        }
    }

    @Override
    public InputStream open(String id) throws IOException {
        return Files.newInputStream(file(id));
    }

    @Override
    public void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    @Override
    public List<String> list() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (BlobIds.isBlobId(name)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    @Override
    public long usableBytes() {
        return folder.toFile().getUsableSpace();
    }
}
