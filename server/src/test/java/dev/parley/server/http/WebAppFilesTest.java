package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The files that make the web client work offline and installable: the service worker, the manifest and its icons. */
class WebAppFilesTest extends LiveServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }

    @Test
    void theServiceWorkerIsJavaScriptRevalidatedOnEveryUseAndUnderTheStrictPolicy() throws Exception {
        var response = get("/sw.js");
        assertEquals(200, response.statusCode());
        assertTrue(header(response, "Content-Type").startsWith("text/javascript"), header(response, "Content-Type"));
        assertEquals("no-cache", header(response, "Cache-Control"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(response, "Content-Security-Policy"));
        assertTrue(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).contains("addEventListener('fetch'"));
    }

    @Test
    void thePageAllowsOnlyItsOwnWorkerAndTheOneTrustedTypesPolicy() throws Exception {
        var response = get("/");
        String csp = header(response, "Content-Security-Policy");
        assertTrue(csp.contains("worker-src 'self'"), csp);
        assertTrue(csp.contains("trusted-types parley-sw"), csp);
        assertTrue(csp.contains("require-trusted-types-for 'script'"), csp);
        assertTrue(!csp.contains("allow-duplicates") && !csp.contains("trusted-types *"), csp);
        assertEquals("no-cache", header(response, "Cache-Control"));
        String page = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(page.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"), page);
    }

    @Test
    void theManifestIsServedAsAManifestAndNamesIconsThatExist() throws Exception {
        var response = get("/manifest.webmanifest");
        assertEquals(200, response.statusCode());
        assertTrue(header(response, "Content-Type").startsWith("application/manifest+json"), header(response, "Content-Type"));
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(response, "Content-Security-Policy"));
        JsonNode manifest = TestClient.JSON.readTree(response.body());
        assertEquals("Parley", manifest.path("name").asText());
        assertEquals("standalone", manifest.path("display").asText());
        assertTrue(manifest.path("theme_color").asText().matches("#[0-9a-f]{6}"), manifest.toString());
        Set<String> sizes = new HashSet<>();
        for (JsonNode icon : manifest.path("icons")) {
            var file = get(icon.path("src").asText());
            assertEquals(200, file.statusCode(), icon.toString());
            assertEquals(icon.path("type").asText(), header(file, "Content-Type").split(";")[0], icon.toString());
            sizes.add(icon.path("sizes").asText());
            if (icon.path("type").asText().equals("image/png")) {
                byte[] png = file.body();
                int width = ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
                assertEquals(icon.path("sizes").asText(), width + "x" + width, "the PNG's own width");
            }
        }
        assertEquals(Set.of("192x192", "512x512", "any"), sizes);
    }
}
