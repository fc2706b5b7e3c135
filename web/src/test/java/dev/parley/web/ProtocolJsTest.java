package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The browser protocol modules' behaviour tests ({@code web/src/test/js/protocol.test.js}) and
 * the everyday content tests ({@code content.test.js}: content payload rules, attachment cipher) in Chromium.
 */
class ProtocolJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> protocol() {
    return jsTests("protocol.test.js", Map.of());
  }

  @TestFactory
  Stream<DynamicTest> content() {
    return jsTests("content.test.js", Map.of());
  }
}
