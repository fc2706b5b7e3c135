package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A private directory and blocking in Chromium, through the client's real code against a
 * routing double of the server in its private mode ({@code web/src/test/js/directory-block.test.js}).
 */
class DirectoryBlockJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> directoryAndBlocking() {
    return jsTests("directory-block.test.js", Map.of());
  }
}
