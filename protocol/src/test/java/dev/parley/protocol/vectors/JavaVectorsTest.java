package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code test-vectors/java/*.json}, written by this implementation. With
 * {@code -Dparley.vectors.write=true} the files are (re)written; otherwise the generator runs
 * again and its output must equal the committed file byte for byte (the generator is
 * deterministic). Either way the committed file is then verified by replaying it.
 */
class JavaVectorsTest {

    private static final boolean WRITE = Boolean.getBoolean("parley.vectors.write");

    @TestFactory
    Stream<DynamicTest> javaVectors() {
        Path directory = VectorFiles.directory().resolve("java");
        return VectorFiles.FILES.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Path file = directory.resolve(entry.getKey());
            String generated = Json.write(entry.getValue().generator().generate());
            if (WRITE) {
                Files.createDirectories(directory);
                Files.writeString(file, generated, StandardCharsets.UTF_8);
            } else if (!Files.isRegularFile(file)) {
                fail(file + " is missing; generate it with ./mvnw -pl protocol test -Dparley.vectors.write=true");
            }
            String committed = read(file);
            assertEquals(committed, generated, file + " differs from what the generator produces now"
                    + " (a protocol change? regenerate with -Dparley.vectors.write=true and review the diff)");
            int checks = entry.getValue().verifier().verify(Json.read(committed));
            assertTrue(checks > 0, file + ": verifier checked nothing");
        }));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
