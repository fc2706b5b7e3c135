package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof vectors against the browser primitive wrappers, in Chromium
 * ({@code web/src/test/js/wycheproof.test.js}), read from the repository's vendored
 * {@code test-vectors/wycheproof/}. A missing file fails: there is nothing to skip.
 */
class WycheproofJsTest extends JsSuiteTest {

  /** The files wycheproof.test.js reads; each must be in the vendored folder. */
  static final List<String> FILES = List.of("x25519_test.json", "ed25519_test.json", "aes_gcm_test.json",
      "hkdf_sha256_test.json", "hmac_sha256_test.json", "mlkem_768_test.json", "mlkem_768_encaps_test.json");

  @TestFactory
  Stream<DynamicTest> wycheproof() {
    Path dir = JsSuite.wycheproofDir();
    for (String file : FILES) {
      Assertions.assertTrue(Files.isRegularFile(dir.resolve(file)), "Wycheproof vector " + dir.resolve(file)
          + " is missing: it is vendored in test-vectors/wycheproof/ (see its README); restore it from the repository");
    }
    JsonNode result = runJs("wycheproof.test.js", Map.of("base", "/wycheproof/"));
    System.out.println("Wycheproof in Chromium: " + result.path("output"));
    return JsSuite.dynamicTests(result);
  }
}
