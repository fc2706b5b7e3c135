package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Several devices per account without a server ({@code web/src/test/js/multi-device.test.js}): the
 * device list layout and the sender's check, device logins, one message for every device of an
 * account, and the account database's move to sessions per device.
 */
class MultiDeviceJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> devices() {
    return jsTests("multi-device.test.js", Map.of());
  }
}
