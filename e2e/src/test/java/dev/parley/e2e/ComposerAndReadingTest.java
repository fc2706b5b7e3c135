package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.WebSocketFrame;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The composer and the outbox under a fast typist and a burst, the byte limit of a message,
 * read receipts only for what was shown, and typing before the first message.
 */
class ComposerAndReadingTest extends BrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    /** Enters every text in the composer within one task of the page, each followed by Enter. */
    private static void burst(ParleyTab tab, List<String> texts) {
        tab.page().evaluate("""
                (texts) => {
                  const input = document.querySelector('[data-testid=message-input]');
                  for (const text of texts) {
                    input.value = text;
                    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
                  }
                }""", texts);
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            texts.add(prefix + " " + i + ".");
        }
        return texts;
    }

    /** Scrolls the open conversation to its first message, as a user reading back does. */
    private static void scrollToTop(ParleyTab tab) {
        tab.page().evaluate("() => { document.querySelector('.message-scroller').scrollTop = 0; }");
    }

    @Test
    void thirtyMessagesTypedFastArriveWholeAndInOrder() {
        Chat chat = chat("olga", "pete");
        ParleyTab olga = chat.first();
        ParleyTab pete = chat.second();
        List<String> typed = numbered("quick note", 30);
        olga.byTestId("message-input").focus();
        Keyboard keyboard = olga.page().keyboard();
        for (String text : typed) {
            keyboard.type(text, new Keyboard.TypeOptions().setDelay(8));
            keyboard.press("Enter");
        }
        assertThat(pete.messages()).hasCount(30);
        assertThat(pete.messages().getByTestId("message-text")).hasText(typed.toArray(String[]::new));
        assertThat(olga.messages().getByTestId("message-text")).hasText(typed.toArray(String[]::new));
        assertThat(olga.byTestId("message-input")).hasValue("");
    }

    @Test
    void aBurstIsPipelinedWithoutWaitingForEachAck() {
        ParleyTab quinn = registered("quinn");
        ParleyTab rose = registered("rose");
        Set<String> awaiting = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        quinn.page().onWebSocket(ws -> {
            ws.onFrameSent(frame -> {
                JsonNode node = parse(frame);
                if ("send_message".equals(node.path("type").asText()) && "rose".equals(node.path("to").asText())
                        && awaiting.add(node.path("id").asText())) {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                }
            });
            ws.onFrameReceived(frame -> {
                JsonNode node = parse(frame);
                boolean answer = "stored".equals(node.path("type").asText()) || "error".equals(node.path("type").asText());
                String id = node.path("re").asText();
                if (answer && awaiting.remove(id)) {
                    inFlight.decrementAndGet();
                }
            });
        });
        quinn.reload();
        quinn.awaitOnline();
        quinn.openConversation("rose");
        rose.openConversation("quinn");
        List<String> texts = numbered("burst", 50);
        burst(quinn, texts);
        assertThat(rose.messages()).hasCount(50);
        assertThat(rose.messages().getByTestId("message-text")).hasText(texts.toArray(String[]::new));
        assertThat(quinn.page().locator("[data-testid=message][data-status=sending]")).hasCount(0);
        assertTrue(most.get() >= 5, "sends in flight at once: at most " + most.get());
        assertEquals(Set.of(), awaiting, "every send was answered");
    }

    private static JsonNode parse(WebSocketFrame frame) {
        try {
            return JSON.readTree(frame.text());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    @Test
    void theLimitIsInBytesAndTheComposerSaysWhy() {
        Chat chat = chat("sven", "tove");
        ParleyTab sven = chat.first();
        ParleyTab tove = chat.second();
        Locator input = sven.byTestId("message-input");
        Locator limit = sven.byTestId("message-limit");

        // 15,001 two-byte letters: 15,001 characters, 30,002 bytes: over the 30,000-byte limit.
        String tooLong = "é".repeat(15_001);
        input.fill(tooLong);
        assertThat(limit).isVisible();
        assertThat(limit).containsText("Too long to send: 30,002 bytes, the limit is 30,000");
        assertThat(input).hasAttribute("aria-invalid", "true");
        assertThat(sven.byTestId("message-send")).isDisabled();
        input.press("Enter");
        assertThat(sven.byTestId("composer-error")).containsText("Too long to send");
        assertThat(input).hasValue(tooLong);
        assertThat(sven.messages()).hasCount(0);

        // Near the limit the composer says what is left; at 29,998 bytes the message goes.
        String fits = "é".repeat(14_998) + "ok";
        input.fill(fits);
        assertThat(limit).hasText(Pattern.compile("^2 bytes left"));
        assertThat(sven.byTestId("message-send")).isEnabled();
        input.press("Enter");
        assertThat(input).hasValue("");
        assertThat(limit).isHidden();
        assertThat(tove.messages()).hasCount(1);
        assertEquals(fits, tove.messages().getByTestId("message-text").textContent());
        sven.awaitStatus("ok", "read");
    }

    @Test
    void onlyMessagesShownInAVisibleTabAreMarkedRead() {
        Chat chat = chat("uma", "walt");
        ParleyTab uma = chat.first();
        ParleyTab walt = chat.second();
        List<String> history = numbered("history line", 40);
        burst(uma, history);
        assertThat(walt.messages()).hasCount(40);
        uma.awaitStatus("history line 40.", "read");

        // Walt scrolls up: what arrives now is delivered, not read.
        scrollToTop(walt);
        deliveredButNotReadUntil(uma, "while scrolled up", () -> {
            assertThat(walt.byTestId("unread-uma")).hasText("2");
            assertThat(walt.byTestId("jump-to-new")).hasText("2 new messages below");
            walt.byTestId("jump-to-new").click();
            assertThat(walt.byTestId("jump-to-new")).isHidden();
        });
        assertThat(walt.byTestId("unread-uma")).hasCount(0);

        // Walt's tab is hidden (another tab in front): delivered, not read, until it is visible again.
        walt.setHidden(true);
        deliveredButNotReadUntil(uma, "while hidden", () -> walt.setHidden(false));
    }

    /**
     * {@code sender} sends two messages that the recipient cannot see: both are delivered and
     * stay unread until {@code reveal} shows them, then both are read.
     */
    private static void deliveredButNotReadUntil(ParleyTab sender, String label, Runnable reveal) {
        String one = label + ", one";
        String two = label + ", two";
        sender.send(one);
        sender.send(two);
        // Receipts leave in order: once "two" is delivered, a read receipt for "one" would have come first.
        sender.awaitStatusIn(two, "delivered", "read");
        sender.awaitStatus(one, "delivered");
        sender.awaitStatus(two, "delivered");
        reveal.run();
        sender.awaitStatus(one, "read");
        sender.awaitStatus(two, "read");
    }

    @Test
    void typingShowsFromTheFirstKeystrokeBeforeAnyMessage() {
        Chat chat = chat("xena", "yuri");
        ParleyTab xena = chat.first();
        ParleyTab yuri = chat.second();
        // No message yet in either direction: the first keystroke starts the session.
        yuri.byTestId("message-input").pressSequentially("H");
        assertThat(xena.byTestId("typing-indicator")).isVisible();
        assertThat(xena.byTestId("typing-indicator")).containsText("yuri is typing");
        yuri.byTestId("message-input").pressSequentially("ello Xena", new Locator.PressSequentiallyOptions().setDelay(20));
        yuri.byTestId("message-input").press("Enter");
        assertThat(xena.incoming("Hello Xena")).hasCount(1);
        assertThat(xena.byTestId("typing-indicator")).isHidden();
        yuri.awaitStatus("Hello Xena", "read");
        xena.send("Hi Yuri");
        assertThat(yuri.incoming("Hi Yuri")).hasCount(1);
        assertThat(xena.byTestId("system-message")).hasCount(0);
        assertThat(yuri.byTestId("system-message")).hasCount(0);
    }
}
