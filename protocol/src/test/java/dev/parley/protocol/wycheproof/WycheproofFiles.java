package dev.parley.protocol.wycheproof;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the Wycheproof vectors: {@code $PARLEY_WYCHEPROOF_DIR} if set, else
 * {@code <repo root>/../shared/vectors/wycheproof} with the repo root from the surefire property
 * {@code parley.repo.root} (falling back to the parent of the working directory, which is the
 * repo root when tests run in {@code protocol/}).
 *
 * <p>When the folder is missing the tests are skipped with a message, unless
 * {@code PARLEY_REQUIRE_WYCHEPROOF=1}, in which case they fail.
 */
final class WycheproofFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WycheproofFiles() {}

    static Path directory() {
        String override = System.getenv("PARLEY_WYCHEPROOF_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String root = System.getProperty("parley.repo.root");
        Path repoRoot = root != null && !root.isBlank()
                ? Path.of(root)
                : Path.of("").toAbsolutePath().getParent();
        return repoRoot.resolve("../shared/vectors/wycheproof").normalize();
    }

    static JsonNode load(String fileName) throws IOException {
        Path file = directory().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            String message = "Wycheproof vector " + file + " not found; set PARLEY_WYCHEPROOF_DIR to the folder"
                    + " holding the Wycheproof testvectors_v1 JSON files";
            if ("1".equals(System.getenv("PARLEY_REQUIRE_WYCHEPROOF"))) {
                fail(message + " (required because PARLEY_REQUIRE_WYCHEPROOF=1)");
            }
            Assumptions.abort(message);
        }
        return JSON.readTree(file.toFile());
    }

    static byte[] hex(JsonNode test, String field) {
        return java.util.HexFormat.of().parseHex(test.path(field).asText());
    }
}
