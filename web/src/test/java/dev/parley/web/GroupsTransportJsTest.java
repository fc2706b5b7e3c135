package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * How group messages travel, in Chromium through the client's real code against a routing
 * double of the server ({@code web/src/test/js/groups-transport.test.js},
 * {@code relay/test-relay.js}): a copy is a group message only when the relay marks it
 * {@code multi} (a 1:1 fan-out whose content starts with 0x04 stays a 1:1 message), and group
 * messages name their recipient set once the server gave one, with the list again after the
 * server forgot the set or a member linked a device.
 */
class GroupsTransportJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> transport() {
    return jsTests("groups-transport.test.js", Map.of());
  }
}
