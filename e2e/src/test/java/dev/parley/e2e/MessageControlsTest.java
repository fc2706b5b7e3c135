package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replies, edits, deletes, reactions and disappearing messages between real browsers through the
 * real server (docs/WEB-CLIENT.md, "Replies, edits, deletes, reactions, disappearing messages"):
 * in a 1:1 conversation with the sender's own second device, and in a group; an edit and a
 * delete of someone else's message, sent for real by a participant's client, refused by the
 * receivers (security log, nothing changed); the 5-minute timer with Playwright's clock, the
 * message erased from both browsers' IndexedDB.
 */
class MessageControlsTest extends BrowserTest {

    /**
     * This class drives the page's own modules (below), so its server serves them one by one
     * rather than in the bundle, whose modules a test cannot import.
     */
    @BeforeAll
    static void modulesOneByOne() {
        server().restartWith("--no-web-bundle");
    }

    /**
     * Makes the page's messenger reachable as {@code window.__messenger} once the next conversation
     * opens. The module is imported at the URL the page loaded it from (under /v/<version>/), so
     * that it is the page's own instance.
     */
    private static final String CAPTURE_MESSENGER = """
            async () => {
              const app = document.querySelector('script[type=module][src$="/js/app.js"]').src;
              const { Messenger } = await import(new URL('chat/messenger.js', app).href);
              const original = Messenger.prototype.conversationTimer;
              Messenger.prototype.conversationTimer = function (...args) {
                window.__messenger = this;
                return original.apply(this, args);
              };
            }""";

    /** The texts of the non-system messages in the account's IndexedDB (the store itself, not the view). */
    private static final String STORED_TEXTS = """
            async (username) => {
              const db = await new Promise((resolve, reject) => {
                const r = indexedDB.open('parley-account-' + username);
                r.onsuccess = () => resolve(r.result);
                r.onerror = () => reject(r.error);
              });
              const all = await new Promise((resolve, reject) => {
                const r = db.transaction('messages').objectStore('messages').getAll();
                r.onsuccess = () => resolve(r.result);
                r.onerror = () => reject(r.error);
              });
              db.close();
              return all.filter((m) => m.direction !== 'system').map((m) => m.text);
            }""";

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    private static String idOf(Locator message) {
        assertThat(message).hasCount(1);
        return message.getAttribute("data-id");
    }

    /**
     * Opens the message's menu and picks {@code action}. A message re-drawn while its menu is open
     * (a receipt or an edit arriving from another member) closes the menu, as it does for a user,
     * who opens it again: so does this, up to three times.
     */
    private static void menu(ParleyTab tab, String id, String action) {
        Locator message = tab.page().locator("[data-testid=message][data-id=\"" + id + "\"]");
        Locator item = tab.byTestId(action + "-" + id);
        for (int attempt = 1; ; attempt++) {
            message.hover();
            tab.byTestId("message-actions-" + id).click();
            try {
                item.waitFor(new Locator.WaitForOptions().setTimeout(5_000));
                item.click(new Locator.ClickOptions().setTimeout(5_000));
                return;
            } catch (com.microsoft.playwright.TimeoutError closed) {
                if (attempt == 3) {
                    throw closed;
                }
            }
        }
    }

    private static void react(ParleyTab tab, String id, String emoji) {
        menu(tab, id, "react");
        tab.page().locator("[data-testid=emoji-option][data-emoji=\"" + emoji + "\"]").click();
    }

    private static Locator message(ParleyTab tab, String id) {
        return tab.page().locator("[data-testid=message][data-id=\"" + id + "\"]");
    }

    private static Locator reaction(ParleyTab tab, String id, String emoji) {
        return message(tab, id).locator("[data-testid=reaction][data-emoji=\"" + emoji + "\"]");
    }

    private static List<String> storedTexts(ParleyTab tab, String username) {
        return storedTexts(tab.page(), username);
    }

    @SuppressWarnings("unchecked")
    private static List<String> storedTexts(Page page, String username) {
        return (List<String>) page.evaluate(STORED_TEXTS, username);
    }

    private static void openMessenger(ParleyTab tab) {
        tab.page().evaluate(CAPTURE_MESSENGER);
    }

    /** Sends {@code payload} (a control object) through the page's own outbox, exactly as given: a participant's modified client. */
    private static void forge(ParleyTab tab, String conversation, String type, String targetId, String text) {
        tab.page().evaluate("""
                ([conversation, type, targetId, text]) => window.__messenger.content.queuePayload(conversation,
                  type === 'edit'
                    ? { type, id: 'forged-' + type + '-' + targetId, sentAt: Date.now(), targetId, text }
                    : { type, id: 'forged-' + type + '-' + targetId, sentAt: Date.now(), targetId })""",
                List.of(conversation, type, targetId, text == null ? "" : text));
    }

    private static Locator refusedControls(ParleyTab tab) {
        return tab.page().locator("[data-testid=log-entry][data-event=control-refused]");
    }

    @Test
    void oneToOneRepliesEditsDeletesAndReactionsReachBothSidesAndTheSendersOtherDevice() {
        ParleyTab alice = registered("mc_alice");
        ParleyTab bob = registered("mc_bob");
        ParleyTab phone = tab(true);
        String code = phone.startLinking("Alice's phone");
        alice.approveLink(code, "Alice's phone", false);
        phone.awaitLinkedAs("mc_alice");
        alice.byTestId("dialog-close").click();
        alice.openConversation("mc_bob");
        bob.openConversation("mc_alice");
        phone.openConversation("mc_bob");

        alice.send("Lunch at noon?");
        alice.send("Bring the map");
        String lunch = idOf(alice.outgoing("Lunch at noon?"));
        String map = idOf(alice.outgoing("Bring the map"));
        assertThat(bob.incoming("Bring the map")).isVisible();
        assertThat(phone.outgoing("Bring the map")).isVisible();

        // Reply with a quote, from the keyboard: the menu opens on Enter and its items take the focus.
        message(bob, lunch).hover();
        bob.byTestId("message-actions-" + lunch).focus();
        bob.page().keyboard().press("Enter");
        assertThat(bob.byTestId("reply-" + lunch)).isFocused();
        bob.screenshot("desktop-message-menu");
        bob.page().keyboard().press("Enter");
        assertThat(bob.byTestId("composer-context")).containsText("Replying to mc_alice");
        assertThat(bob.byTestId("composer-context")).containsText("Lunch at noon?");
        bob.send("Noon works");
        assertThat(bob.byTestId("composer-context")).isHidden();
        Locator reply = alice.incoming("Noon works");
        assertThat(reply.getByTestId("message-quote")).containsText("Lunch at noon?");
        assertThat(phone.incoming("Noon works").getByTestId("message-quote")).containsText("Lunch at noon?");
        reply.getByTestId("message-quote").click();
        assertThat(message(alice, lunch)).hasAttribute("data-highlighted", "true");
        alice.screenshot("desktop-reply");

        // Edit: the text goes into the composer; the new text reaches bob and alice's phone (0x14).
        menu(alice, map, "edit");
        assertThat(alice.byTestId("message-input")).hasValue("Bring the map");
        alice.byTestId("message-input").fill("Bring the big map");
        alice.byTestId("message-input").press("Enter");
        for (ParleyTab tab : List.of(alice, bob, phone)) {
            assertThat(message(tab, map).getByTestId("message-text")).hasText("Bring the big map");
            assertThat(message(tab, map).getByTestId("message-edited")).hasText("edited");
        }
        phone.screenshot("phone-edited");
        // Reactions: one per account, counted, with who reacted in the accessible name.
        react(bob, lunch, "👍");
        assertThat(reaction(alice, lunch, "👍")).hasAttribute("data-count", "1");
        assertThat(reaction(alice, lunch, "👍")).hasAccessibleName(Pattern.compile("👍 by mc_bob"));
        react(phone, lunch, "👍");
        assertThat(reaction(bob, lunch, "👍")).hasAttribute("data-count", "2");
        assertThat(reaction(alice, lunch, "👍")).hasAttribute("data-count", "2");
        assertThat(reaction(alice, lunch, "👍")).hasAccessibleName(Pattern.compile("👍 by mc_bob, you"));
        react(bob, lunch, "😂");
        assertThat(reaction(alice, lunch, "😂")).hasAttribute("data-count", "1");
        assertThat(reaction(alice, lunch, "👍")).hasAttribute("data-count", "1");
        alice.screenshot("desktop-reactions-and-edited");

        // Delete for everyone: a placeholder on every device.
        menu(alice, map, "delete");
        for (ParleyTab tab : List.of(alice, bob, phone)) {
            assertThat(message(tab, map).getByTestId("message-deleted")).hasText("message deleted");
            assertThat(message(tab, map).getByTestId("message-text")).hasCount(0);
        }
        assertFalse(storedTexts(bob, "mc_bob").contains("Bring the big map"), "the deleted text is gone from bob's store");
        alice.screenshot("desktop-deleted");
        message(phone, lunch).hover();
        phone.byTestId("message-actions-" + lunch).click();
        phone.screenshot("phone-message-menu");
        phone.page().keyboard().press("Escape");

        // A forged edit and delete of alice's message, sent for real by bob's client: refused.
        openMessenger(bob);
        bob.openConversation("mc_alice");
        forge(bob, "mc_alice", "edit", lunch, "Lunch is cancelled");
        forge(bob, "mc_alice", "delete", lunch, null);
        bob.send("after the forgery");
        assertThat(alice.incoming("after the forgery")).isVisible();
        assertThat(phone.incoming("after the forgery")).isVisible();
        for (ParleyTab tab : List.of(alice, phone)) {
            assertThat(message(tab, lunch).getByTestId("message-text")).hasText("Lunch at noon?");
            assertThat(message(tab, lunch).getByTestId("message-deleted")).hasCount(0);
            if (tab == phone) {
                // One pane at a time at 375 px: back to the list, where the security log button is.
                tab.page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Back to contacts")).click();
            }
            tab.byTestId("open-security-log").click();
            assertThat(refusedControls(tab)).hasCount(2);
            tab.byTestId("dialog-close").click();
        }
        assertTrue(storedTexts(alice, "mc_alice").contains("Lunch at noon?"));

        // A deleted last message leaves the conversation list's preview too.
        alice.send("oops, wrong chat");
        assertThat(bob.contact("mc_alice")).containsText("oops, wrong chat");
        menu(alice, idOf(alice.outgoing("oops, wrong chat")), "delete");
        assertThat(bob.contact("mc_alice")).containsText("message deleted");
        assertThat(alice.contact("mc_bob")).containsText("message deleted");
    }

    @Test
    void inAGroupEveryMemberSeesRepliesEditsDeletesAndReactionsAndRefusesAForgery() {
        ParleyTab alice = registered("gc_alice");
        ParleyTab bob = registered("gc_bob");
        ParleyTab carol = registered("gc_carol");
        assertThat(alice.contact("gc_carol")).isVisible();
        alice.byTestId("new-group").click();
        alice.byTestId("group-name-input").fill("Climb");
        alice.byTestId("group-member-gc_bob").check();
        alice.byTestId("group-member-gc_carol").check();
        alice.byTestId("group-create").click();
        openMessenger(bob);
        for (ParleyTab member : List.of(bob, carol)) {
            member.byTestId("conversation-list").locator("[data-name=\"Climb\"]").click();
            assertThat(member.byTestId("system-line").first()).containsText("created the group");
        }
        String group = bob.byTestId("group-title").getAttribute("data-group-id");

        alice.send("Meet at the wall at 9");
        String meet = idOf(alice.outgoing("Meet at the wall at 9"));
        assertThat(bob.incoming("Meet at the wall at 9")).isVisible();
        assertThat(carol.incoming("Meet at the wall at 9")).isVisible();

        menu(carol, meet, "reply");
        carol.send("I'll bring ropes");
        for (ParleyTab tab : List.of(alice, bob)) {
            Locator reply = tab.incoming("I'll bring ropes");
            assertThat(reply.getByTestId("message-quote")).containsText("Meet at the wall at 9");
            assertThat(reply.getByTestId("message-sender")).hasText("gc_carol");
        }

        menu(alice, meet, "edit");
        alice.byTestId("message-input").fill("Meet at the wall at 10");
        alice.byTestId("message-input").press("Enter");
        for (ParleyTab tab : List.of(alice, bob, carol)) {
            assertThat(message(tab, meet).getByTestId("message-text")).hasText("Meet at the wall at 10");
            assertThat(message(tab, meet).getByTestId("message-edited")).isVisible();
        }

        react(bob, meet, "❤️");
        react(carol, meet, "❤️");
        for (ParleyTab tab : List.of(alice, bob, carol)) {
            assertThat(reaction(tab, meet, "❤️")).hasAttribute("data-count", "2");
        }
        alice.screenshot("group-reactions");

        // bob's client forges an edit and a delete of alice's message: alice and carol refuse both.
        forge(bob, group, "edit", meet, "Climb cancelled");
        forge(bob, group, "delete", meet, null);
        bob.send("bob again");
        for (ParleyTab tab : List.of(alice, carol)) {
            assertThat(tab.incoming("bob again")).isVisible();
            assertThat(message(tab, meet).getByTestId("message-text")).hasText("Meet at the wall at 10");
            tab.byTestId("open-security-log").click();
            assertThat(refusedControls(tab)).hasCount(2);
            tab.byTestId("dialog-close").click();
            // In a group the refusals are warning lines of its history too.
            assertThat(tab.page().locator("[data-testid=system-line][data-kind=warning]"))
                    .hasText(new String[] {"An edit from gc_bob was refused: not the author's message.", "A delete from gc_bob was refused: not the author's message."});
        }

        menu(alice, meet, "delete");
        for (ParleyTab tab : List.of(alice, bob, carol)) {
            assertThat(message(tab, meet).getByTestId("message-deleted")).isVisible();
            assertThat(reaction(tab, meet, "❤️")).hasCount(0);
        }
        for (ParleyTab tab : List.of(alice, bob)) {
            assertThat(tab.incoming("I'll bring ropes").getByTestId("message-quote")).containsText("message deleted");
        }
    }

    @Test
    void aFiveMinuteTimerErasesTheMessageFromBothBrowsersStores() {
        ParleyTab alice = registered("tm_alice");
        ParleyTab bob = registered("tm_bob");
        for (ParleyTab tab : List.of(alice, bob)) {
            tab.page().clock().install();
            tab.reload();
            tab.awaitOnline();
        }
        alice.openConversation("tm_bob");
        bob.openConversation("tm_alice");
        alice.byTestId("timer-select").selectOption("300");
        assertThat(alice.byTestId("system-message")).hasText("you set disappearing messages to 5 minutes");
        assertThat(bob.byTestId("system-message")).hasText("tm_alice set disappearing messages to 5 minutes");
        assertThat(bob.byTestId("timer-select")).hasValue("300");
        alice.screenshot("desktop-timer-setting");

        alice.send("This disappears");
        String id = idOf(alice.outgoing("This disappears"));
        assertThat(bob.incoming("This disappears").getByTestId("message-timer")).isVisible();
        alice.awaitStatusIn("This disappears", "delivered", "read");
        assertTrue(storedTexts(bob, "tm_bob").contains("This disappears"));
        bob.send("Noted");
        assertThat(alice.incoming("Noted").getByTestId("message-timer")).isVisible();

        for (ParleyTab tab : List.of(alice, bob)) {
            tab.page().clock().fastForward("05:30");
        }
        for (ParleyTab tab : List.of(alice, bob)) {
            assertThat(message(tab, id)).hasCount(0);
            assertThat(tab.messages()).hasCount(0);
        }
        assertEquals(List.of(), storedTexts(alice, "tm_alice"), "alice's store no longer holds the messages");
        assertEquals(List.of(), storedTexts(bob, "tm_bob"), "bob's store no longer holds the messages");
        // The setting stays, and the timer's line with it.
        assertThat(bob.byTestId("timer-select")).hasValue("300");
    }

    @Test
    void theServerDropsAQueuedCopyThatExpiresWhileTheRecipientIsAway() throws Exception {
        ParleyTab alice = registered("sd_alice");
        BrowserContext bobBrowser = context(false);
        ParleyTab bob = tab(bobBrowser);
        bob.register("sd_bob");
        // Online comes before the prekey upload: closed sooner, bob would have no prekeys and
        // alice's first message would wait ("sending", no_prekeys) until bob came back.
        bob.awaitPreKeysUploaded("sd_bob");
        bob.close();
        openMessenger(alice);
        alice.openConversation("sd_bob");
        // The session first (prekey bundle, PQXDH: seconds on a loaded machine), so that the
        // disappearing message below is stored within its timer and expires only after that.
        alice.send("before the timer");
        alice.awaitStatus("before the timer", "stored");
        // Any value in range is accepted; the UI offers minutes and more, the test needs seconds.
        alice.page().evaluate("() => window.__messenger.setTimer('sd_bob', 5)");
        assertThat(alice.byTestId("system-message")).hasText("you set disappearing messages to 5 seconds");
        alice.send("gone before you come back");
        String id = idOf(alice.outgoing("gone before you come back"));
        alice.awaitStatus("gone before you come back", "stored");
        alice.page().waitForTimeout(6_500);
        alice.page().evaluate("() => window.__messenger.setTimer('sd_bob', 0)");
        assertThat(alice.byTestId("system-message")).hasCount(2);

        // bob comes back in a new tab of the same browser, every frame it receives watched from the start.
        ObjectMapper json = new ObjectMapper();
        List<String> relayed = Collections.synchronizedList(new ArrayList<>());
        Page page = bobBrowser.newPage();
        page.onWebSocket(ws -> ws.onFrameReceived(frame -> {
            try {
                JsonNode node = json.readTree(frame.text());
                if ("relay_message".equals(node.path("type").asText())) {
                    relayed.add(node.path("id").asText());
                }
            } catch (Exception e) {
                relayed.add("unreadable frame");
            }
        }));
        page.navigate(server().url("/"));
        page.getByTestId("contact-sd_alice").click();
        Locator lines = page.getByTestId("system-message");
        assertThat(lines).hasText(new String[] {"sd_alice set disappearing messages to 5 seconds", "sd_alice turned off disappearing messages"});
        assertThat(page.getByTestId("message")).hasCount(1);
        assertThat(page.getByTestId("message")).containsText("before the timer");
        assertTrue(relayed.size() >= 3, "the first message and the two timer changes were relayed: " + relayed);
        assertFalse(relayed.contains(id), "the expired message was never relayed");
        assertFalse(storedTexts(page, "sd_bob").contains("gone before you come back"));
        page.close();
    }

    @Test
    void theTimerSettingAtPhoneWidth() {
        ParleyTab alice = tab(true);
        alice.register("ph_alice");
        registered("ph_bob");
        alice.openConversation("ph_bob");
        alice.byTestId("timer-select").selectOption("3600");
        assertThat(alice.byTestId("system-message")).hasText("you set disappearing messages to 1 hour");
        alice.send("An hour from now it is gone");
        assertThat(alice.outgoing("An hour from now it is gone").getByTestId("message-timer")).isVisible();
        Page page = alice.page();
        assertTrue((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll at 375 px");
        alice.screenshot("phone-timer-setting");
    }
}
