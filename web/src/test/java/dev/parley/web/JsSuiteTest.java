package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;

/** Base of the JUnit classes that run JS test modules: one {@link JsSuite} (server and Chromium) per class. */
abstract class JsSuiteTest {

  private static JsSuite suite;

  @BeforeAll
  static void startSuite() {
    suite = new JsSuite();
  }

  @AfterAll
  static void stopSuite() {
    if (suite != null) {
      suite.close();
      suite = null;
    }
  }

  static JsSuite suite() {
    return suite;
  }

  /** Runs {@code /test/<module>} with {@code args} and reports each of its JS tests as a DynamicTest. */
  static Stream<DynamicTest> jsTests(String module, Map<String, Object> args) {
    return JsSuite.dynamicTests(suite.run(module, args));
  }
}
