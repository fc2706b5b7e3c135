package dev.parley.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/** Reads {@code test-vectors/} of this repository (surefire's {@code parley.repo.root}, else the parent of the working directory). */
final class WireVectors {

    private WireVectors() {
    }

    static JsonNode read(String relativePath) throws IOException {
        String root = System.getProperty("parley.repo.root");
        Path repo = (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
        return WireJson.MAPPER.readTree(repo.resolve("test-vectors").resolve(relativePath).toFile());
    }
}
