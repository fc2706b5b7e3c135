package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.LiveServerTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web client's caching (docs/WEB-CLIENT.md, "Caching and updates"): versioned modules and
 * stylesheets immutable, another version's URL answered but revalidated, the page and the
 * worker revalidated with validators, the page preloading its whole static import graph.
 */
class WebAssetsTest extends LiveServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern VERSIONED_ENTRY = Pattern.compile("<script type=\"module\" src=\"/v/([0-9a-f]{16})/js/app(?:\\.bundle)?\\.js\">");
    private static final Pattern PRELOAD = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">");
    /** A test's own reading of static imports (lines starting with import/export ... from '.…'). */
    private static final Pattern IMPORT = Pattern.compile("^\\s*(?:import|export)\\b[^'\"();=]*?['\"](\\.{1,2}/[^'\"]+)['\"]", Pattern.MULTILINE);

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.origin() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static boolean bundleBuilt() {
        return WebAssetsTest.class.getClassLoader().getResource("web" + WebAssets.BUNDLE) != null;
    }

    private static byte[] onClassPath(String path) throws IOException {
        try (InputStream in = WebAssetsTest.class.getClassLoader().getResourceAsStream("web" + path)) {
            assertTrue(in != null, path + " is not on the class path");
            return in.readAllBytes();
        }
    }

    private static String version() throws Exception {
        Matcher entry = VERSIONED_ENTRY.matcher(text(get("/")));
        assertTrue(entry.find(), "the page does not load js/app.js or js/app.bundle.js under /v/<version>/");
        return entry.group(1);
    }

    /**
     * The web module's build bundles the app on Linux x64 (web/pom.xml), where CI runs: there the
     * bundle must be on the class path and the page must load it with the chunks it imports at
     * once preloaded, and no module of the app; the rest of the app (account-session.js) is a
     * chunk the bundle loads when first needed. Elsewhere the page loads the modules.
     */
    @Test
    void thePageLoadsTheBundleAndItsChunksWhereTheBuildMadeOne() throws Exception {
        boolean linuxX64 = System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
        assertEquals(linuxX64, bundleBuilt(), "the build bundles the web client on Linux x64 and only there");
        String prefix = "/v/" + version();
        String page = text(get("/"));
        String entry = prefix + (bundleBuilt() ? WebAssets.BUNDLE : WebAssets.ENTRY_MODULE);
        assertTrue(page.contains("<script type=\"module\" src=\"" + entry + "\"></script>"), page);
        if (bundleBuilt()) {
            assertFalse(page.contains("/js/app.js"), page);
            String bundle = immutableText(entry);
            Set<String> preloads = new LinkedHashSet<>();
            PRELOAD.matcher(page).results().forEach(link -> preloads.add(link.group(1)));
            Set<String> imported = new LinkedHashSet<>();
            IMPORT.matcher(bundle).results().forEach(i -> imported.add(URI.create(entry).resolve(i.group(1)).toString()));
            assertFalse(imported.isEmpty(), "the bundle imports no chunk: " + bundle.substring(0, Math.min(200, bundle.length())));
            assertEquals(imported, preloads, "the page preloads exactly the chunks the bundle imports at once");
            Matcher lazy = Pattern.compile("import\\(\"(\\./bundle/account-session-[^\"]+\\.js)\"\\)").matcher(bundle);
            assertTrue(lazy.find(), "the bundle does not load account-session.js's chunk when needed");
            Set<String> chunks = new LinkedHashSet<>(imported);
            chunks.add(URI.create(entry).resolve(lazy.group(1)).toString());
            for (String chunk : chunks) {
                assertTrue(chunk.startsWith(prefix + WebAssets.BUNDLE_CHUNKS), chunk);
                Matcher moduleImports = IMPORT.matcher(immutableText(chunk));
                while (moduleImports.find()) {
                    String target = URI.create(chunk).resolve(moduleImports.group(1)).toString();
                    assertTrue(target.startsWith(prefix + WebAssets.BUNDLE_CHUNKS), chunk + " imports a module of the app: " + target);
                }
            }
        }
    }

    /** A versioned file's text, checked to be answered and cached for good. */
    private static String immutableText(String path) throws Exception {
        var response = get(path);
        assertEquals(200, response.statusCode(), path);
        assertEquals("public, max-age=31536000, immutable", header(response, "Cache-Control"), path);
        return text(response);
    }

    @Test
    void aVersionedModuleOrStylesheetIsTheFileAndCachedForGood() throws Exception {
        String v = version();
        for (String path : List.of("/js/app.js", "/js/protocol/ratchet.js", "/css/app.css")) {
            var response = get("/v/" + v + path);
            assertEquals(200, response.statusCode(), path);
            assertEquals("public, max-age=31536000, immutable", header(response, "Cache-Control"), path);
            assertArrayEquals(onClassPath(path), response.body(), path);
            assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(response, "Content-Security-Policy"), path);
            assertEquals("nosniff", header(response, "X-Content-Type-Options"), path);
        }
        assertTrue(header(get("/v/" + v + "/js/app.js"), "Content-Type").startsWith("text/javascript"));
        assertTrue(header(get("/v/" + v + "/css/app.css"), "Content-Type").startsWith("text/css"));
    }

    @Test
    void anotherVersionGetsThisNodesFileRevalidatedOnEveryUse() throws Exception {
        String other = version().equals("0123456789abcdef") ? "fedcba9876543210" : "0123456789abcdef";
        var response = get("/v/" + other + "/js/app.js");
        assertEquals(200, response.statusCode());
        assertEquals("no-cache", header(response, "Cache-Control"));
        assertArrayEquals(onClassPath("/js/app.js"), response.body());
        String etag = header(response, "ETag");
        assertFalse(etag.isEmpty(), "no validator");
        var again = get("/v/" + other + "/js/app.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals("no-cache", header(again, "Cache-Control"));
    }

    @Test
    void onlyTheVersionedFoldersAreUnderThePrefix() throws Exception {
        String v = version();
        for (String path : List.of("/js/no-such-module.js", "/index.html", "/sw.js", "/manifest.webmanifest")) {
            assertEquals(404, get("/v/" + v + path).statusCode(), path);
        }
    }

    @Test
    void thePageIsRevalidatedAndAnswers304ToEitherValidator() throws Exception {
        String v = version();
        for (String path : List.of("/", "/index.html")) {
            var response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals("no-cache", header(response, "Cache-Control"), path);
            assertEquals("W/\"" + v + "\"", header(response, "ETag"), path);
            assertTrue(header(response, "Content-Type").startsWith("text/html"), path);
            String lastModified = header(response, "Last-Modified");
            assertFalse(lastModified.isEmpty(), path);
            var byTag = get(path, "If-None-Match", header(response, "ETag"));
            assertEquals(304, byTag.statusCode(), path);
            assertEquals(0, byTag.body().length, path);
            assertEquals("no-cache", header(byTag, "Cache-Control"), path);
            assertEquals(304, get(path, "If-Modified-Since", lastModified).statusCode(), path);
            String hourBefore = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusHours(1).withZoneSameInstant(ZoneOffset.UTC));
            assertEquals(200, get(path, "If-Modified-Since", hourBefore).statusCode(), path);
            // If-None-Match decides when both are sent (RFC 9110 §13.2.2).
            assertEquals(200, get(path, "If-None-Match", "W/\"0000000000000000\"", "If-Modified-Since", lastModified).statusCode(), path);
            // Compressed or not, the same validator (the service worker checks it).
            var gzipped = get(path, "Accept-Encoding", "gzip");
            assertEquals("W/\"" + v + "\"", header(gzipped, "ETag"), path);
        }
        assertArrayEquals(get("/").body(), get("/index.html").body());
    }

    @Test
    void theUnbundledPagePreloadsExactlyTheStaticImportGraphOfTheAppAndNamesNoUnversionedFile() throws Exception {
        String v = version();
        String prefix = "/v/" + v;
        // The page as a server started with --no-web-bundle serves it (the same tree: the same version).
        WebAssets unbundled = WebAssets.fromClasspath("web", false);
        assertEquals(v, unbundled.version());
        assertFalse(unbundled.bundled());
        String page = new String(unbundled.page(), StandardCharsets.UTF_8);
        Set<String> preloads = new LinkedHashSet<>();
        Matcher link = PRELOAD.matcher(page);
        while (link.find()) {
            assertTrue(preloads.add(link.group(1)), "preloaded twice: " + link.group(1));
        }
        assertTrue(preloads.contains(prefix + "/js/app.js"), String.valueOf(preloads));
        // Closed under static imports, and nothing that no preloaded module imports (but the entry).
        Set<String> imported = new HashSet<>();
        for (String url : preloads) {
            assertTrue(url.startsWith(prefix + "/js/") && url.endsWith(".js"), url);
            var module = get(url);
            assertEquals(200, module.statusCode(), url);
            Matcher imports = IMPORT.matcher(text(module));
            while (imports.find()) {
                String target = URI.create(url).resolve(imports.group(1)).toString();
                assertTrue(preloads.contains(target), url + " imports " + target + ", which is not preloaded");
                imported.add(target);
            }
        }
        Set<String> unreached = new HashSet<>(preloads);
        unreached.removeAll(imported);
        assertEquals(Set.of(prefix + "/js/app.js"), unreached, "preloaded but imported by no preloaded module");
        // The page's own modules and stylesheets are all versioned; icons, manifest and WebJar are not moved.
        assertFalse(Pattern.compile("(?:src|href)=\"/(?:js|css)/").matcher(page).find(), page);
        assertTrue(page.contains("<link rel=\"stylesheet\" href=\"" + prefix + "/css/app.css\">"), page);
        assertTrue(page.contains("href=\"/manifest.webmanifest\""), page);
        assertTrue(page.contains("src=\"/webjars/qr-creator/"), page);
        assertTrue(page.indexOf("rel=\"modulepreload\"") < page.indexOf("<script type=\"module\" src=\"" + prefix + "/js/app.js\""), page);
    }

    @Test
    void theWorkerCarriesTheVersionAndIsRevalidated() throws Exception {
        String v = version();
        var response = get("/sw.js");
        assertEquals(200, response.statusCode());
        assertEquals("no-cache", header(response, "Cache-Control"));
        assertTrue(header(response, "Content-Type").startsWith("text/javascript"));
        String script = text(response);
        assertTrue(script.contains("const CONTENT = '" + v + "';"), "the worker does not carry the version");
        assertFalse(script.contains("const CONTENT = null;"));
        String plain = new String(onClassPath("/sw.js"), StandardCharsets.UTF_8);
        String bundle = "const BUNDLE = null;";
        if (bundleBuilt()) {
            Matcher files = Pattern.compile("\nconst BUNDLE = \\[('[^\\]]+')];\n").matcher(script);
            assertTrue(files.find(), "the worker does not list the bundle's files");
            bundle = files.group().strip();
            List<String> paths = Pattern.compile("'([^']+)'").matcher(files.group(1)).results().map(m -> m.group(1)).toList();
            assertEquals(WebAssets.BUNDLE, paths.getFirst(), String.valueOf(paths));
            assertTrue(paths.size() >= 3, "the bundle, its shared chunk and account-session.js's: " + paths);
            for (String path : paths.subList(1, paths.size())) {
                assertTrue(path.startsWith(WebAssets.BUNDLE_CHUNKS), path);
                assertArrayEquals(onClassPath(path), get("/v/" + v + path).body(), path);
            }
        }
        assertEquals(plain.replace("const CONTENT = null;", "const CONTENT = '" + v + "';").replace("const BUNDLE = null;", bundle),
                script, "only those lines change");
        assertEquals(304, get("/sw.js", "If-None-Match", header(response, "ETag")).statusCode());
    }

    @Test
    void theRestOfTheTreeIsRevalidatedAndWebJarsAreImmutable() throws Exception {
        var module = get("/js/app.js");
        assertEquals(200, module.statusCode());
        assertEquals("no-cache", header(module, "Cache-Control"));
        assertEquals("no-cache", header(get("/manifest.webmanifest"), "Cache-Control"));
        assertEquals("no-cache", header(get("/img/icon.svg"), "Cache-Control"));
        var webjar = get("/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js");
        assertEquals(200, webjar.statusCode());
        assertEquals("public, max-age=31536000, immutable", header(webjar, "Cache-Control"));
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(webjar, "Content-Security-Policy"));
        assertTrue(header(webjar, "Content-Type").startsWith("text/javascript"), header(webjar, "Content-Type"));
        assertEquals(304, get("/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js", "If-None-Match", header(webjar, "ETag"))
                .statusCode());
        var icon = get("/img/icon.svg");
        assertTrue(header(icon, "Content-Type").startsWith("image/svg+xml"), header(icon, "Content-Type"));
        assertEquals(304, get("/img/icon.svg", "If-None-Match", header(icon, "ETag")).statusCode());
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(icon, "Content-Security-Policy"));
        for (String missing : List.of("/js/no-such-module.js", "/webjars/qr-creator/9.9.9/dist/qr-creator.es6.min.js", "/img/")) {
            assertEquals(404, get(missing).statusCode(), missing);
        }
    }

    // Unit level: the version and the page, from a small tree.

    private static Map<String, byte[]> tree() {
        Map<String, byte[]> tree = new HashMap<>();
        tree.put("/index.html", """
                <!doctype html>
                <html><head>
                  <link rel="icon" href="/img/icon.svg">
                  <link rel="stylesheet" href="/css/app.css">
                  <script type="module" src="/js/app.js"></script>
                </head><body></body></html>
                """.getBytes(StandardCharsets.UTF_8));
        tree.put("/sw.js", "const VERSION = 3;\nconst CONTENT = null;\nconst BUNDLE = null;\n".getBytes(StandardCharsets.UTF_8));
        tree.put("/css/app.css", "body { margin: 0; }\n".getBytes(StandardCharsets.UTF_8));
        tree.put("/img/icon.svg", "<svg/>".getBytes(StandardCharsets.UTF_8));
        tree.put("/js/app.js", "import { a } from './lib/a.js';\nconst later = () => import('./lazy.js');\n".getBytes(StandardCharsets.UTF_8));
        tree.put("/js/lib/a.js", "export * from '../b.js';\nexport const a = 1;\n".getBytes(StandardCharsets.UTF_8));
        tree.put("/js/b.js", "import './lib/a.js';\nexport const b = 2;\n".getBytes(StandardCharsets.UTF_8));
        tree.put("/js/lazy.js", "export const lazy = 3;\n".getBytes(StandardCharsets.UTF_8));
        return tree;
    }

    @Test
    void theVersionChangesWithAnyFileAndOnlyThen() {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        String v = WebAssets.of(tree(), now).version();
        assertTrue(v.matches("[0-9a-f]{16}"), v);
        assertEquals(v, WebAssets.of(tree(), now.plusSeconds(60)).version(), "the same bytes, the same version");
        Set<String> versions = new HashSet<>(Set.of(v));
        for (String path : tree().keySet()) {
            Map<String, byte[]> changed = tree();
            byte[] bytes = changed.get(path).clone();
            bytes[bytes.length - 1] ^= 1;
            changed.put(path, bytes);
            assertTrue(versions.add(WebAssets.of(changed, now).version()), "changing " + path + " kept the version");
        }
        Map<String, byte[]> renamed = tree();
        renamed.put("/img/icon2.svg", renamed.remove("/img/icon.svg"));
        assertNotEquals(v, WebAssets.of(renamed, now).version(), "a renamed file");
    }

    @Test
    void thePageOfASmallTreePreloadsItsGraphUnderItsVersion() {
        WebAssets assets = WebAssets.of(tree(), Instant.now());
        String prefix = "/v/" + assets.version();
        assertEquals(List.of(prefix + "/js/app.js", prefix + "/js/lib/a.js", prefix + "/js/b.js"), assets.preloads(),
                "entry first, breadth first, the dynamic import left out");
        String page = new String(assets.page(), StandardCharsets.UTF_8);
        assertTrue(page.contains("<link rel=\"stylesheet\" href=\"" + prefix + "/css/app.css\">"), page);
        assertTrue(page.contains("<script type=\"module\" src=\"" + prefix + "/js/app.js\">"), page);
        assertTrue(page.contains("<link rel=\"icon\" href=\"/img/icon.svg\">"), page);
        assertTrue(page.contains("  <link rel=\"modulepreload\" href=\"" + prefix + "/js/lib/a.js\">\n"), page);
        assertEquals("const VERSION = 3;\nconst CONTENT = '" + assets.version() + "';\nconst BUNDLE = null;\n",
                new String(assets.worker(), StandardCharsets.UTF_8));
    }

    @Test
    void aTreeWithTheBundleLoadsItAloneUnlessToldNotTo() {
        Map<String, byte[]> tree = tree();
        // As esbuild writes them: minified, a shared chunk imported at once, a chunk loaded when needed.
        tree.put(WebAssets.BUNDLE, "import{s as t}from\"./bundle/chunk-A1.js\";const l=()=>import(\"./bundle/lazy-B2.js\");\n"
                .getBytes(StandardCharsets.UTF_8));
        tree.put("/js/bundle/chunk-A1.js", "var s=1;export{s};\n".getBytes(StandardCharsets.UTF_8));
        tree.put("/js/bundle/lazy-B2.js", "import{s}from\"./chunk-A1.js\";export const z=s;\n".getBytes(StandardCharsets.UTF_8));
        WebAssets bundled = WebAssets.of(tree, Instant.now());
        String prefix = "/v/" + bundled.version();
        assertTrue(bundled.bundled());
        assertEquals(List.of(prefix + "/js/bundle/chunk-A1.js"), bundled.preloads(), "the chunk imported at once, not the lazy one");
        String page = new String(bundled.page(), StandardCharsets.UTF_8);
        assertTrue(page.contains("<link rel=\"modulepreload\" href=\"" + prefix + "/js/bundle/chunk-A1.js\">\n"
                + "  <script type=\"module\" src=\"" + prefix + "/js/app.bundle.js\"></script>"), page);
        assertFalse(page.contains("/js/app.js") || page.contains("lazy-B2"), page);
        assertTrue(page.contains("<link rel=\"stylesheet\" href=\"" + prefix + "/css/app.css\">"), page);
        assertEquals("const VERSION = 3;\nconst CONTENT = '" + bundled.version()
                        + "';\nconst BUNDLE = ['/js/app.bundle.js', '/js/bundle/chunk-A1.js', '/js/bundle/lazy-B2.js'];\n",
                new String(bundled.worker(), StandardCharsets.UTF_8));

        WebAssets modules = WebAssets.of(tree, Instant.now(), false);
        assertFalse(modules.bundled());
        assertEquals(bundled.version(), modules.version(), "the same tree, the same version");
        assertEquals(3, modules.preloads().size(), String.valueOf(modules.preloads()));
        assertTrue(new String(modules.page(), StandardCharsets.UTF_8).contains("src=\"" + prefix + "/js/app.js\""));
        assertTrue(new String(modules.worker(), StandardCharsets.UTF_8).endsWith("const BUNDLE = null;\n"));
    }

    @Test
    void aTreeThatCannotWorkIsRefusedAtStart() {
        Map<String, byte[]> missingImport = tree();
        missingImport.remove("/js/b.js");
        assertThrows(IllegalStateException.class, () -> WebAssets.of(missingImport, Instant.now()));
        Map<String, byte[]> noWorkerLine = tree();
        noWorkerLine.put("/sw.js", "const CONTENT = 'x';\nconst BUNDLE = null;\n".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> WebAssets.of(noWorkerLine, Instant.now()));
        Map<String, byte[]> noBundleLine = tree();
        noBundleLine.put("/sw.js", "const CONTENT = null;\n".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> WebAssets.of(noBundleLine, Instant.now()));
        Map<String, byte[]> noEntry = tree();
        noEntry.put("/index.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> WebAssets.of(noEntry, Instant.now()));
    }

    @Test
    void staticImportsAreStatementsNotDynamicImportsCommentsOrStrings() {
        String source = """
                /**
                 * import { nope } from './in-a-comment.js';
                 */
                // import './also-a-comment.js';
                import {
                  one,
                  two as deux,
                } from './multi-line.js';
                import def, * as all from "../double-quoted.js";
                import './bare.js';
                export { x } from './re-export.js';
                export * as ns from './namespace.js';
                export * from './star.js';
                export const PATH = '/not/an/import.js';
                import{a as b,c}from"./minified.js";var d=1;
                const lazy = await import('./dynamic.js');
                import('./dynamic-statement.js');
                import { crypto } from '/absolute.js';
                """;
        assertEquals(List.of("./multi-line.js", "../double-quoted.js", "./bare.js", "./re-export.js", "./namespace.js", "./star.js",
                        "./minified.js"),
                ModuleGraph.staticImports(source));
        assertEquals("/js/b.js", ModuleGraph.resolve("/js/lib/a.js", "../b.js"));
        assertEquals("/js/lib/c/d.js", ModuleGraph.resolve("/js/lib/a.js", "./c/./d.js"));
        assertThrows(IllegalStateException.class, () -> ModuleGraph.resolve("/js/a.js", "../../x.js"));
    }
}
