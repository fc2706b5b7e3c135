package dev.parley.web.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The system Chromium, headless, driven through Playwright for Java. Every browser test of
 * Parley (protocol suites, web client UI, Java-browser interop) launches it through this class.
 *
 * <p>Nothing is downloaded: Playwright's browser download is disabled and the browser is the
 * one at {@code /usr/bin/chromium} (Debian's package), or at the path in the environment
 * variable {@code PARLEY_CHROMIUM}. Playwright gives each launch a fresh temporary profile
 * (the {@code --user-data-dir} of a non-persistent launch) and removes it on close.
 *
 * <pre>{@code
 * try (Chromium chromium = Chromium.launch()) {
 *   Page page = chromium.newPage();
 *   page.navigate(server.url("/web/index.html"));
 * }
 * }</pre>
 */
public final class Chromium implements AutoCloseable {

  /** Environment variable naming another Chromium executable. */
  public static final String PATH_ENV = "PARLEY_CHROMIUM";
  public static final Path DEFAULT_PATH = Path.of("/usr/bin/chromium");

  /** Flags known to work for headless Chromium on Parley's build machines (containers without a GPU or a sandbox). */
  public static final List<String> FLAGS = List.of(
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync");

  private final Playwright playwright;
  private final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** The Chromium executable, or an IllegalStateException that says how to provide one. */
  public static Path executable() {
    String override = System.getenv(PATH_ENV);
    Path path = override == null || override.isBlank() ? DEFAULT_PATH : Path.of(override);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException("Chromium not found at " + path + ": install Debian's 'chromium' package"
          + " (apt-get install chromium) or set " + PATH_ENV + " to a Chromium executable");
    }
    return path;
  }

  /** Launches a fresh headless Chromium. */
  public static Chromium launch() {
    Path exe = executable();
    Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(exe)
          .setHeadless(true)
          .setArgs(FLAGS)
          .setTimeout(60_000));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw new IllegalStateException("could not launch Chromium at " + exe + ": " + e.getMessage(), e);
    }
  }

  public Browser browser() {
    return browser;
  }

  /** A page in its own fresh context (own storage, IndexedDB, cookies). Console output goes to stdout. */
  public Page newPage() {
    BrowserContext context = browser.newContext();
    Page page = context.newPage();
    page.onConsoleMessage(m -> System.out.println("[chromium " + m.type() + "] " + m.text()));
    page.onPageError(e -> System.out.println("[chromium page error] " + e));
    return page;
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
