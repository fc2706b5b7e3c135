package dev.parley.server.storage;

import java.nio.file.Path;

/** {@link ErasureTest#foundIn} for tests of other packages: whether a value's bytes are in parley.db, -wal or -shm. */
public final class ErasureTestAccess {

    private ErasureTestAccess() {
    }

    public static boolean foundIn(Path databaseFile, String value) {
        return ErasureTest.foundIn(databaseFile, value);
    }
}
