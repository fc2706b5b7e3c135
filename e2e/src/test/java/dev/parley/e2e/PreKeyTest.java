package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import dev.parley.server.testing.TestClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The browser keeps its prekeys published: after others have taken most of its one-time
 * prekeys, the server's {@code prekeys_low} makes it upload new batches, so later initiators
 * still get one-time X25519 and ML-KEM prekeys (the full PQXDH with forward secrecy).
 */
class PreKeyTest extends BrowserTest {

    private static JsonNode bundle(TestClient client, String username) {
        var frame = TestClient.JSON.createObjectNode().put("type", "get_prekey_bundle").put("username", username)
                .put("device", 1);
        JsonNode reply = client.request(frame);
        assertEquals("prekey_bundle", reply.path("type").asText(), reply::toString);
        return reply.path("bundle");
    }

    private static final Pattern STOCK = Pattern.compile("server stock: (\\d+) one-time X25519");

    /**
     * Waits until the browser's security log reports an upload after which the server held more
     * than {@code count} one-time X25519 prekeys. The log is read when its dialog opens, so an
     * upload that commits while the dialog is open shows only at the next opening: each round
     * waits for the dialog's rows (the registration entries are always there), then counts.
     */
    private static void awaitOneTimeStockAbove(ParleyTab tab, int count) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            tab.byTestId("open-security-log").click();
            assertThat(tab.page().locator("[data-testid=log-entry]").first()).isVisible();
            var entries = tab.page().locator("[data-testid=log-entry][data-event=prekeys-uploaded]");
            int best = 0;
            for (String text : entries.allTextContents()) {
                Matcher m = STOCK.matcher(text);
                if (m.find()) {
                    best = Math.max(best, Integer.parseInt(m.group(1)));
                }
            }
            tab.byTestId("dialog-close").click();
            if (best > count) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no prekey upload after prekeys_low");
            tab.page().waitForTimeout(250);
        }
    }

    @Test
    void oneTimePreKeysAreReplenishedWhenTheServerRunsLow() {
        BrowserContext context = context(false);
        try (var drainer = TestClient.connect(server().wsUrl(), server().origin())) {
            ParleyTab kim = ParleyTab.open(context, server());
            kim.register("kim");
            assertEquals("registered", drainer.register("drainer").path("type").asText());
            // Online comes before the first upload has committed: wait for it, or the first
            // fetch may find no prekeys yet (no_prekeys, which clients retry).
            awaitOneTimeStockAbove(kim, 0);

            // The first upload has 100 one-time X25519 and 20 one-time ML-KEM prekeys; each
            // fetch takes one of each (a KEM fetch falls back to the last-resort key when none is left).
            int oneTime = 0;
            int kemOneTime = 0;
            for (int i = 0; i < 85; i++) {
                JsonNode b = bundle(drainer, "kim");
                oneTime += b.has("oneTimePreKey") ? 1 : 0;
                kemOneTime += b.path("kemPreKey").path("kind").asText().equals("one-time") ? 1 : 0;
            }
            assertEquals(85, oneTime);

            // Below 20 left, the server warned kim's browser, which uploads a new batch of 100:
            // the stock it reports afterwards is above the first batch.
            awaitOneTimeStockAbove(kim, 100);
            for (int i = 0; i < 100; i++) {
                JsonNode b = bundle(drainer, "kim");
                oneTime += b.has("oneTimePreKey") ? 1 : 0;
                kemOneTime += b.path("kemPreKey").path("kind").asText().equals("one-time") ? 1 : 0;
            }
            assertEquals(185, oneTime, "one-time X25519 prekeys were replenished");
            assertTrue(kemOneTime > 20, "one-time ML-KEM prekeys were replenished: " + kemOneTime);
        } finally {
            context.close();
        }
    }
}
