package dev.parley.web.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test server serves mounted files only: no traversal out of a mount, no writes. */
class StaticServerTest {

  @TempDir
  Path dir;

  @Test
  void servesMountedFilesAndNothingElse() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("a.js"), "export const a = 1;");
    Files.writeString(dir.resolve("secret.txt"), "outside");
    try (StaticServer server = StaticServer.start(Map.of("/m/", root))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(server.url("/m/a.js"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals("export const a = 1;", ok.body());
      assertEquals("text/javascript; charset=utf-8", ok.headers().firstValue("Content-Type").orElseThrow());

      assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(server.url("/m/missing.js"))).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(server.url("/other/a.js"))).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(405, client.send(HttpRequest.newBuilder(URI.create(server.url("/m/a.js")))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
      // A raw request: HttpClient would normalise the dot segments away.
      assertEquals(404, rawStatus(server, "/m/../secret.txt"));
      assertEquals(404, rawStatus(server, "/m/%2e%2e/secret.txt"));
    }
  }

  private static int rawStatus(StaticServer server, String path) throws IOException {
    URI uri = URI.create(server.url("/"));
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
