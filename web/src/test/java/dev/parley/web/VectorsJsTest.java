package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;

/**
 * Shared vectors (test-vectors/README.md) in Chromium: the browser implementation replays
 * {@code test-vectors/js/*.json} (its own, committed) and {@code test-vectors/java/*.json}
 * (written by the Java implementation). With {@code -Dparley.vectors.write=true} it first
 * regenerates {@code test-vectors/js/} ({@code web/src/test/js/generate.js}).
 *
 * <p>It also checks the look-alike username skeleton against {@code test-vectors/usernames/skeletons.json}.
 *
 * <p>Missing Java vectors skip their test, unless {@code PARLEY_REQUIRE_JAVA_VECTORS=1}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VectorsJsTest extends JsSuiteTest {

  static final List<String> FILES = List.of(
      "kdf.json", "signatures.json", "pqxdh.json", "conversation.json", "padding.json", "fanout.json", "safety.json",
      "link.json", "devices.json", "groups.json", "content.json", "attachments.json");

  private static Path vectorDir(String name) {
    return JsSuite.repoRoot().resolve("test-vectors").resolve(name);
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> jsVectors() throws IOException {
    if (Boolean.getBoolean("parley.vectors.write")) {
      JsonNode generated = runJs("generate.js", Map.of());
      Path dir = vectorDir("js");
      Files.createDirectories(dir);
      for (String file : FILES) {
        JsonNode text = generated.path("files").path(file);
        Assertions.assertTrue(text.isTextual(), "generator returned no " + file);
        Files.writeString(dir.resolve(file), text.asText(), StandardCharsets.UTF_8);
      }
    }
    for (String file : FILES) {
      Assertions.assertTrue(Files.isRegularFile(vectorDir("js").resolve(file)),
          "test-vectors/js/" + file + " is missing: run the web tests with -Dparley.vectors.write=true and commit it");
    }
    return jsTests("vectors.test.js", Map.of("dir", "/vectors/js/", "files", FILES));
  }

  @TestFactory
  @Order(2)
  Stream<DynamicTest> javaVectors() throws IOException {
    Path dir = vectorDir("java");
    List<String> present;
    try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
      present = files.map(p -> p.getFileName().toString()).filter(FILES::contains).sorted().toList();
    }
    boolean required = "1".equals(System.getenv("PARLEY_REQUIRE_JAVA_VECTORS"));
    if (required) {
      Assertions.assertEquals(FILES.stream().sorted().toList(), present,
          "test-vectors/java/ must hold every vector file (PARLEY_REQUIRE_JAVA_VECTORS=1)");
    }
    if (present.isEmpty()) {
      // Reported as one skipped test, so the gap shows in every test report.
      return Stream.of(DynamicTest.dynamicTest("test-vectors/java present", () -> Assumptions.abort(
          "test-vectors/java/*.json not written yet (the Java implementation writes them);"
              + " set PARLEY_REQUIRE_JAVA_VECTORS=1 to fail instead")));
    }
    return jsTests("vectors.test.js", Map.of("dir", "/vectors/java/", "files", present));
  }

  /** Look-alike usernames: test-vectors/usernames/skeletons.json defines the skeleton (web/js/wire/usernames.js). */
  @TestFactory
  @Order(3)
  Stream<DynamicTest> usernameSkeletons() {
    Assertions.assertTrue(Files.isRegularFile(vectorDir("usernames").resolve("skeletons.json")), "test-vectors/usernames/skeletons.json is missing");
    return jsTests("usernames.test.js", Map.of("file", "/vectors/usernames/skeletons.json"));
  }
}
