package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Groups in Chromium, through the client's real code against a routing double of the server
 * that speaks the real wire, send_multi included ({@code web/src/test/js/groups-chat.test.js},
 * {@code relay/test-relay.js}): three accounts, one with a second device linked afterwards;
 * messages encrypted once, receipts per member, removal with chain rotation, an added member,
 * and refused changes shown as warnings.
 */
class GroupsChatJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> groups() {
    return jsTests("groups-chat.test.js", Map.of());
  }
}
