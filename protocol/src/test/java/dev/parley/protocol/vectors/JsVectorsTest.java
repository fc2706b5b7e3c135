package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code test-vectors/js/*.json}, written by the browser implementation, replayed here: every
 * message the browser produced must be reproduced byte for byte, every value recomputed.
 *
 * <p>Until the browser side has written its vectors the folder does not exist: the test is
 * skipped with a message, or fails when {@code PARLEY_REQUIRE_JS_VECTORS=1}. Once the folder
 * exists, every file of test-vectors/README.md must be there.
 */
class JsVectorsTest {

    @TestFactory
    Stream<DynamicTest> browserVectors() {
        Path directory = VectorFiles.directory().resolve("js");
        if (!Files.isDirectory(directory)) {
            String message = directory + " does not exist yet: the browser implementation writes it"
                    + " (web module tests with -Dparley.vectors.write=true)";
            return Stream.of(DynamicTest.dynamicTest("browser vectors present", () -> {
                if ("1".equals(System.getenv("PARLEY_REQUIRE_JS_VECTORS"))) {
                    fail(message + "; required because PARLEY_REQUIRE_JS_VECTORS=1");
                }
                Assumptions.abort(message);
            }));
        }
        return VectorFiles.FILES.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Path file = directory.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                fail(file + " is missing from the browser vectors");
            }
            int checks = entry.getValue().verifier().verify(Json.read(Files.readString(file, StandardCharsets.UTF_8)));
            assertTrue(checks > 0, file + ": verifier checked nothing");
        }));
    }
}
