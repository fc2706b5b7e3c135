package dev.parley.web.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A tiny read-only HTTP server for browser tests: serves directories under URL prefixes on
 * 127.0.0.1 and a random port (a secure context for Web Crypto). GET and HEAD only; paths
 * that leave a mounted directory are 404.
 *
 * <pre>{@code
 * try (StaticServer server = StaticServer.start(Map.of("/web/", webDir, "/test/", testJsDir))) {
 *   page.navigate(server.url("/test/blank.html"));
 * }
 * }</pre>
 */
public final class StaticServer implements AutoCloseable {

  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png");

  private final HttpServer server;
  private final Map<String, Path> mounts;

  private StaticServer(HttpServer server, Map<String, Path> mounts) {
    this.server = server;
    this.mounts = mounts;
  }

  /** Starts serving; each key is a URL prefix ending in '/', each value a directory. */
  public static StaticServer start(Map<String, Path> mounts) throws IOException {
    Map<String, Path> copy = new LinkedHashMap<>();
    mounts.forEach((prefix, dir) -> {
      if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
        throw new IllegalArgumentException("mount prefix must start and end with '/': " + prefix);
      }
      copy.put(prefix, dir.toAbsolutePath().normalize());
    });
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    StaticServer server = new StaticServer(http, copy);
    http.createContext("/", server::handle);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
    return server;
  }

  /** Absolute URL of a path on this server, e.g. {@code url("/web/index.html")}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(exchange, 405, "text/plain", new byte[0]);
        return;
      }
      Path file = resolve(exchange.getRequestURI());
      if (file == null || !Files.isRegularFile(file)) {
        send(exchange, 404, "text/plain", "not found".getBytes());
        return;
      }
      String name = file.getFileName().toString();
      String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
      byte[] body = method.equals("HEAD") ? new byte[0] : Files.readAllBytes(file);
      send(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), body);
    }
  }

  private Path resolve(URI uri) {
    String path = uri.getPath();
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      if (path.startsWith(mount.getKey())) {
        Path root = mount.getValue();
        Path file = root.resolve(path.substring(mount.getKey().length())).normalize();
        return file.startsWith(root) ? file : null;
      }
    }
    return null;
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
