package dev.parley.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.parley.client.MessageStatus;
import dev.parley.client.ParleyClient;
import dev.parley.client.RecordingListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: the Java client and the browser implementation talk through a real server, both
 * directions. The browser side is headless Chromium running the web client's protocol modules
 * ({@code web/js/protocol}, served by the server) with a small WebSocket client
 * ({@code interop/browser-peer.js}); the Java side is the SDK with its SQLite store.
 */
class BrowserInteropTest extends InteropTest {

    private static final double WAIT_MS = 20_000;

    private Page browserPeer() throws IOException {
        Browser browser = chromium.browser();
        Page page = browser.newContext(new Browser.NewContextOptions().setBypassCSP(true)).newPage();
        page.onConsoleMessage(m -> System.out.println("[chromium " + m.type() + "] " + m.text()));
        page.onPageError(e -> System.out.println("[chromium page error] " + e));
        page.navigate(server.origin() + "/healthz");
        String source;
        try (InputStream in = BrowserInteropTest.class.getResourceAsStream("/interop/browser-peer.js")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        page.evaluate(source, Map.of("wsUrl", server.wsUrl(), "origin", server.origin()));
        return page;
    }

    @SuppressWarnings("unchecked")
    private static List<String> browserTexts(Page page, int count) {
        List<Map<String, Object>> found = (List<Map<String, Object>>) page.evaluate(
                "([n, ms]) => window.parleyPeer.waitFor('text', n, ms)", List.of(count, WAIT_MS));
        return found.stream().map(m -> (String) m.get("text")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> browserReceiptIds(Page page, String type, int count) {
        List<Map<String, Object>> found = (List<Map<String, Object>>) page.evaluate(
                "([t, n, ms]) => window.parleyPeer.waitFor(t, n, ms)", List.of(type, count, WAIT_MS));
        return found.stream().flatMap(m -> ((List<String>) m.get("ids")).stream()).toList();
    }

    private static String browserSend(Page page, String to, String text) {
        return (String) page.evaluate("([to, text]) => window.parleyPeer.sendText(to, text)", List.of(to, text));
    }

    @Test
    void javaAndBrowserExchangeMessagesBothWays() throws Exception {
        Page page = browserPeer();
        page.evaluate("name => window.parleyPeer.register(name)", "web_peer");
        Path home = dir.resolve("java");
        var inbox = new RecordingListener();
        try (ParleyClient java = ParleyClient.open(home, inbox)) {
            java.register(address, "java_peer");
        }

        // The browser's first messages go to the Java client while it is offline (PreKeyMessages).
        List<String> offlineIds = new ArrayList<>();
        for (String text : List.of("first, while you are offline", "second", "third")) {
            offlineIds.add(browserSend(page, "java_peer", text));
        }

        try (ParleyClient java = ParleyClient.open(home, inbox)) {
            java.connect(null);
            assertEquals(List.of("first, while you are offline", "second", "third"), inbox.texts(3));
            // The Java client's delivery receipts reach the browser.
            assertEquals(offlineIds, browserReceiptIds(page, "delivery", 3));

            // The Java client's first message to a browser user who is offline.
            Page offline = browserPeer();
            offline.evaluate("name => window.parleyPeer.register(name)", "web_offline");
            offline.evaluate("() => window.parleyPeer.goOffline()");
            java.send("web_offline", "waiting for you");
            java.send("web_offline", "and a second one");
            offline.evaluate("() => window.parleyPeer.comeOnline()");
            assertEquals(List.of("waiting for you", "and a second one"), browserTexts(offline, 2));
            browserSend(offline, "java_peer", "got them");
            assertEquals(List.of("got them"), inbox.texts(1));
            assertEquals(java.safetyNumber("web_offline").digits(),
                    offline.evaluate("() => window.parleyPeer.safetyNumber('java_peer')"));
            offline.context().close();

            // Several ratchet turns in both directions.
            List<String> toBrowser = new ArrayList<>();
            for (int turn = 1; turn <= 4; turn++) {
                String fromJava = "java turn " + turn;
                String id = java.send("web_peer", fromJava);
                toBrowser.add(fromJava);
                assertEquals(toBrowser, browserTexts(page, turn));
                assertEquals(MessageStatus.STORED, java.status("web_peer", id).orElseThrow());
                String fromBrowser = "browser turn " + turn;
                browserSend(page, "java_peer", fromBrowser);
                assertEquals(List.of(fromBrowser), inbox.texts(1));
            }

            // Browser -> Java out of order: three messages encrypted in order, sent 3, 1, 2; plus one
            // from an earlier chain that arrives only after the next DH ratchet step.
            @SuppressWarnings("unchecked")
            Map<String, String> late = (Map<String, String>) page.evaluate(
                    "() => window.parleyPeer.encryptText('java_peer', 'late from an old chain')");
            java.send("web_peer", "java turn 5"); // makes the browser ratchet forward
            assertEquals(List.of("java turn 1", "java turn 2", "java turn 3", "java turn 4", "java turn 5"), browserTexts(page, 5));
            List<Map<String, String>> batch = new ArrayList<>();
            for (String text : List.of("ooo 1", "ooo 2", "ooo 3")) {
                @SuppressWarnings("unchecked")
                Map<String, String> encrypted = (Map<String, String>) page.evaluate(
                        "text => window.parleyPeer.encryptText('java_peer', text)", text);
                batch.add(encrypted);
            }
            for (int i : new int[] {2, 0, 1}) {
                page.evaluate("([id, env]) => window.parleyPeer.sendEnvelope('java_peer', id, env)",
                        List.of(batch.get(i).get("id"), batch.get(i).get("envelope")));
            }
            page.evaluate("([id, env]) => window.parleyPeer.sendEnvelope('java_peer', id, env)",
                    List.of(late.get("id"), late.get("envelope")));
            assertEquals(List.of("ooo 3", "ooo 1", "ooo 2", "late from an old chain"), inbox.texts(4));

            // Java -> browser out of order: the browser holds three relayed messages and decrypts
            // them in the order 3, 1, 2.
            browserReceiptIds(page, "delivery", 3 + 4 + 4); // every receipt so far has arrived
            page.evaluate("() => window.parleyPeer.hold()");
            for (String text : List.of("java ooo 1", "java ooo 2", "java ooo 3")) {
                java.send("web_peer", text);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (((Number) page.evaluate("() => window.parleyPeer.heldCount()")).intValue() < 3) {
                assertTrue(System.nanoTime() < deadline, "the browser did not get the three relays");
                Thread.sleep(25);
            }
            assertEquals(3, ((Number) page.evaluate("() => window.parleyPeer.release([2, 0, 1])")).intValue());
            List<String> all = browserTexts(page, 8);
            assertEquals(List.of("java ooo 3", "java ooo 1", "java ooo 2"), all.subList(5, 8));

            // Receipts and typing from the browser decode in Java.
            String readId = java.send("web_peer", "please read this");
            assertEquals("please read this", browserTexts(page, 9).get(8));
            page.evaluate("id => window.parleyPeer.sendReceipt('java_peer', 'read', [id])", readId);
            assertEquals(readId, inbox.read.poll(20, TimeUnit.SECONDS));
            page.evaluate("() => window.parleyPeer.sendTyping('java_peer', true)");
            assertEquals(Boolean.TRUE, inbox.typing.poll(20, TimeUnit.SECONDS));
            assertTrue(waitForStatus(java, readId, MessageStatus.READ), "read receipt applied to the sent message");

            // Both show the same safety number.
            String javaNumber = java.safetyNumber("web_peer").digits();
            String browserNumber = (String) page.evaluate("() => window.parleyPeer.safetyNumber('java_peer')");
            assertEquals(60, javaNumber.length());
            assertEquals(javaNumber, browserNumber);

            assertEquals(List.of(), List.copyOf(inbox.undecryptable));
            assertEquals(List.of(), page.evaluate("() => window.parleyPeer.errors()"));
        }
    }

    private static boolean waitForStatus(ParleyClient client, String id, MessageStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.status("web_peer", id).orElse(null) == status) {
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }
}
