package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Response;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import dev.parley.server.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page's own security: it loads and works under the server's strict CSP with Trusted
 * Types and no violation, and hostile message text is shown as text and never runs.
 */
class SecurityTest extends BrowserTest {

    private ParleyTab tab() {
        return tab(false);
    }

    @Test
    void thePageIsServedWithAStrictPolicyAndLoadsWithoutAnyViolation() {
        BrowserContext context = context(false);
        var page = context.newPage();
        List<String> console = new ArrayList<>();
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
        page.addInitScript("window.__v = []; document.addEventListener('securitypolicyviolation', e => window.__v.push(e.violatedDirective));"
                // Once the app's script has run (before DOMContentLoaded), the policy name is the app's: a script cannot claim it.
                + "document.addEventListener('DOMContentLoaded', () => { try { trustedTypes.createPolicy('parley-sw', {}); window.__claimed = true; }"
                + " catch (e) { window.__claimed = false; } });");
        Response response = page.navigate(server().url("/"));
        String csp = response.headerValue("content-security-policy");
        assertNotNull(csp);
        for (String directive : List.of("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'", "require-trusted-types-for 'script'", "trusted-types parley-sw", "worker-src 'self'")) {
            assertTrue(csp.contains(directive), "CSP lacks " + directive + ": " + csp);
        }
        assertThat(page.getByTestId("register-username")).isVisible();
        // Trusted Types are enforced: an HTML string sink throws in this page.
        Object sinkBlocked = page.evaluate("() => { try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); return false; } catch (e) { return e instanceof TypeError; } }");
        assertEquals(Boolean.TRUE, sinkBlocked);
        // The one policy the CSP allows is the page's own (made at start, for the service worker's
        // URL): no second copy of it, and no other policy, can be created.
        Object policiesRefused = page.evaluate("""
                () => ['parley-sw', 'other'].every((name) => {
                  try { trustedTypes.createPolicy(name, { createHTML: (s) => s }); return false; } catch (e) { return true; }
                })""");
        assertEquals(Boolean.TRUE, policiesRefused);
        assertEquals(Boolean.FALSE, page.evaluate("() => window.__claimed"), "the page's policy was not made when its script ran");
        console.clear(); // the probes' own reports; from here on the app must cause none
        page.evaluate("() => window.__v.length = 0");
        // The test's own probe above is the only violation allowed; the app itself causes none.
        page.getByTestId("register-username").fill("csp_user");
        page.getByTestId("register-submit").click();
        assertThat(page.getByTestId("recovery-code")).isVisible();
        page.getByTestId("recovery-done").click();
        assertThat(page.getByTestId("connection-status")).hasAttribute("data-state", "online");
        assertEquals(List.of(), page.evaluate("() => window.__v"));
        assertTrue(console.stream().noneMatch(m -> m.contains("Content Security Policy") || m.contains("Trusted Type")), String.valueOf(console));
    }

    /**
     * The server now refuses a look-alike name, but a database from before that rule may hold
     * one: renamed here while the server is stopped. The web client marks it in the contact list
     * and in the conversation, in words.
     */
    @Test
    void aContactWhoseNameLooksLikeAnothersIsMarkedInTheListAndTheConversation() throws Exception {
        for (String name : List.of("lk_bob", "lk_bxb")) {
            try (var client = TestClient.connect(server().wsUrl(), server().origin())) {
                assertEquals("registered", client.register(name).path("type").asText());
            }
        }
        server().stop();
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + server().database());
             var rename = db.prepareStatement("UPDATE accounts SET username = 'lk_b0b' WHERE username = 'lk_bxb'")) {
            assertEquals(1, rename.executeUpdate());
        }
        server().restart();
        ParleyTab carol = tab();
        carol.register("lk_carol");
        assertThat(carol.contact("lk_b0b")).hasAccessibleName(java.util.regex.Pattern.compile("looks like lk_bob"));
        assertThat(carol.contact("lk_bob")).hasAccessibleName(java.util.regex.Pattern.compile("looks like lk_b0b"));
        carol.openConversation("lk_b0b");
        assertThat(carol.byTestId("lookalike-warning")).isVisible();
        assertThat(carol.byTestId("lookalike-warning")).containsText("lk_b0b looks like lk_bob");
    }

    @Test
    void htmlAndScriptInMessagesAreShownAsTextAndNeverRun() {
        ParleyTab mallory = tab();
        mallory.register("mallory");
        ParleyTab victim = tab();
        victim.register("victim");
        mallory.openConversation("victim");
        victim.openConversation("mallory");

        List<String> payloads = List.of(
                "<img src=x onerror=\"window.__pwned=1\">",
                "<script>window.__pwned=2</script>",
                "<svg onload=window.__pwned=3><a href=\"javascript:window.__pwned=4\">click</a>",
                "\"><iframe srcdoc=\"<script>parent.__pwned=5</script>\"></iframe>");
        for (String payload : payloads) {
            mallory.send(payload);
        }
        assertThat(victim.messages()).hasCount(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(victim.messages().nth(i).getByTestId("message-text")).hasText(payloads.get(i));
            assertThat(mallory.messages().nth(i).getByTestId("message-text")).hasText(payloads.get(i));
        }
        for (ParleyTab tab : List.of(mallory, victim)) {
            var list = tab.byTestId("message-list");
            assertThat(list.locator("img, script, svg:not(.icon), iframe, a")).hasCount(0);
            assertNull(tab.page().evaluate("() => window.__pwned ?? null"));
            // The contact list preview shows the text as text too.
            assertThat(tab.byTestId("contact-list").locator("img, script, iframe")).hasCount(0);
        }
        assertThat(victim.contact("mallory")).containsText("<iframe");
        victim.screenshot("desktop-hostile-text");
        for (ParleyTab tab : tabs()) {
            assertEquals(List.of(), tab.violations(), "CSP / Trusted Types violations");
            assertEquals(List.of(), tab.pageErrors());
        }
    }

    @Test
    void garbageFromAHostileClientIsAcknowledgedLoggedAndDoesNotBreakTheConversation() {
        ParleyTab target = tab();
        target.register("target");
        try (var hostile = TestClient.connect(server().wsUrl(), server().origin())) {
            assertEquals("registered", hostile.register("hostile").path("type").asText());
            byte[] random = new byte[400];
            new java.security.SecureRandom().nextBytes(random);
            random[0] = 0x02; // looks like a RatchetMessage, but there is no session
            byte[] fakePreKey = new byte[1400];
            new java.security.SecureRandom().nextBytes(fakePreKey);
            fakePreKey[0] = 0x01;
            fakePreKey[1] = 0x01;
            for (String envelope : List.of("AAAA", TestClient.b64(random), TestClient.b64(fakePreKey), "AQ")) {
                assertEquals("stored", hostile.sendMessage("target", TestClient.nextId(), envelope).path("type").asText());
            }
        }
        target.openConversation("hostile");
        assertThat(target.byTestId("system-message")).hasCount(4);
        assertThat(target.messages()).hasCount(0);
        // Acknowledged: a reload does not bring them back a second time.
        target.reload();
        target.awaitOnline();
        target.openConversation("hostile");
        assertThat(target.byTestId("system-message")).hasCount(4);
        target.byTestId("open-security-log").click();
        assertThat(target.page().locator("[data-testid=log-entry][data-event=decrypt-failed]")).hasCount(4);
        target.byTestId("dialog-close").click();

        // A real contact still gets through.
        ParleyTab friend = tab();
        friend.register("friend");
        friend.openConversation("target");
        friend.send("a real message");
        target.openConversation("friend");
        assertThat(target.incoming("a real message")).hasCount(1);
        friend.awaitStatus("a real message", "read");
        assertEquals(List.of(), target.violations());
        assertEquals(List.of(), target.pageErrors());
    }
}
