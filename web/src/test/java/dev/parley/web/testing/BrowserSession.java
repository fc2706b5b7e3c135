package dev.parley.web.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server and one headless Chromium for a test class: started before its first test (the
 * server first), closed after its last (the browser first, even when a test failed). Register
 * it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserSession<MyServer> SESSION = new BrowserSession<>(MyServer::start);
 * ... SESSION.server().url("/"), SESSION.chromium().newPage() ...
 * }</pre>
 *
 * @param <S> the server, whatever starts it (a child process, an in-process test server)
 */
public final class BrowserSession<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<S> start;
  private S server;
  private Chromium chromium;

  public BrowserSession(Supplier<S> start) {
    this.start = start;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = start.get();
    chromium = Chromium.launch();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      chromium = null;
      if (server != null) {
        server.close();
      }
      server = null;
    }
  }

  public S server() {
    return server;
  }

  public Chromium chromium() {
    return chromium;
  }
}
