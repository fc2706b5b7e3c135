package dev.parley.protocol.wycheproof;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the Wycheproof vectors vendored in the repository, {@code test-vectors/wycheproof/}
 * (its README names the source commit and licence), with the repo root from the surefire
 * property {@code parley.repo.root} (falling back to the parent of the working directory,
 * which is the repo root when tests run in {@code protocol/}). A missing file fails the test:
 * the vectors are part of the repository, so there is nothing to skip.
 */
final class WycheproofFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WycheproofFiles() {}

    static Path directory() {
        String root = System.getProperty("parley.repo.root");
        Path repoRoot = root != null && !root.isBlank()
                ? Path.of(root)
                : Path.of("").toAbsolutePath().getParent();
        return repoRoot.resolve("test-vectors/wycheproof").normalize();
    }

    static JsonNode load(String fileName) throws IOException {
        Path file = directory().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            fail("Wycheproof vector " + file + " is missing: it is vendored in test-vectors/wycheproof/"
                    + " (see its README); restore it from the repository");
        }
        return JSON.readTree(file.toFile());
    }

    static byte[] hex(JsonNode test, String field) {
        return java.util.HexFormat.of().parseHex(test.path(field).asText());
    }
}
