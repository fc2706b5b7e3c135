package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.Browsers;
import dev.parley.e2e.support.ParleyTab;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The app around the conversations: the offline copy of the app (service worker), desktop
 * notifications, reading comfort (new-messages divider, jump to latest, last conversation,
 * drafts) and local search. One server for the class; the offline test stops and restarts it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppShellTest extends BrowserTest {

    /**
     * Records every Notification the page constructs (title, body, tag) and keeps the objects,
     * so the test can click one as the user would. Installed before the page's scripts run.
     */
    private static final String NOTIFICATION_RECORDER = """
            window.__notifications = [];
            window.__notificationObjects = [];
            if (window.Notification) {
              const Native = window.Notification;
              class Recorded extends Native {
                constructor(title, options = {}) {
                  super(title, options);
                  window.__notifications.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
                  window.__notificationObjects.push(this);
                }
              }
              Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
            }
            """;

    private static Locator conversationRegion(ParleyTab tab, String peer) {
        return tab.page().getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Conversation with " + peer));
    }

    /**
     * Waits until the service worker controls the page and its cache holds the shell: the page,
     * the WebJar and every file this page loaded from the server (its bundle and stylesheets
     * at their versioned URLs, /v/<version>/...).
     */
    private static void awaitOfflineCopy(ParleyTab tab) {
        tab.page().waitForFunction("() => navigator.serviceWorker.controller !== null");
        Object cached = tab.page().evaluate("""
                async () => {
                  const keys = await caches.keys();
                  const cache = await caches.open(keys.find((k) => k.startsWith('parley-shell-')));
                  return (await cache.keys()).map((r) => new URL(r.url).pathname);
                }""");
        Object loaded = tab.page().evaluate("""
                () => performance.getEntriesByType('resource').map((e) => new URL(e.name))
                  .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/v1/')).map((u) => u.pathname)""");
        // The server built on Linux x64 (CI) serves the page with the bundle: its entry and its chunks, no module of the app.
        String entry = String.valueOf(tab.page().evaluate(
                "() => new URL(document.querySelector('script[type=module][src$=\"/js/app.bundle.js\"]').src).pathname"));
        assertTrue(entry.matches("/v/[0-9a-f]{16}/js/app\\.bundle\\.js"), entry);
        assertTrue(cached instanceof List<?> list && list.contains(entry) && list.contains("/") && list.contains("/index.html")
                && list.contains("/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js"), String.valueOf(cached));
        assertTrue(loaded instanceof List<?> files && files.contains(entry) && ((List<?>) cached).containsAll(files),
                "loaded by the page but not in the offline copy: " + loaded);
        assertTrue(((List<?>) loaded).stream().noneMatch(path -> String.valueOf(path).endsWith("/js/app.js")),
                "the page loaded the modules as well as the bundle: " + loaded);
        // An open account runs the rest of the app: the bundle's chunk of account-session.js, kept offline too.
        assertTrue(((List<?>) loaded).stream().anyMatch(path -> String.valueOf(path).matches("/v/[0-9a-f]{16}/js/bundle/account-session-.+\\.js")),
                "the page with an account did not load account-session.js's chunk: " + loaded);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> notifications(ParleyTab tab) {
        return (List<Map<String, Object>>) tab.page().evaluate("() => window.__notifications");
    }

    private static void awaitNotifications(ParleyTab tab, int count) {
        tab.page().waitForFunction("(n) => window.__notifications.length >= n", count);
        assertEquals(count, notifications(tab).size(), String.valueOf(notifications(tab)));
    }

    private static void sendAll(ParleyTab tab, String prefix, int count) {
        for (int i = 1; i <= count; i++) {
            tab.send(prefix + " " + i);
        }
    }

    @Test
    @Order(1)
    void aReloadWithTheServerDownShowsTheAppItsHistoryAndTheOfflineStateThenMessagesFlowAgain() {
        Chat chat = chat("off_alice", "off_bob");
        ParleyTab alice = chat.first();
        ParleyTab bob = chat.second();
        alice.send("before the outage");
        assertThat(bob.incoming("before the outage")).isVisible();
        bob.send("a reply before the outage");
        assertThat(alice.incoming("a reply before the outage")).isVisible();
        awaitOfflineCopy(alice);

        server().stop();
        alice.reload();
        // The page, the account and its history come from this browser: no error page.
        assertThat(alice.byTestId("account-name")).hasText("off_alice");
        assertThat(alice.byTestId("offline-banner")).isVisible();
        assertThat(alice.byTestId("offline-banner")).containsText("Offline: reconnecting…");
        assertThat(conversationRegion(alice, "off_bob")).isVisible();
        assertThat(alice.outgoing("before the outage")).isVisible();
        assertThat(alice.incoming("a reply before the outage")).isVisible();
        alice.send("written while the server was down");
        alice.awaitStatus("written while the server was down", "sending");
        alice.screenshot("desktop-offline-reload");
        alice.page().setViewportSize(Browsers.PHONE_WIDTH, Browsers.PHONE_HEIGHT);
        alice.screenshot("phone-offline-reload");
        alice.page().setViewportSize(Browsers.DESKTOP_WIDTH, Browsers.DESKTOP_HEIGHT);

        server().restart();
        alice.byTestId("connection-status").click(); // "click to retry now", as a user would
        bob.byTestId("connection-status").click();
        alice.awaitOnline();
        bob.awaitOnline();
        assertThat(alice.byTestId("offline-banner")).isHidden();
        assertThat(bob.incoming("written while the server was down")).isVisible();
        alice.awaitStatus("written while the server was down", "read");
        bob.send("and after it");
        assertThat(alice.incoming("and after it")).isVisible();
        assertNoViolations();
    }

    @Test
    @Order(2)
    void notificationsAreAskedForInSettingsAndShowTheSenderWithOrWithoutTheText() {
        BrowserContext aliceBrowser = context(false);
        aliceBrowser.grantPermissions(List.of("notifications"), new BrowserContext.GrantPermissionsOptions().setOrigin(server().origin()));
        aliceBrowser.addInitScript(NOTIFICATION_RECORDER);
        ParleyTab alice = tab(aliceBrowser);
        alice.register("no_alice");
        ParleyTab bob = registered("no_bob");
        registered("no_carol");
        bob.openConversation("no_alice");

        // Off until the user turns them on: a message only counts in the title.
        bob.send("before notifications were on");
        assertThat(alice.byTestId("unread-no_bob")).hasText("1");
        assertThat(alice.page()).hasTitle("(1) Parley");
        assertEquals(List.of(), notifications(alice));

        alice.byTestId("open-settings").click();
        assertThat(alice.byTestId("notifications-enable")).not().isChecked();
        alice.byTestId("notifications-enable").check();
        assertThat(alice.byTestId("notifications-enable")).isChecked();
        assertThat(alice.byTestId("notification-text")).isChecked();
        alice.byTestId("notifications-enable").scrollIntoViewIfNeeded();
        alice.screenshot("desktop-settings-notifications");
        alice.byTestId("dialog-close").click();

        // A message in a conversation not on screen notifies, with sender and text.
        alice.openConversation("no_carol");
        bob.send("lunch at noon?");
        awaitNotifications(alice, 1);
        assertEquals("no_bob", notifications(alice).get(0).get("title"));
        assertEquals("lunch at noon?", notifications(alice).get(0).get("body"));
        assertThat(alice.page()).hasTitle("(2) Parley");

        // Clicking it opens the conversation (and so reads it).
        alice.page().evaluate("() => window.__notificationObjects[0].dispatchEvent(new Event('click'))");
        assertThat(conversationRegion(alice, "no_bob")).isVisible();
        assertThat(alice.incoming("lunch at noon?")).isVisible();
        assertThat(alice.page()).hasTitle("Parley");

        // The conversation on screen does not notify; the same one in a hidden page does.
        bob.send("you are looking at this");
        assertThat(alice.incoming("you are looking at this")).isVisible();
        alice.setHidden(true);
        bob.send("while the page is hidden");
        awaitNotifications(alice, 2);
        assertEquals("while the page is hidden", notifications(alice).get(1).get("body"));
        alice.setHidden(false);

        // With the text off, a notification names the sender only.
        alice.byTestId("open-settings").click();
        alice.byTestId("notification-text").uncheck();
        alice.byTestId("dialog-close").click();
        alice.openConversation("no_carol");
        bob.send("the surprise party is on friday");
        awaitNotifications(alice, 3);
        assertEquals("no_bob", notifications(alice).get(2).get("title"));
        assertEquals("New message", notifications(alice).get(2).get("body"));
        assertFalse(notifications(alice).toString().contains("surprise party"), notifications(alice).toString());

        // The settings are kept with the account.
        alice.reload();
        alice.awaitOnline();
        alice.byTestId("open-settings").click();
        assertThat(alice.byTestId("notifications-enable")).isChecked();
        assertThat(alice.byTestId("notification-text")).not().isChecked();
        alice.byTestId("dialog-close").click();
        assertNoViolations();
    }

    @Test
    @Order(3)
    void theDividerTheJumpButtonTheLastConversationAndDraftsHelpReading() {
        ParleyTab alice = registered("rc_alice");
        ParleyTab bob = registered("rc_bob");
        registered("rc_carol");
        alice.openConversation("rc_bob");
        alice.send("hello bob");
        bob.openConversation("rc_alice");
        assertThat(bob.incoming("hello bob")).isVisible();
        bob.send("hello alice");
        assertThat(alice.incoming("hello alice")).isVisible();

        // Twenty-five messages arrive while alice looks at another conversation.
        alice.openConversation("rc_carol");
        sendAll(bob, "catching up, part", 25);
        assertThat(alice.byTestId("unread-rc_bob")).hasText("25");
        alice.openConversation("rc_bob");
        Locator divider = alice.byTestId("new-messages-divider");
        assertThat(divider).hasText(Pattern.compile("25 new messages", Pattern.CASE_INSENSITIVE));
        assertThat(divider).isInViewport();
        // It sits right above the first of them, after what had been read.
        assertEquals("catching up, part 1", alice.page().evaluate(
                "() => document.querySelector('[data-testid=new-messages-divider]').nextElementSibling.querySelector('[data-testid=message-text]').textContent"));
        Locator jump = alice.byTestId("jump-latest");
        assertThat(jump).isVisible();
        assertThat(jump).hasAttribute("data-count", Pattern.compile("[1-9][0-9]*"));
        assertThat(alice.incoming("catching up, part 25")).not().isInViewport();
        alice.screenshot("desktop-new-messages-divider");
        alice.page().setViewportSize(Browsers.PHONE_WIDTH, Browsers.PHONE_HEIGHT);
        assertThat(jump).isVisible();
        alice.screenshot("phone-new-messages-divider");
        alice.page().setViewportSize(Browsers.DESKTOP_WIDTH, Browsers.DESKTOP_HEIGHT);

        jump.click();
        assertThat(alice.incoming("catching up, part 25")).isInViewport();
        assertThat(jump).isHidden();
        assertThat(alice.byTestId("unread-rc_bob")).hasCount(0);
        bob.awaitStatus("catching up, part 25", "read");

        // Drafts are kept per conversation, in the account's database (never localStorage).
        alice.byTestId("message-input").fill("a draft for bob");
        alice.openConversation("rc_carol");
        assertThat(alice.byTestId("message-input")).hasValue("");
        alice.byTestId("message-input").fill("a draft for carol");
        alice.openConversation("rc_bob");
        assertThat(alice.byTestId("message-input")).hasValue("a draft for bob");
        assertFalse(String.valueOf(alice.page().evaluate("() => JSON.stringify(localStorage)")).contains("a draft"));

        // A reload reopens the last conversation, with its draft; nothing is unread any more.
        alice.reload();
        assertThat(conversationRegion(alice, "rc_bob")).isVisible();
        assertThat(alice.byTestId("message-input")).hasValue("a draft for bob");
        assertThat(alice.incoming("catching up, part 25")).isVisible();
        assertThat(alice.byTestId("new-messages-divider")).hasCount(0);
        alice.openConversation("rc_carol");
        assertThat(alice.byTestId("message-input")).hasValue("a draft for carol");
        // A sent draft is gone. (The draft comes back from the database a moment after the
        // conversation opens, as a user sees it: Enter before that would send nothing.)
        alice.openConversation("rc_bob");
        assertThat(alice.byTestId("message-input")).hasValue("a draft for bob");
        alice.byTestId("message-input").press("Enter");
        assertThat(bob.incoming("a draft for bob")).isVisible();
        alice.reload();
        assertThat(conversationRegion(alice, "rc_bob")).isVisible();
        assertThat(alice.outgoing("a draft for bob")).isVisible();
        assertThat(alice.byTestId("message-input")).hasValue("");
        assertNoViolations();
    }

    @Test
    @Order(4)
    void searchFindsMessagesInOneToOneAndGroupConversationsAndOpensThem() {
        ParleyTab alice = registered("se_alice");
        ParleyTab bob = registered("se_bob");
        ParleyTab carol = registered("se_carol");
        bob.openConversation("se_alice");
        bob.send("Meet me at the Café Olé at noon");
        sendAll(bob, "small talk", 20);
        assertThat(alice.byTestId("unread-se_bob")).hasText("21");

        alice.byTestId("new-group").click();
        alice.byTestId("group-name-input").fill("Trip");
        alice.byTestId("group-member-se_bob").check();
        alice.byTestId("group-member-se_carol").check();
        alice.byTestId("group-create").click();
        assertThat(alice.byTestId("group-title")).hasText("Trip");
        carol.byTestId("conversation-list").locator("[data-name=\"Trip\"]").click();
        carol.send("Bring the CRÈME brûlée please");
        assertThat(alice.incoming("Bring the CRÈME brûlée please")).isVisible();
        alice.send("I will bring nothing");

        // Case and accents do not matter; the match is marked in the text around it.
        alice.byTestId("search-open").click();
        alice.byTestId("search-input").fill("cafe OLE");
        Locator first = alice.byTestId("search-result-0");
        assertThat(first).containsText("se_bob");
        assertThat(first.locator("mark")).hasText("Café Olé");
        assertThat(alice.page().locator("[data-testid^=search-result-]")).hasCount(1);
        alice.screenshot("desktop-search");
        first.click();
        assertThat(conversationRegion(alice, "se_bob")).isVisible();
        Locator hit = alice.messages().and(alice.page().locator("[data-highlighted=true]"));
        assertThat(hit).hasText(Pattern.compile("Meet me at the Café Olé at noon"));
        assertThat(hit).isInViewport();

        // A group message: the result names the group and the sender, and opens the group.
        alice.byTestId("search-open").click();
        alice.byTestId("search-input").fill("creme brulee");
        assertThat(alice.byTestId("search-result-0")).containsText("Trip");
        assertThat(alice.byTestId("search-result-0")).containsText("se_carol");
        assertThat(alice.byTestId("search-result-0").locator("mark")).hasText("CRÈME brûlée");
        alice.byTestId("search-result-0").click();
        assertThat(alice.byTestId("group-title")).hasText("Trip");
        assertThat(alice.messages().and(alice.page().locator("[data-highlighted=true]"))).hasText(Pattern.compile("Bring the CRÈME"));

        // Several hits, newest first; nothing found says so.
        alice.byTestId("search-open").click();
        alice.byTestId("search-input").fill("small TALK");
        assertThat(alice.page().locator("[data-testid^=search-result-]")).hasCount(20);
        assertThat(alice.byTestId("search-result-0")).containsText("small talk 20");
        alice.byTestId("search-input").fill("no such words anywhere");
        assertThat(alice.page().getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("No message found"))).isVisible();
        alice.byTestId("search-input").fill("bring");
        assertThat(alice.page().locator("[data-testid^=search-result-]")).hasCount(2);
        alice.page().setViewportSize(Browsers.PHONE_WIDTH, Browsers.PHONE_HEIGHT);
        alice.screenshot("phone-search");
        alice.page().setViewportSize(Browsers.DESKTOP_WIDTH, Browsers.DESKTOP_HEIGHT);
        alice.byTestId("dialog-close").click();
        assertNoViolations();
    }
}
