package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The user interface talks only to the client model (docs/CLIENT-MODEL.md, "Layers"): no module
 * under {@code web/js/ui/} imports from {@code web/js/store/}, statically or dynamically.
 */
class UiLayerTest {

  /** {@code from '...'}, a bare {@code import '...'} and {@code import('...')}. */
  private static final Pattern IMPORT = Pattern.compile("(?:\\bfrom|\\bimport)\\s*\\(?\\s*['\"]([^'\"]+)['\"]");

  private static final Path JS = JsSuite.repoRoot().resolve("web/js");

  /** The files `source` (a module in `dir`) imports, resolved; absolute URLs resolve against web/. */
  static List<Path> imports(Path dir, String source) {
    List<Path> found = new ArrayList<>();
    Matcher m = IMPORT.matcher(source);
    while (m.find()) {
      String specifier = m.group(1);
      if (specifier.startsWith(".")) {
        found.add(dir.resolve(specifier).normalize());
      } else if (specifier.startsWith("/js/")) {
        found.add(JS.getParent().resolve(specifier.substring(1)).normalize());
      }
    }
    return found;
  }

  @Test
  void theScannerSeesEveryFormOfImport() {
    Path ui = JS.resolve("ui");
    String source = """
        import { tx } from '../store/idb.js';
        import '../store/side-effect.js';
        const log = await import('../store/security-log.js');
        const other = await import('/js/store/account-db.js');
        import { h } from "./dom.js";
        """;
    List<Path> found = imports(ui, source);
    assertEquals(5, found.size(), found.toString());
    assertEquals(4, found.stream().filter(p -> p.startsWith(JS.resolve("store"))).count(), found.toString());
  }

  @Test
  void noUiModuleImportsTheStore() throws IOException {
    List<String> offending = new ArrayList<>();
    List<Path> modules;
    try (Stream<Path> files = Files.walk(JS.resolve("ui"))) {
      modules = files.filter(p -> p.toString().endsWith(".js")).toList();
    }
    assertFalse(modules.isEmpty(), "no modules found under " + JS.resolve("ui"));
    for (Path module : modules) {
      for (Path target : imports(module.getParent(), Files.readString(module))) {
        if (target.startsWith(JS.resolve("store"))) {
          offending.add(JS.relativize(module) + " -> " + JS.relativize(target));
        }
      }
    }
    assertEquals(List.of(), offending, "the UI reaches the store around the client model");
  }
}
