package dev.parley.client.store;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Exclusive use of a client home folder by one process: an OS file lock on {@code parley.lock}
 * held for the life of the client. Two processes using one home would both advance the same
 * ratchet sessions from the same stored state and reuse message keys; the second one is refused
 * with {@link Reason#HOME_LOCKED}. The OS releases the lock when the process dies, so a killed
 * client never leaves a stale lock behind.
 */
public final class HomeLock implements AutoCloseable {

    public static final String FILE_NAME = "parley.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates the home folder (mode 0700) if needed and locks it. */
    public static HomeLock acquire(Path home) throws ClientException {
        try {
            createPrivateDirectories(home);
            Path file = home.resolve(FILE_NAME);
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process created it first; locking decides
                }
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new ClientException(Reason.HOME_LOCKED, "another parley process is using " + home
                        + " (wait for it to finish, or use another --home)");
            }
            return new HomeLock(channel, lock);
        } catch (IOException e) {
            throw new ClientException(Reason.FAILED, "cannot use the client home " + home + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} and missing parents with mode 0700 (a parent that exists is left as it is). */
    static void createPrivateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        if (absolute.getParent() != null) {
            createPrivateDirectories(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // created meanwhile
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
