package dev.parley.client.interop;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java client and the full web client (web/index.html, driven through the data-testids of
 * docs/TESTING.md in headless Chromium) chat through a real server: a first message to the
 * offline Java client, replies, delivery and read states, and the same safety number.
 */
class WebClientInteropTest extends InteropTest {




    @Test
    void javaClientChatsWithTheWebClient() throws Exception {
        BlockingQueue<IncomingMessage> inbox = new LinkedBlockingQueue<>();
        ParleyListener listener = new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                inbox.add(message);
            }
        };
        Path home = dir.resolve("java");
        try (ParleyClient java = ParleyClient.open(home, listener)) {
            java.register(address, "java_friend");
        }

        Page page = chromium.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(server.origin() + "/");
        page.getByTestId("register-username").fill("web_friend");
        page.getByTestId("register-submit").click();
        assertThat(page.getByTestId("recovery-code")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        page.getByTestId("recovery-done").click();
        assertThat(page.getByTestId("account-name")).hasText("web_friend");
        assertThat(page.getByTestId("connection-status")).hasAttribute("data-state", "online");

        // The web client writes first, while the Java client is offline.
        page.getByTestId("contact-java_friend").click();
        type(page, "hello from the browser");
        assertThat(message(page, "out", "hello from the browser")).hasAttribute("data-status", "stored");

        try (ParleyClient java = ParleyClient.open(home, listener)) {
            java.connect(null);
            IncomingMessage first = inbox.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "the queued message reached the Java client");
            assertEquals("web_friend", first.from());
            assertEquals("hello from the browser", first.text());
            assertThat(message(page, "out", "hello from the browser")).hasAttribute("data-status", "delivered");
            java.markRead("web_friend", List.of(first.id()));
            assertThat(message(page, "out", "hello from the browser")).hasAttribute("data-status", "read");

            for (int turn = 1; turn <= 3; turn++) {
                String fromJava = "java says " + turn;
                java.send("web_friend", fromJava);
                assertThat(message(page, "in", fromJava)).isVisible();
                String fromWeb = "browser says " + turn;
                type(page, fromWeb);
                IncomingMessage reply = inbox.poll(30, TimeUnit.SECONDS);
                assertNotNull(reply, "turn " + turn);
                assertEquals(fromWeb, reply.text());
            }

            page.getByTestId("open-safety").click();
            Locator number = page.getByTestId("safety-number");
            assertThat(number).hasAttribute("data-digits", java.safetyNumber("web_friend").digits());
        }
    }
}
