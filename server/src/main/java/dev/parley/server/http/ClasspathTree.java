package dev.parley.server.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Every file under a folder of the class path, read into memory once: paths from the folder
 * ({@code /index.html}, {@code /js/app.js}) to bytes, and the newest file's time.
 *
 * <p>The server answers its static files from such copies ({@link WebAssets}) rather than from
 * the jar: a folder inside a jar is read through a zip file system of the whole jar, and
 * Javalin's class-path static files kept several of them open for the server's life (about 4 MB
 * of heap each for the server's jar; docs/BENCHMARKS.md, "Idle connections"). Here the jar is
 * mounted for the reading only and closed at once.
 *
 * @param files  the files' bytes by path, sorted by path
 * @param newest the newest file's modification time
 */
record ClasspathTree(SortedMap<String, byte[]> files, Instant newest) {

    ClasspathTree {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** The first folder named {@code folder} on the class path (as a class loader finds it); fails when there is none. */
    static ClasspathTree read(String folder) {
        try (ResourceFactory.Closeable resources = ResourceFactory.closeable()) {
            var url = Thread.currentThread().getContextClassLoader().getResource(folder);
            var root = url == null ? null : resources.newResource(url);
            if (root == null || !root.isDirectory() || root.getPath() == null) {
                throw new IllegalStateException("'" + folder + "/' is not on the class path as a folder: " + url);
            }
            Path base = root.getPath();
            SortedMap<String, byte[]> files = new TreeMap<>();
            Instant newest = Instant.EPOCH;
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put("/" + base.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    Instant modified = Files.getLastModifiedTime(file).toInstant();
                    newest = modified.isAfter(newest) ? modified : newest;
                }
            }
            return new ClasspathTree(files, newest);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read '" + folder + "/' from the class path", e);
        }
    }
}
