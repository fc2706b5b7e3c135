package dev.parley.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The web client loads and starts without a server ({@code web/src/test/js/app-smoke.test.js}):
 * every module of {@code web/js/} links, and the welcome screen leads to a link code.
 */
class AppSmokeJsTest extends JsSuiteTest {

  @TestFactory
  Stream<DynamicTest> app() throws IOException {
    Path js = JsSuite.repoRoot().resolve("web/js");
    List<String> modules;
    try (Stream<Path> files = Files.walk(js)) {
      modules = files.filter(p -> p.toString().endsWith(".js") && !p.equals(js.resolve("app.js")))
          .map(p -> "/web/js/" + js.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
    return jsTests("app-smoke.test.js", Map.of("modules", modules));
  }
}
