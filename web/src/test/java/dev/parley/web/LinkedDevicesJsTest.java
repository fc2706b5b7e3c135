package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Linked-device cryptography of the browser protocol modules ({@code web/src/test/js/devices.test.js}) in Chromium. */
class LinkedDevicesJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> linkedDevices() {
    return jsTests("devices.test.js", Map.of());
  }
}
