package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.parley.web.testing.Chromium;
import dev.parley.web.testing.StaticServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs JavaScript test modules of {@code web/src/test/js/} inside headless Chromium and turns
 * each JS test into a JUnit {@link DynamicTest}, so failures show by name.
 *
 * <p>URL layout of the test server: {@code /web/} the web client ({@code web/}), {@code /test/}
 * the JS tests, {@code /vectors/} the repository's {@code test-vectors/}, {@code /wycheproof/}
 * its vendored {@code test-vectors/wycheproof/}. A JS test module exports
 * {@code run(args) -> {tests: [{name, status: "passed"|"failed"|"skipped", message}], output}}.
 */
final class JsSuite {

  static final ObjectMapper JSON = new ObjectMapper();

  private JsSuite() {
  }

  /** The test server of the URL layout above, on a random port. */
  static StaticServer startServer() {
    Map<String, Path> mounts = new LinkedHashMap<>();
    mounts.put("/web/", repoRoot().resolve("web"));
    mounts.put("/test/", repoRoot().resolve("web/src/test/js"));
    mounts.put("/vectors/", repoRoot().resolve("test-vectors"));
    mounts.put("/wycheproof/", wycheproofDir());
    try {
      return StaticServer.start(mounts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path repoRoot() {
    String root = System.getProperty("parley.repo.root");
    Path path = root != null ? Path.of(root) : Path.of("..");
    return path.toAbsolutePath().normalize();
  }

  /** The Wycheproof vectors vendored in the repository ({@code test-vectors/wycheproof/}, see its README). */
  static Path wycheproofDir() {
    return repoRoot().resolve("test-vectors/wycheproof");
  }

  /** Runs {@code /test/<module>}'s {@code run(args)} in a fresh page of {@code chromium} and returns its result JSON. */
  static JsonNode run(StaticServer server, Chromium chromium, String module, Map<String, Object> args) {
    Page page = chromium.newPage();
    try {
      page.navigate(server.url("/test/blank.html"));
      Object text = page.evaluate(
          "async ([module, args]) => JSON.stringify(await (await import(module)).run(args))",
          List.of("/test/" + module, args));
      return JSON.readTree((String) text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      page.context().close();
    }
  }

  /** One DynamicTest per JS test; also fails if the module ran no test at all. */
  static Stream<DynamicTest> dynamicTests(JsonNode result) {
    List<DynamicTest> tests = new ArrayList<>();
    JsonNode list = result.path("tests");
    tests.add(DynamicTest.dynamicTest("suite ran tests", () ->
        Assertions.assertTrue(list.size() > 0, "the JS suite reported no tests")));
    for (JsonNode t : list) {
      String name = t.path("name").asText();
      String status = t.path("status").asText();
      String message = t.path("message").asText("");
      tests.add(DynamicTest.dynamicTest(name, () -> {
        switch (status) {
          case "passed" -> { }
          case "skipped" -> Assumptions.abort(message);
          default -> Assertions.fail(name + ": " + message);
        }
      }));
    }
    return tests.stream();
  }
}
