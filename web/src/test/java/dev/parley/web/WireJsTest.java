package dev.parley.web;

import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The browser's wire catalogue ({@code web/js/wire/}) in Chromium against the vectors that pin
 * Java's {@code wire} module: {@code test-vectors/wire/frames.json} and {@code signed.json}
 * ({@code web/src/test/js/wire.test.js}). A missing vector file fails.
 */
class WireJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> wire() {
    for (String file : new String[] {"frames.json", "signed.json"}) {
      Assertions.assertTrue(Files.isRegularFile(JsSuite.repoRoot().resolve("test-vectors/wire").resolve(file)),
          "test-vectors/wire/" + file + " is missing");
    }
    return jsTests("wire.test.js", Map.of("frames", "/vectors/wire/frames.json", "signed", "/vectors/wire/signed.json"));
  }
}
