package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The browser protocol modules' behaviour tests ({@code web/src/test/js/protocol.test.js}) in Chromium. */
class ProtocolJsTest {

  private static JsSuite suite;

  @BeforeAll
  static void start() {
    suite = new JsSuite();
  }

  @AfterAll
  static void stop() {
    if (suite != null) {
      suite.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> protocol() {
    return JsSuite.dynamicTests(suite.run("protocol.test.js", Map.of()));
  }
}
