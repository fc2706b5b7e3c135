package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ahead-of-time class cache the build writes beside a runnable jar (the server's
 * {@code parley-server.aot}, the CLI's {@code parley.aot}). The start benchmarks measure it only
 * when it is there and not older than the jar: the JVM refuses a cache made from another jar and
 * starts without it, which would time the wrong thing.
 */
final class AotCache {

    private AotCache() {
    }

    /** The cache {@code name} beside {@code jar}; fails unless it exists and is at least as new as the jar. */
    static Path besideJar(Path jar, String name, String writtenBy) {
        Path cache = jar.toAbsolutePath().resolveSibling(name);
        try {
            if (!Files.isRegularFile(cache) || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                throw new IllegalStateException("no AOT cache newer than " + jar + " at " + cache + "; " + writtenBy + " writes it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cache;
    }
}
