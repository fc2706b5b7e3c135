package dev.parley.e2e.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One browser tab of the Parley web client, driven only through the data-testids of
 * docs/TESTING.md. Every tab records Content-Security-Policy and Trusted Types violations
 * (the page's {@code securitypolicyviolation} events and console reports) for the tests to
 * assert on.
 */
public final class ParleyTab {

    /** Collects violation events in the page before any of its own scripts run. */
    private static final String VIOLATION_RECORDER = """
            window.__parleyViolations = [];
            document.addEventListener('securitypolicyviolation', (e) => {
              window.__parleyViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
            });
            """;

    static {
        // The machines that run these tests are shared and sometimes busy: wait up to 20 s
        // for what a user would see within a second or two.
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    private final Page page;
    private final List<String> consoleViolations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());

    private ParleyTab(Page page) {
        this.page = page;
        page.addInitScript(VIOLATION_RECORDER);
        page.onConsoleMessage(m -> {
            String text = m.text();
            System.out.println("[chromium " + m.type() + "] " + text);
            if (text.contains("Content Security Policy") || text.contains("Trusted Type") || text.contains("TrustedHTML")
                    || text.contains("integrity")) {
                consoleViolations.add(text);
            }
        });
        page.onPageError(e -> {
            System.out.println("[chromium page error] " + e);
            pageErrors.add(String.valueOf(e));
        });
        page.setDefaultTimeout(20_000);
    }

    /** Opens the client in a new tab of {@code context}. */
    public static ParleyTab open(BrowserContext context, ChatServer server) {
        return open(context, server.url("/"));
    }

    /** Opens the client at {@code url} (one node of several, say) in a new tab of {@code context}. */
    public static ParleyTab open(BrowserContext context, String url) {
        var tab = new ParleyTab(context.newPage());
        tab.page.navigate(url);
        return tab;
    }

    public Page page() {
        return page;
    }

    public Locator byTestId(String id) {
        return page.getByTestId(id);
    }

    /** Creates an account on the welcome screen; returns the recovery code shown once. */
    public String register(String username) {
        byTestId("register-username").fill(username);
        byTestId("register-submit").click();
        return takeRecoveryCode(username);
    }

    /** Resets {@code username} with its recovery code (on a fresh browser); returns the new code. */
    public String reset(String username, String recoveryCode) {
        byTestId("open-reset").click();
        byTestId("reset-username").fill(username);
        byTestId("reset-code").fill(recoveryCode);
        byTestId("reset-submit").click();
        return takeRecoveryCode(username);
    }

    /** Reads the recovery code shown once after a registration or reset, closes it and waits until online. */
    private String takeRecoveryCode(String username) {
        Locator code = byTestId("recovery-code");
        assertThat(code).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        String recoveryCode = code.textContent();
        byTestId("recovery-done").click();
        assertThat(byTestId("account-name")).hasText(username);
        awaitOnline();
        return recoveryCode;
    }

    /**
     * On a new browser: "Link to an existing account", names this device {@code name} and
     * returns the link code it shows (as text; the QR code beside it is drawn too).
     */
    public String startLinking(String name) {
        byTestId("link-device-start").click();
        byTestId("link-device-name-input").fill(name);
        byTestId("link-show-code").click();
        assertThat(byTestId("link-qr")).hasAttribute("data-rendered", "true");
        String code = byTestId("link-code").textContent().strip();
        assertThat(byTestId("link-status")).containsText("Waiting");
        return code;
    }

    /**
     * On a logged-in browser: Settings, paste {@code code}, check that the waiting device is
     * called {@code expectedName}, approve (sending history unless {@code history} is false).
     * Leaves the settings dialog open on the linked devices.
     */
    public void approveLink(String code, String expectedName, boolean history) {
        byTestId("open-settings").click();
        assertThat(byTestId("linked-devices")).isVisible();
        byTestId("link-code-input").fill(code);
        byTestId("link-check").click();
        assertThat(byTestId("link-device-name")).hasText(expectedName);
        if (!history) {
            byTestId("link-history").uncheck();
        }
        byTestId("link-approve").click();
        assertThat(byTestId("link-done")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(30_000));
    }

    /** Waits until a linked browser has opened its account {@code username}. */
    public void awaitLinkedAs(String username) {
        assertThat(byTestId("account-name")).hasText(username, new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                .setTimeout(30_000));
        awaitOnline();
    }

    /**
     * Waits until this tab's account has its prekeys on the server (its account record says so),
     * so that a contact can start a conversation while this tab is closed. The account database
     * exists once {@code register} returned; it is only read here, never created.
     */
    public void awaitPreKeysUploaded(String username) {
        page.waitForFunction("""
                async (username) => {
                  const name = 'parley-account-' + username;
                  if (!(await indexedDB.databases()).some((d) => d.name === name)) return false;
                  const db = await new Promise((resolve, reject) => {
                    const r = indexedDB.open(name);
                    r.onsuccess = () => resolve(r.result);
                    r.onerror = () => reject(r.error);
                  });
                  try {
                    const account = await new Promise((resolve, reject) => {
                      const r = db.transaction('meta').objectStore('meta').get('account');
                      r.onsuccess = () => resolve(r.result);
                      r.onerror = () => reject(r.error);
                    });
                    return Boolean(account?.prekeysUploaded);
                  } finally {
                    db.close();
                  }
                }""", username, new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    public void awaitOnline() {
        assertThat(byTestId("connection-status")).hasAttribute("data-state", "online");
    }

    /**
     * Waits until the tab is online again after the server was away: the client's retry
     * interval grows while it is (to 15-30 s after a few failed attempts, web/js/net/backoff.js),
     * so this waits longer than that, 45 s, from the moment the server is back.
     */
    public void awaitBackOnline() {
        assertThat(byTestId("connection-status")).hasAttribute("data-state", "online",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(45_000));
    }

    public Locator contact(String username) {
        return byTestId("contact-" + username);
    }

    public void openConversation(String username) {
        contact(username).click();
        assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Conversation with " + username))).isVisible();
    }

    /** Types and sends with Enter, as a user does. */
    public void send(String text) {
        Locator input = byTestId("message-input");
        input.fill(text);
        input.press("Enter");
        assertThat(input).hasValue("");
    }

    public Locator messages() {
        return byTestId("message-list").getByTestId("message");
    }

    public Locator outgoing(String text) {
        return messages().and(page.locator("[data-direction=out]")).filter(new Locator.FilterOptions().setHasText(text));
    }

    public Locator incoming(String text) {
        return messages().and(page.locator("[data-direction=in]")).filter(new Locator.FilterOptions().setHasText(text));
    }

    public void awaitStatus(String text, String status) {
        assertThat(outgoing(text)).hasAttribute("data-status", status);
    }

    public void awaitStatusIn(String text, String... statuses) {
        assertThat(outgoing(text)).hasAttribute("data-status", Pattern.compile(String.join("|", statuses)));
    }

    /** CSP / Trusted Types violations seen by this tab so far, from events and the console. */
    public List<String> violations() {
        List<String> all = new ArrayList<>(consoleViolations);
        if (!page.isClosed()) {
            page.waitForLoadState();
            Object recorded = page.evaluate("() => window.__parleyViolations || []");
            if (recorded instanceof List<?> list) {
                list.forEach(v -> all.add(String.valueOf(v)));
            }
        }
        return all;
    }

    public List<String> pageErrors() {
        return List.copyOf(pageErrors);
    }

    public void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.path(name)));
    }

    /**
     * Makes the page hidden or visible again as the Page Visibility API reports it: what a page
     * sees when its tab goes to the background. Playwright keeps every page of a headless
     * browser "visible" whatever is in front or minimised, so the page's
     * {@code document.visibilityState} is set here and {@code visibilitychange} dispatched, as
     * the browser does when the tab is switched.
     */
    public void setHidden(boolean hidden) {
        page.evaluate("""
                (hidden) => {
                  const state = hidden ? 'hidden' : 'visible';
                  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
                  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
                  document.dispatchEvent(new Event('visibilitychange'));
                }""", hidden);
    }

    public void reload() {
        page.reload();
    }

    public void close() {
        page.close();
    }

    public static Path screenshotDir() {
        return Screenshots.DIRECTORY;
    }
}
