package dev.parley.protocol.vectors;

import dev.parley.protocol.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code test-vectors/java/*.json}. Deterministic: every key and every random draw comes
 * from an HMAC-SHA256 stream over a fixed label, and ML-KEM encapsulation is seeded through the
 * JDK, so two runs produce identical bytes. Run through {@link JavaVectorsTest} with
 * {@code -Dparley.vectors.write=true}.
 */
final class VectorWriter {

    private VectorWriter() {}

    /** File name -> the exact file content (pretty JSON, {@code \n} line ends). */
    static Map<String, String> render() throws ProtocolException {
        Map<String, String> files = new LinkedHashMap<>();
        for (var entry : VectorFiles.FILES.entrySet()) {
            files.put(entry.getKey(), render(entry.getKey()));
        }
        return files;
    }

    static String render(String fileName) throws ProtocolException {
        return Json.write(VectorFiles.FILES.get(fileName).generator().generate());
    }

    static void write(Path directory) throws IOException, ProtocolException {
        Files.createDirectories(directory);
        for (var file : render().entrySet()) {
            Files.writeString(directory.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
