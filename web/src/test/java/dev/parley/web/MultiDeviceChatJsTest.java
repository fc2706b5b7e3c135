package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Two devices of one account and a contact in Chromium, through the client's real code
 * against a routing double of the server ({@code web/src/test/js/multi-device-chat.test.js},
 * {@code relay/test-relay.js}): linking with history, fan-out to both devices, transcripts,
 * read state across devices, mismatched devices, unlinking.
 */
class MultiDeviceChatJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> multiDevice() {
    return jsTests("multi-device-chat.test.js", Map.of());
  }
}
