package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Messages with content and their controls as the web client applies them, and their expiry,
 * on a real account database in Chromium ({@code web/src/test/js/content-apply.test.js}).
 */
class ContentJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> content() {
    return jsTests("content-apply.test.js", Map.of());
  }
}
