package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The browser's group cryptography in Chromium: group states, changes and their rules
 * ({@code web/src/test/js/groups-state.test.js}), sender keys ({@code groups-sender-keys.test.js})
 * and the group payloads ({@code groups-payload.test.js}).
 */
class GroupsJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> states() {
    return jsTests("groups-state.test.js", Map.of());
  }

  @TestFactory
  Stream<DynamicTest> senderKeys() {
    return jsTests("groups-sender-keys.test.js", Map.of());
  }

  @TestFactory
  Stream<DynamicTest> payloads() {
    return jsTests("groups-payload.test.js", Map.of());
  }
}
