package dev.parley.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code test-vectors/java/*.json}, written by this implementation. With
 * {@code -Dparley.vectors.write=true} the {@link VectorWriter} (re)writes the files first;
 * otherwise it regenerates them in memory and each must equal the committed file byte for byte.
 * Either way every committed file is then verified by replaying it.
 */
class JavaVectorsTest {

    private static final Path DIRECTORY = VectorFiles.directory().resolve("java");

    @BeforeAll
    static void writeWhenAsked() throws Exception {
        if (Boolean.getBoolean("parley.vectors.write")) {
            VectorWriter.write(DIRECTORY);
        }
    }

    @TestFactory
    Stream<DynamicTest> javaVectors() {
        return VectorFiles.FILES.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Path file = DIRECTORY.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                fail(file + " is missing; generate it with ./mvnw -pl protocol test -Dparley.vectors.write=true");
            }
            String committed = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals(committed, VectorWriter.render(entry.getKey()), file + " differs from what the generator"
                    + " produces now (a protocol change? regenerate with -Dparley.vectors.write=true and review the diff)");
            int checks = entry.getValue().verifier().verify(Json.read(committed));
            assertTrue(checks > 0, file + ": verifier checked nothing");
        }));
    }
}
