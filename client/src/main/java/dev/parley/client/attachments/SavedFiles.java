package dev.parley.client.attachments;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where received files go: plaintext is written only to a temporary file in the target folder
 * (so the final move stays on one file system), and that file becomes visible under its name
 * only after it was verified, by a step that never replaces an existing file: a hard link
 * (atomic, fails if the name exists) or, where links are not supported, a move without
 * replacing. A taken name gets " (1)", " (2)", ... before its extension.
 */
final class SavedFiles {

    private static final int MAX_ALTERNATIVES = 10_000;

    private SavedFiles() {
    }

    /**
     * A new, empty temporary file in {@code dir}; on a POSIX file system {@code createTempFile}
     * makes it readable by this user only.
     */
    static Path temporary(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.createTempFile(dir, ".parley-", ".part");
    }

    /** Gives the verified {@code temporary} file a new name in its folder, from {@code name}; returns it. */
    static Path publish(Path temporary, String name) throws IOException {
        Path dir = temporary.getParent();
        String safe = SafeFileNames.safe(name);
        for (int n = 0; n <= MAX_ALTERNATIVES; n++) {
            Path target = dir.resolve(n == 0 ? safe : SafeFileNames.numbered(safe, n));
            try {
                link(temporary, target);
                return target;
            } catch (FileAlreadyExistsException taken) {
                // next alternative
            }
        }
        throw new IOException("no free file name for the attachment in " + dir);
    }

    private static void link(Path temporary, Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
            Files.delete(temporary);
        } catch (UnsupportedOperationException noLinks) {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
