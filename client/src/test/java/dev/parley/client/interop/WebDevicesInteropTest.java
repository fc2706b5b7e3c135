package dev.parley.client.interop;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.PendingLink;
import dev.parley.client.RecordingListener;
import dev.parley.client.SentElsewhere;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One account on a browser and a terminal (LINKED-DEVICES.md): the web client approves the
 * Java client's link code, and the Java client approves the web client's; in both, a contact's
 * message reaches both devices and what one device sends shows as sent on the other.
 */
class WebDevicesInteropTest extends InteropTest {

    private static Page browser() {
        Page page = chromium.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(server.origin() + "/");
        return page;
    }

    private static void register(Page page, String username) {
        page.getByTestId("register-username").fill(username);
        page.getByTestId("register-submit").click();
        assertThat(page.getByTestId("recovery-code")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        page.getByTestId("recovery-done").click();
        awaitAccount(page, username);
    }

    private static void awaitAccount(Page page, String username) {
        assertThat(page.getByTestId("account-name")).hasText(username);
        assertThat(page.getByTestId("connection-status")).hasAttribute("data-state", "online");
    }



    @Test
    void aBrowserApprovesATerminalAndBothTalkWithAContact() throws Exception {
        Page browser = browser();
        register(browser, "wt_alice");
        var bobHeard = new RecordingListener();
        var terminalHeard = new RecordingListener();
        try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobHeard);
                ParleyClient terminal = ParleyClient.open(dir.resolve("terminal"),
                        ParleyClient.Options.defaults().withListener(terminalHeard).withDeviceName("Terminal"))) {
            bob.register(address, "wt_bob");
            var code = new CompletableFuture<String>();
            CompletableFuture<Integer> linking = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.link(address, "Terminal", offer -> code.complete(offer.code()));
                } catch (Exception e) {
                    code.completeExceptionally(e);
                    throw new CompletionException(e);
                }
            });
            browser.getByTestId("open-settings").click();
            browser.getByTestId("link-code-input").fill(code.get(30, TimeUnit.SECONDS));
            browser.getByTestId("link-check").click();
            assertThat(browser.getByTestId("link-device-name")).hasText("Terminal");
            browser.getByTestId("link-approve").click();
            assertThat(browser.getByTestId("link-done")).isVisible();
            assertEquals(2, linking.get(30, TimeUnit.SECONDS), "the terminal is device 2");
            browser.getByTestId("dialog-close").click();

            bob.send("wt_alice", "to the browser and the terminal");
            browser.getByTestId("contact-wt_bob").click();
            assertThat(message(browser, "in", "to the browser and the terminal")).isVisible();
            IncomingMessage onTerminal = terminalHeard.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(onTerminal, "the terminal got bob's message");
            assertEquals("to the browser and the terminal", onTerminal.text());

            terminal.send("wt_bob", "from the terminal");
            IncomingMessage atBob = bobHeard.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(atBob);
            assertEquals("from the terminal", atBob.text());
            assertThat(message(browser, "out", "from the terminal")).isVisible();

            type(browser, "from the browser");
            IncomingMessage second = bobHeard.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(second);
            assertEquals("from the browser", second.text());
            SentElsewhere transcript = terminalHeard.sentElsewhere.poll(30, TimeUnit.SECONDS);
            assertNotNull(transcript, "the terminal shows what the browser sent");
            assertEquals("wt_bob", transcript.to());
            assertEquals("from the browser", transcript.text());
            assertEquals(1, transcript.device());
        }
    }

    @Test
    void aTerminalApprovesABrowserAndBothTalkWithAContact() throws Exception {
        var bobHeard = new RecordingListener();
        var terminalHeard = new RecordingListener();
        try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobHeard);
                ParleyClient terminal = ParleyClient.open(dir.resolve("terminal"), terminalHeard)) {
            bob.register(address, "tw_bob");
            terminal.register(address, "tw_alice");
            terminal.send("tw_bob", "before the browser");
            assertNotNull(bobHeard.messages.poll(30, TimeUnit.SECONDS));

            Page browser = browser();
            browser.getByTestId("link-device-start").click();
            browser.getByTestId("link-device-name-input").fill("Browser");
            browser.getByTestId("link-show-code").click();
            assertThat(browser.getByTestId("link-status")).containsText("Waiting"); // the server has the link open
            String code = browser.getByTestId("link-code").textContent().strip();
            PendingLink pending = terminal.peekLink(code);
            assertEquals("Browser", pending.name());
            assertEquals(2, terminal.approveLink(pending, true));
            awaitAccount(browser, "tw_alice");

            browser.getByTestId("contact-tw_bob").click();
            assertThat(message(browser, "out", "before the browser")).isVisible(); // the history sent at linking
            bob.send("tw_alice", "to the terminal and the browser");
            assertThat(message(browser, "in", "to the terminal and the browser")).isVisible();
            IncomingMessage onTerminal = terminalHeard.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(onTerminal);
            assertEquals("to the terminal and the browser", onTerminal.text());

            type(browser, "from the linked browser");
            IncomingMessage atBob = bobHeard.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(atBob);
            assertEquals("from the linked browser", atBob.text());
            SentElsewhere transcript = terminalHeard.sentElsewhere.poll(30, TimeUnit.SECONDS);
            assertNotNull(transcript, "the terminal shows what the browser sent");
            assertEquals("from the linked browser", transcript.text());
            assertEquals(2, transcript.device());

            terminal.send("tw_bob", "from the terminal again");
            assertThat(message(browser, "out", "from the terminal again")).isVisible();
        }
    }
}
