package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service worker's app shell (web/sw.js, SHELL) is exactly the web client's files: every
 * module, stylesheet and image under web/, the page, the manifest and the WebJar the page
 * loads. A module added without its line here would be missing offline; this test says which.
 */
class ServiceWorkerShellTest {

    private static final Path WEB = JsSuite.repoRoot().resolve("web");
    private static final Pattern BLOCK = Pattern.compile(
            "// BEGIN SHELL FILES[^\\n]*\\n(.*?)\\n\\s*// END SHELL FILES", Pattern.DOTALL);
    private static final Pattern ENTRY = Pattern.compile("'([^']+)'");

    private static String sw() throws IOException {
        return Files.readString(WEB.resolve("sw.js"));
    }

    /** The files under web/css, web/img and web/js (documentation excepted), as URL paths, sorted. */
    private static List<String> filesOnDisk() throws IOException {
        List<String> files = new ArrayList<>();
        for (String dir : List.of("css", "img", "js")) {
            try (Stream<Path> walk = Files.walk(WEB.resolve(dir))) {
                walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md"))
                        .forEach(p -> files.add("/" + WEB.relativize(p).toString().replace('\\', '/')));
            }
        }
        files.sort(String::compareTo);
        return files;
    }

    @Test
    void theShellListsEveryModuleStylesheetAndImageAndNothingElse() throws IOException {
        Matcher block = BLOCK.matcher(sw());
        assertTrue(block.find(), "sw.js has no BEGIN/END SHELL FILES block");
        List<String> listed = new ArrayList<>();
        Matcher entry = ENTRY.matcher(block.group(1));
        while (entry.find()) {
            listed.add(entry.group(1));
        }
        List<String> expected = filesOnDisk();
        StringBuilder lines = new StringBuilder();
        expected.forEach(f -> lines.append("  '").append(f).append("',\n"));
        assertEquals(expected, listed, "web/sw.js's SHELL FILES block must be exactly these lines:\n" + lines);
    }

    @Test
    void theShellHasThePageTheManifestAndTheWebJarThePageLoads() throws IOException {
        String sw = sw();
        for (String path : List.of("'/'", "'/index.html'", "'/manifest.webmanifest'")) {
            assertTrue(sw.contains(path), path + " missing from sw.js");
        }
        String page = Files.readString(WEB.resolve("index.html"));
        Matcher webjars = Pattern.compile("(?:src|href)=\"(/webjars/[^\"]+)\"").matcher(page);
        int found = 0;
        while (webjars.find()) {
            found++;
            assertTrue(sw.contains("'" + webjars.group(1) + "'"), webjars.group(1) + " (loaded by index.html) missing from sw.js");
        }
        assertTrue(found > 0, "index.html loads no WebJar: this test's pattern is stale");
        Matcher local = Pattern.compile("(?:src|href)=\"(/(?:css|js|img)/[^\"]+)\"").matcher(page);
        while (local.find()) {
            assertTrue(Files.exists(WEB.resolve(local.group(1).substring(1))), local.group(1) + " does not exist");
        }
    }

    @Test
    void theCacheIsVersionedAndOnlyShellFilesAreAnswered() throws IOException {
        String sw = sw();
        assertTrue(Pattern.compile("const VERSION = \\d+;").matcher(sw).find(), "sw.js has no numeric VERSION");
        assertTrue(sw.contains("`parley-shell-v${VERSION}-${CONTENT}`"), "the cache name does not carry the versions");
        assertTrue(sw.contains("!SHELL_PATHS.has(url.pathname)) return;"), "requests outside the shell must not be answered by the worker");
    }

    /**
     * The server (dev.parley.server.http.WebAssets) fills in the content version on the one line
     * {@code const CONTENT = null;}, the bundle's files (an array: the bundle and its chunks) on
     * {@code const BUNDLE = null;} when the page loads the bundle (then the shell holds them in place
     * of the modules), and serves the page's css/ and js/ under /v/<version>/: the
     * worker maps exactly those folders of its list under that prefix, so it keeps the URLs the
     * page really loads (AppShellTest checks them in a browser).
     */
    @Test
    void theServerFillsInTheContentVersionAndTheShellFollowsItsPrefix() throws IOException {
        String sw = sw();
        int line = sw.indexOf("\nconst CONTENT = null;\n");
        assertTrue(line >= 0 && sw.indexOf("const CONTENT = null;", line + 2) < 0, "sw.js needs exactly one line 'const CONTENT = null;'");
        assertTrue(sw.contains("const PREFIX = CONTENT === null ? '' : `/v/${CONTENT}`;"), "the versioned prefix is not the server's");
        assertTrue(sw.contains("const VERSIONED = /^\\/(css|js)\\//;"), "the versioned folders are not the server's (css, js)");
        int bundle = sw.indexOf("\nconst BUNDLE = null;\n");
        assertTrue(bundle >= 0 && sw.indexOf("const BUNDLE = null;", bundle + 2) < 0, "sw.js needs exactly one line 'const BUNDLE = null;'");
        assertTrue(sw.contains("const LOADED = BUNDLE === null ? FILES : [...FILES.filter((path) => !path.startsWith('/js/')), ...BUNDLE];"),
                "with the bundle, the shell is not the bundle's files in place of the modules");
        assertTrue(sw.contains("const SHELL = LOADED.map((path) => (VERSIONED.test(path) ? PREFIX + path : path));"),
                "SHELL is not what the page loads under the prefix");
        String page = Files.readString(WEB.resolve("index.html"));
        Matcher local = Pattern.compile("(?:src|href)=\"/([a-z]+)/").matcher(page);
        List<String> folders = new ArrayList<>();
        while (local.find()) {
            folders.add(local.group(1));
        }
        assertTrue(folders.containsAll(List.of("css", "js", "img")), "index.html's local URLs: " + folders);
        assertTrue(Set.of("css", "js", "img", "webjars").containsAll(folders),
                "index.html loads from a folder neither versioned nor listed plain: " + folders);
    }
}
