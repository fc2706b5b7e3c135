package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof vectors against the browser primitive wrappers, in Chromium
 * ({@code web/src/test/js/wycheproof.test.js}). The folder is {@code ../shared/vectors/wycheproof}
 * beside the repository or {@code PARLEY_WYCHEPROOF_DIR}; when it is missing the tests are
 * skipped, unless {@code PARLEY_REQUIRE_WYCHEPROOF=1}, then they fail.
 */
class WycheproofJsTest {

  private JsSuite suite;

  @AfterEach
  void stop() {
    if (suite != null) {
      suite.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> wycheproof() {
    Optional<Path> dir = JsSuite.wycheproofDir();
    if (dir.isEmpty()) {
      String message = "Wycheproof vectors not found at " + JsSuite.wycheproofPath()
          + " (default ../shared/vectors/wycheproof beside the repository); set PARLEY_WYCHEPROOF_DIR to the folder";
      if ("1".equals(System.getenv("PARLEY_REQUIRE_WYCHEPROOF"))) {
        Assertions.fail(message + " (PARLEY_REQUIRE_WYCHEPROOF=1)");
      }
      return Stream.of(DynamicTest.dynamicTest("Wycheproof folder present", () -> Assumptions.abort(message)));
    }
    suite = new JsSuite();
    JsonNode result = suite.run("wycheproof.test.js", Map.of("base", "/wycheproof/"));
    System.out.println("Wycheproof in Chromium: " + result.path("output"));
    return JsSuite.dynamicTests(result);
  }
}
