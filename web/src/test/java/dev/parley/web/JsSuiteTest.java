package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.testing.BrowserSession;
import dev.parley.web.testing.StaticServer;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Base of the JUnit classes that run JS test modules: one test server and one Chromium per class ({@link JsSuite}). */
abstract class JsSuiteTest {

  @RegisterExtension
  static final BrowserSession<StaticServer> SESSION = new BrowserSession<>(JsSuite::startServer);

  /** Runs {@code /test/<module>} with {@code args} and returns its result JSON. */
  static JsonNode runJs(String module, Map<String, Object> args) {
    return JsSuite.run(SESSION.server(), SESSION.chromium(), module, args);
  }

  /** Runs {@code /test/<module>} with {@code args} and reports each of its JS tests as a DynamicTest. */
  static Stream<DynamicTest> jsTests(String module, Map<String, Object> args) {
    return JsSuite.dynamicTests(runJs(module, args));
  }
}
