package dev.parley.server.blobs;

import dev.parley.server.storage.BlobRecords;
import dev.parley.server.storage.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link BlobStore} for one node: one file per blob in a folder ({@code --blob-dir}), named by
 * its id. Every append is forced to disk ({@link FileChannel#force}) before the record is
 * advanced (through the database's single writer), so a blob is never complete in the database
 * while its bytes are only in the page cache; a new file's folder entry is forced too. Bytes
 * past the record's {@code received} (a part cut off) are dropped by the next append, which
 * truncates the file at its offset. Bytes are copied through one small buffer
 * ({@link PartCopy}): a part is never held in memory whole.
 *
 * <p>One blob is appended to or deleted by one thread at a time (a mark per blob id in this
 * node's memory), so the sweep never deletes a file while a part lands in it. The folder is
 * this node's own: nodes of a cluster use {@link DatabaseBlobStore}.
 */
public final class DirectoryBlobStore implements BlobStore {

    private final Path folder;
    private final BlobRecords records;
    private final BlobLife life;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public DirectoryBlobStore(Path folder, BlobRecords records, BlobLife life) {
        this.folder = folder.toAbsolutePath();
        this.records = records;
        this.life = life;
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
    public Appended append(String id, long offset, InputStream source, long maxBytes) throws IOException {
        if (!busy.add(id)) {
            return Appended.BUSY;
        }
        try {
            StoredBlob blob = records.find(id).orElse(null);
            if (!BlobLife.takesPart(blob, offset, life.now())) {
                return Appended.REFUSED;
            }
            long written = write(id, offset, source, maxBytes);
            if (written == 0) {
                return new Appended.Stored(offset, blob.expiresAt());
            }
            long received = offset + written;
            long now = life.now();
            long completeExpiresAt = life.completeExpiresAt(now);
            if (!records.advance(id, offset, received, now, completeExpiresAt).join()) {
                return Appended.REFUSED;
            }
            return new Appended.Stored(received, received == blob.size() ? completeExpiresAt : blob.expiresAt());
        } finally {
            busy.remove(id);
        }
    }

    /** Writes the part at {@code offset} and forces it to disk; returns its length. */
    private long write(String id, long offset, InputStream source, long maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file(id), StandardOpenOption.WRITE)) {
            if (channel.size() < offset) {
                throw new IOException("the blob file is shorter than the bytes recorded for it");
            }
            boolean done = false;
            try {
                channel.truncate(offset);
                channel.position(offset);
                long written = PartCopy.copy(source, channel, maxBytes);
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
    public boolean delete(String id) throws IOException {
        if (!busy.add(id)) {
            return false; // a part is landing: the sweep comes back to it
        }
        try {
            if (records.find(id).filter(blob -> !blob.expired(life.now())).isPresent()) {
                return false;
            }
            Files.deleteIfExists(file(id));
            return true;
        } finally {
            busy.remove(id);
        }
    }

    @Override
    public List<String> unrecorded(int limit) throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (BlobIds.isBlobId(name) && records.find(name).isEmpty()) {
                    ids.add(name);
                    if (ids.size() == limit) {
                        break;
                    }
                }
            }
        }
        return ids;
    }

    @Override
    public OptionalLong usableBytes() {
        return OptionalLong.of(folder.toFile().getUsableSpace());
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }
}
