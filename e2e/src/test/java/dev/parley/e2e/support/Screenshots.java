package dev.parley.e2e.support;

import java.nio.file.Path;

/** Where the browser tests write screenshots: {@code e2e/target/screenshots/<name>.png}. */
public final class Screenshots {

    public static final Path DIRECTORY = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));

    private Screenshots() {
    }

    public static Path path(String name) {
        return DIRECTORY.resolve(name + ".png");
    }
}
