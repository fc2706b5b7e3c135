package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import dev.parley.web.testing.Chromium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two people chatting through a real server in real headless Chromium: registration, messages
 * both ways, delivery states, typing, offline delivery, reloads, the outbox across a server
 * outage, and finally a search of everything the server wrote for the plaintexts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ChatTest extends BrowserTest {

    /** Every text typed in any test of this class; none may appear in the server's files. */
    private static final List<String> PLAINTEXTS = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    private BrowserContext desktop() {
        return context(false);
    }

    private static String secret(String label) {
        String text = label + " " + UUID.randomUUID();
        PLAINTEXTS.add(text);
        return text;
    }

    @Test
    @Order(1)
    void twoPeopleChatBothWaysWithDeliveryStatesAndTyping() {
        ParleyTab alice = tab(desktop());
        alice.screenshot("desktop-welcome");
        alice.register("alice");
        ParleyTab bob = tab(desktop());
        bob.register("bob");

        assertThat(alice.contact("bob")).hasAttribute("data-presence", "online");
        assertThat(bob.contact("alice")).hasAttribute("data-presence", "online");

        alice.openConversation("bob");
        String hello = secret("Hello Bob, this is Alice.");
        alice.send(hello);
        alice.awaitStatusIn(hello, "stored", "delivered");
        // Bob has not opened the conversation: delivered (his browser decrypted it), not read.
        alice.awaitStatus(hello, "delivered");
        assertThat(bob.byTestId("unread-alice")).hasText("1");
        Locator deliveredState = alice.outgoing(hello).getByRole(AriaRole.IMG, new Locator.GetByRoleOptions().setName("Delivered"));
        assertThat(deliveredState).isVisible();
        String deliveredShape = deliveredState.locator("svg").innerHTML();

        bob.openConversation("alice");
        assertThat(bob.incoming(hello).getByTestId("message-text")).hasText(hello);
        assertThat(bob.byTestId("unread-alice")).hasCount(0);
        alice.awaitStatus(hello, "read");
        // Read differs from delivered in shape and in words, not by colour alone.
        Locator readState = alice.outgoing(hello).getByRole(AriaRole.IMG, new Locator.GetByRoleOptions().setName("Read"));
        assertThat(readState).isVisible();
        assertThat(readState).hasText("Read");
        assertNotEquals(deliveredShape, readState.locator("svg").innerHTML(), "read and delivered use the same icon");

        // Typing travels encrypted and shows on the other side, then clears when the text is gone.
        bob.byTestId("message-input").pressSequentially("Hi Al", new com.microsoft.playwright.Locator.PressSequentiallyOptions().setDelay(30));
        assertThat(alice.byTestId("typing-indicator")).isVisible();
        bob.byTestId("message-input").fill("");
        bob.byTestId("message-input").press("Backspace");
        assertThat(alice.byTestId("typing-indicator")).isHidden();

        String reply = secret("Hi Alice! Line one\nline two");
        bob.byTestId("message-input").fill(reply);
        bob.byTestId("message-input").press("Enter");
        assertThat(alice.incoming("Hi Alice!").getByTestId("message-text")).hasText(reply);
        bob.awaitStatus(reply, "read");

        // Shift+Enter makes a new line instead of sending.
        bob.byTestId("message-input").fill("first line");
        bob.byTestId("message-input").press("Shift+Enter");
        bob.byTestId("message-input").pressSequentially("second");
        assertThat(bob.byTestId("message-input")).hasValue("first line\nsecond");
        bob.byTestId("message-input").fill("");

        for (int i = 0; i < 3; i++) {
            alice.send(secret("Message number " + i));
        }
        assertThat(bob.messages()).hasCount(5);
        alice.screenshot("desktop-conversation");
        bob.screenshot("desktop-conversation-other-side");
        bob.page().emulateMedia(new com.microsoft.playwright.Page.EmulateMediaOptions()
                .setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
        bob.screenshot("desktop-conversation-dark");
        assertEquals("out", alice.messages().first().getAttribute("data-direction"));
        assertEquals("in", bob.messages().first().getAttribute("data-direction"));
    }

    @Test
    @Order(2)
    void messagesReachAClosedRecipientAndHistorySurvivesReloads() {
        BrowserContext carolBrowser = desktop();
        BrowserContext daveBrowser = desktop();
        ParleyTab carol = tab(carolBrowser);
        carol.register("carol");
        ParleyTab dave = tab(daveBrowser);
        dave.register("dave");
        // Carol's first message needs a prekey bundle of Dave's: it is uploaded just after login.
        dave.awaitPreKeysUploaded("dave");
        dave.close();

        assertThat(carol.contact("dave")).hasAttribute("data-presence", "offline");
        carol.openConversation("dave");
        String whileAway = secret("Sent while you were away");
        carol.send(whileAway);
        carol.awaitStatus(whileAway, "stored");

        // Dave opens Parley again: same account without logging in, the message arrives.
        ParleyTab daveAgain = tab(daveBrowser);
        assertThat(daveAgain.byTestId("account-name")).hasText("dave");
        daveAgain.awaitOnline();
        assertThat(daveAgain.byTestId("unread-carol")).hasText("1");
        carol.awaitStatus(whileAway, "delivered");
        daveAgain.openConversation("carol");
        assertThat(daveAgain.incoming(whileAway)).hasCount(1);
        carol.awaitStatus(whileAway, "read");
        String answer = secret("Got it, thanks");
        daveAgain.send(answer);
        daveAgain.awaitStatus(answer, "read");

        // A draft that was typed but not sent survives the reload too.
        carol.byTestId("message-input").fill("half-written draft");
        // Reload both: same accounts, same history, states kept.
        carol.reload();
        daveAgain.reload();
        assertThat(carol.byTestId("account-name")).hasText("carol");
        assertThat(daveAgain.byTestId("account-name")).hasText("dave");
        carol.awaitOnline();
        daveAgain.awaitOnline();
        carol.openConversation("dave");
        daveAgain.openConversation("carol");
        assertThat(carol.byTestId("message-input")).hasValue("half-written draft");
        carol.byTestId("message-input").fill("");
        assertThat(carol.messages()).hasCount(2);
        assertThat(daveAgain.messages()).hasCount(2);
        carol.awaitStatus(whileAway, "read");
        assertThat(carol.incoming(answer)).hasCount(1);
        assertThat(daveAgain.incoming(whileAway)).hasCount(1);

        // Conversation continues after the reload (ratchet state was persisted).
        String after = secret("Still here after the reload");
        carol.send(after);
        assertThat(daveAgain.incoming(after)).hasCount(1);
        carol.awaitStatus(after, "read");
    }

    @Test
    @Order(3)
    void messagesWrittenWhileTheServerIsDownAreSentOnReconnect() {
        ParleyTab erin = registered("erin");
        ParleyTab frank = registered("frank");

        // A taken name is refused, and nothing of the attempt stays in that browser.
        ParleyTab impostor = tab(desktop());
        impostor.byTestId("register-username").fill("frank");
        impostor.byTestId("register-submit").click();
        assertThat(impostor.page().getByRole(com.microsoft.playwright.options.AriaRole.ALERT).filter(
                new com.microsoft.playwright.Locator.FilterOptions().setHasText("That username is taken"))).isVisible();
        impostor.reload();
        assertThat(impostor.byTestId("register-username")).isVisible();
        assertThat(impostor.page().getByText("Accounts in this browser")).hasCount(0);

        // A short list has no search box (SidebarTest filters a long one).
        assertThat(erin.contact("frank")).isVisible();
        assertThat(erin.byTestId("contact-filter")).isHidden();

        erin.openConversation("frank");
        frank.openConversation("erin");
        String first = secret("Before the outage");
        erin.send(first);
        erin.awaitStatus(first, "read");

        chatServer().stop();
        assertThat(erin.byTestId("connection-status")).hasAttribute("data-state", java.util.regex.Pattern.compile("offline|connecting"));
        String queued1 = secret("Written offline, one");
        String queued2 = secret("Written offline, two");
        erin.send(queued1);
        erin.send(queued2);
        erin.awaitStatus(queued1, "sending");
        erin.awaitStatus(queued2, "sending");
        erin.screenshot("desktop-offline");

        chatServer().restart();
        erin.awaitBackOnline();
        frank.awaitBackOnline();
        erin.awaitStatus(queued1, "read");
        erin.awaitStatus(queued2, "read");
        assertThat(frank.incoming(queued1)).hasCount(1);
        assertThat(frank.incoming(queued2)).hasCount(1);
        assertThat(frank.messages()).hasCount(3);
    }

    @Test
    @Order(4)
    void bothSidesStartingAtOnceConvergeOnOneSession() {
        ParleyTab kate = registered("kate");
        ParleyTab liam = registered("liam");
        kate.openConversation("liam");
        liam.openConversation("kate");
        // Both type their first message before either has received anything.
        kate.byTestId("message-input").fill(secret("kate first"));
        liam.byTestId("message-input").fill(secret("liam first"));
        kate.byTestId("message-input").press("Enter");
        liam.byTestId("message-input").press("Enter");
        for (int i = 0; i < 3; i++) {
            kate.send(secret("kate " + i));
            liam.send(secret("liam " + i));
        }
        assertThat(kate.messages()).hasCount(8);
        assertThat(liam.messages()).hasCount(8);
        for (int i = 0; i < 3; i++) {
            kate.awaitStatus("kate " + i, "read");
            liam.awaitStatus("liam " + i, "read");
        }
        kate.awaitStatus("kate first", "read");
        liam.awaitStatus("liam first", "read");
        assertThat(kate.byTestId("system-message")).hasCount(0);
        assertThat(liam.byTestId("system-message")).hasCount(0);
    }

    @Test
    @Order(10)
    void theServerNeverStoredOrLoggedAPlaintext() throws IOException {
        assertFalse(PLAINTEXTS.isEmpty());
        chatServer().stop();
        List<Path> files = chatServer().filesWritten();
        assertTrue(files.contains(chatServer().database()), "database file: " + files);
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().endsWith(".log")), "log file: " + files);
        assertTrue(chatServer().readLog().contains("Parley server listening"), "the log is the server's");
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String plaintext : PLAINTEXTS) {
                for (String form : forms(plaintext)) {
                    assertFalse(latin1.contains(form), file.getFileName() + " contains a plaintext (" + form + ")");
                }
            }
        }
        chatServer().restart();
    }

    /** The text and its distinctive part, raw (UTF-8 bytes as Latin-1) and base64-encoded. */
    private static List<String> forms(String plaintext) {
        String unique = plaintext.substring(plaintext.lastIndexOf(' ') + 1);
        List<String> forms = new ArrayList<>();
        for (String s : List.of(plaintext, unique)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            forms.add(new String(utf8, StandardCharsets.ISO_8859_1));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(utf8));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
        }
        return forms;
    }
}
