package dev.parley.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the tests start a server or a cluster node: the runnable jar operators run
 * ({@code server/target/parley-server.jar}, named by the {@code parley.server.jar} property the
 * e2e build sets), from its ahead-of-time class cache when the build made one
 * ({@code parley-server.aot}, docs/OPERATIONS.md "Start time"), as {@code bin/parley-server}
 * does. The cache takes about half off each start, and the suite starts some sixty servers.
 */
public final class ServerJar {

    private ServerJar() {
    }

    /** The command line up to the server's own options: java, {@code jvmOptions}, the jar and its main class. */
    public static List<String> command(List<String> jvmOptions) {
        Path jar = jar();
        Path cache = jar.resolveSibling("parley-server.aot");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        if (Files.isRegularFile(cache) && lastModified(cache) >= lastModified(jar)) {
            command.add("-XX:AOTCache=" + cache);
        }
        command.addAll(List.of("-cp", jar.toString(), "dev.parley.server.ServerMain"));
        return command;
    }

    private static Path jar() {
        String property = System.getProperty("parley.server.jar");
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("the system property parley.server.jar is not set (the e2e module's build sets it)");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B -DskipTests -pl server -am package)");
        }
        return jar;
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
