package dev.parley.web;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Local search and the per-account local state ({@code web/src/test/js/local-search.test.js}):
 * case- and accent-insensitive matching, 1:1 and groups, 10,000 messages in one pass, the
 * 200-result stop, drafts in IndexedDB.
 */
class LocalSearchJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> localSearch() {
    return jsTests("local-search.test.js", Map.of());
  }
}
