package dev.parley.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the web client's browser tests: one real server process (or what the class's
 * {@link ServedBy} names) and one headless Chromium per test class, fresh browser contexts per
 * test (each its own IndexedDB, closed after the test), and {@link #assertNoViolations()} for
 * the tabs a test opened.
 */
public abstract class BrowserTest {

    @RegisterExtension
    static final ChatSession SESSION = new ChatSession();

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<ParleyTab> tabs = new ArrayList<>();

    /** The server of this test class, for tests of the single server process (its SQLite file, its options). */
    protected static ServerProcess server() {
        if (SESSION.server() instanceof ServerProcess process) {
            return process;
        }
        throw new IllegalStateException("this test class is served by " + SESSION.server() + ", not one server process");
    }

    /** What serves this test class, whichever it is. */
    protected static ChatServer chatServer() {
        return SESSION.server();
    }

    /** Runs after the subclass's own {@code @AfterEach} methods, even when those fail. */
    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
        tabs.clear();
    }

    /** A new browser context (a separate browser profile), desktop-sized or 375 px wide. */
    protected BrowserContext context(boolean phone) {
        BrowserContext context = phone ? Browsers.phone(SESSION.chromium()) : Browsers.desktop(SESSION.chromium());
        contexts.add(context);
        return context;
    }

    /** The web client opened in a new tab of {@code context}. */
    protected ParleyTab tab(BrowserContext context) {
        ParleyTab tab = ParleyTab.open(context, chatServer());
        tabs.add(tab);
        return tab;
    }

    /** The web client served from {@code url} (instead of the server's own address) in a new tab of {@code context}. */
    protected ParleyTab tabAt(BrowserContext context, String url) {
        ParleyTab tab = ParleyTab.open(context, url);
        tabs.add(tab);
        return tab;
    }

    protected ParleyTab tab(boolean phone) {
        return tab(context(phone));
    }

    /** A desktop-sized tab in a new browser context with a new account {@code username}. */
    protected ParleyTab registered(String username) {
        ParleyTab tab = tab(false);
        tab.register(username);
        return tab;
    }

    /** Two people, each on a new account in their own browser, each with the other's conversation open. */
    protected Chat chat(String first, String second) {
        ParleyTab a = registered(first);
        ParleyTab b = registered(second);
        a.openConversation(second);
        b.openConversation(first);
        return new Chat(a, b);
    }

    /** The tabs of {@link #chat}. */
    protected record Chat(ParleyTab first, ParleyTab second) {
    }

    /** The tabs this test opened, in order. */
    protected List<ParleyTab> tabs() {
        return tabs;
    }

    /** Stops tracking a context the test closed itself, with its tab. */
    protected void forget(BrowserContext context, ParleyTab tab) {
        contexts.remove(context);
        tabs.remove(tab);
    }

    /** Fails if any open tab of this test saw a CSP / Trusted Types violation, or any tab an uncaught page error. */
    protected void assertNoViolations() {
        for (ParleyTab tab : tabs) {
            if (!tab.page().isClosed()) {
                assertEquals(List.of(), tab.violations(), "CSP / Trusted Types violations");
            }
            assertEquals(List.of(), tab.pageErrors(), "uncaught page errors");
        }
    }
}
