package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The web client's attachment pieces in Chromium ({@code web/src/test/js/attachments.test.js}):
 * file names and types, image previews, and the blob made in parts read back by the streaming
 * decryption, which refuses every changed blob.
 */
class AttachmentsJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> attachments() {
    return jsTests("attachments.test.js", Map.of());
  }
}
