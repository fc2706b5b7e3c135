package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trust: equal safety numbers on both sides, verification, an identity change after a reset
 * with the recovery code (banner, sending paused for a verified contact until accepted), the
 * security log, messages the reset left undelivered (shown, and resent once the new identity is
 * accepted), and the one-tab-per-account guard.
 */
class TrustTest extends BrowserTest {

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    private static String safetyDigits(ParleyTab tab) {
        tab.byTestId("open-safety").click();
        var number = tab.byTestId("safety-number");
        assertThat(number).isVisible();
        assertThat(tab.byTestId("safety-qr")).hasAttribute("data-rendered", "true");
        return number.getAttribute("data-digits");
    }

    private static void closeDialog(ParleyTab tab) {
        tab.page().keyboard().press("Escape");
        assertThat(tab.page().locator("dialog[open]")).hasCount(0);
    }

    @Test
    void verifiedContactResetsAccountAndSendingPausesUntilAccepted() throws Exception {
        ParleyTab grace = tab(context(false));
        grace.register("grace");
        BrowserContext heidiPhone = context(true);
        ParleyTab heidi = tab(heidiPhone);
        String recoveryCode = heidi.register("heidi");
        assertTrue(recoveryCode.replace("-", "").length() == 32, recoveryCode);
        heidi.page().screenshot(new com.microsoft.playwright.Page.ScreenshotOptions().setPath(dev.parley.e2e.support.Screenshots.path("phone-contacts")));

        grace.openConversation("heidi");
        grace.send("Hi Heidi");
        heidi.openConversation("grace");
        assertThat(heidi.incoming("Hi Heidi")).hasCount(1);
        heidi.send("Hi Grace");
        grace.awaitStatus("Hi Heidi", "read");
        assertThat(grace.incoming("Hi Grace")).hasCount(1);

        // Both sides compute the same 60-digit safety number, shown with a QR code.
        String graceSees = safetyDigits(grace);
        grace.screenshot("desktop-safety-number");
        String heidiSees = safetyDigits(heidi);
        heidi.screenshot("phone-safety-number");
        assertTrue(graceSees.matches("[0-9]{60}"), graceSees);
        assertEquals(graceSees, heidiSees);
        assertThat(grace.byTestId("safety-number")).containsText(graceSees.substring(0, 5));
        closeDialog(heidi);

        assertThat(grace.byTestId("verified-badge")).isHidden();
        grace.byTestId("mark-verified").click();
        closeDialog(grace);
        assertThat(grace.byTestId("verified-badge")).isVisible();
        heidi.screenshot("phone-conversation");

        // Heidi resets the account from a fresh browser with her code (as after losing the
        // old one; here the old one is still open and is told that its keys no longer work).
        ParleyTab newHeidi = tab(context(true));
        newHeidi.byTestId("open-reset").click();
        newHeidi.screenshot("phone-welcome-reset");
        newHeidi.byTestId("open-reset").click();
        String newCode = newHeidi.reset("heidi", recoveryCode);
        assertNotEquals(recoveryCode, newCode);
        assertThat(heidi.byTestId("error-banner")).isVisible();
        assertThat(heidi.byTestId("error-banner")).containsText("moved to new keys");
        assertThat(heidi.byTestId("connection-status")).hasAttribute("data-state", "offline");
        heidi.screenshot("phone-identity-reset-elsewhere");
        heidiPhone.close();
        forget(heidiPhone, heidi);

        // Grace sees the change; sending to the (formerly verified) contact is paused.
        assertThat(grace.byTestId("identity-changed-banner")).isVisible();
        assertThat(grace.byTestId("verified-badge")).isHidden();
        assertThat(grace.byTestId("message-input")).isDisabled();
        assertThat(grace.byTestId("message-send")).isDisabled();
        grace.screenshot("desktop-identity-changed");
        String changedNumber = safetyDigits(grace);
        assertNotEquals(graceSees, changedNumber);
        closeDialog(grace);
        // Nothing went out: the new Heidi has no message from Grace.
        newHeidi.openConversation("grace");
        assertThat(newHeidi.messages()).hasCount(0);

        grace.byTestId("accept-identity").click();
        assertThat(grace.byTestId("identity-changed-banner")).isHidden();
        assertThat(grace.byTestId("message-input")).isEnabled();
        grace.send("Welcome back, Heidi");
        assertThat(newHeidi.incoming("Welcome back, Heidi")).hasCount(1);
        grace.awaitStatus("Welcome back, Heidi", "read");
        assertEquals(changedNumber, safetyDigits(newHeidi));
        closeDialog(newHeidi);

        // The security log recorded it, with fingerprints and without any message text.
        grace.byTestId("open-security-log").click();
        var log = grace.byTestId("security-log");
        assertThat(log).isVisible();
        Set<String> events = new HashSet<>();
        for (var entry : grace.byTestId("log-entry").all()) {
            events.add(entry.getAttribute("data-event"));
        }
        assertTrue(events.containsAll(Set.of("identity-created", "account-registered", "prekeys-uploaded", "session-initiated",
                "contact-first-seen", "contact-verified", "identity-changed", "identity-accepted")), events.toString());
        grace.screenshot("desktop-security-log");
        Download download = grace.page().waitForDownload(() -> grace.byTestId("export-log").click());
        String json = Files.readString(download.path());
        JsonNode exported = new ObjectMapper().readTree(json);
        assertEquals("grace", exported.path("account").asText());
        assertTrue(exported.path("events").size() >= 8);
        for (String text : List.of("Hi Heidi", "Hi Grace", "Welcome back")) {
            assertFalse(json.contains(text), "the security log contains message text");
        }
        boolean fingerprinted = false;
        for (JsonNode event : exported.path("events")) {
            if (event.path("event").asText().equals("identity-changed")) {
                fingerprinted = event.path("fingerprint").asText().matches("[0-9a-f]{4}( [0-9a-f]{4}){7}");
            }
        }
        assertTrue(fingerprinted, "identity change logged with a key fingerprint");
        closeDialog(grace);
    }

    @Test
    void messagesLeftUndeliveredByAResetAreShownAndResentToTheNewIdentity() {
        ParleyTab kim = tab(context(false));
        kim.register("kim");
        BrowserContext leoBrowser = context(false);
        ParleyTab leo = tab(leoBrowser);
        String recoveryCode = leo.register("leo");
        kim.openConversation("leo");
        kim.send("Before the reset");
        leo.openConversation("kim");
        assertThat(leo.incoming("Before the reset")).hasCount(1);
        kim.awaitStatus("Before the reset", "read");

        // Leo's browser is gone; two messages wait on the server for the old identity.
        leoBrowser.close();
        forget(leoBrowser, leo);
        kim.send("Lost one");
        kim.send("Lost two");
        kim.awaitStatus("Lost one", "stored");
        kim.awaitStatus("Lost two", "stored");

        // Leo resets from a new browser: the server drops what was queued for the old identity.
        ParleyTab newLeo = tab(context(false));
        newLeo.reset("leo", recoveryCode);
        kim.awaitStatus("Lost one", "undelivered");
        kim.awaitStatus("Lost two", "undelivered");
        kim.awaitStatus("Before the reset", "read");
        assertThat(kim.outgoing("Lost one").getByRole(AriaRole.IMG, new Locator.GetByRoleOptions()
                .setName("Not delivered: leo's identity changed before it arrived"))).isVisible();
        var notice = kim.byTestId("undelivered-notice");
        assertThat(notice).isVisible();
        assertThat(notice).containsText("2 messages to leo were not delivered");
        assertThat(notice).containsText("Accept the new identity");
        assertThat(kim.byTestId("resend-undelivered")).isHidden();

        kim.byTestId("accept-identity").click();
        assertThat(kim.byTestId("resend-undelivered")).isVisible();
        kim.byTestId("resend-undelivered").click();
        assertThat(notice).isHidden();
        newLeo.openConversation("kim");
        assertThat(newLeo.messages().getByTestId("message-text")).hasText(new String[] {"Lost one", "Lost two"});
        var resent = kim.messages().and(kim.page().locator("[data-status=read]"));
        assertThat(resent.getByTestId("message-text")).hasText(new String[] {"Before the reset", "Lost one", "Lost two"});
        assertThat(kim.messages().and(kim.page().locator("[data-status=undelivered]"))).hasCount(2);
        kim.screenshot("desktop-undelivered-resent");
    }

    @Test
    void theSameAccountInASecondTabIsRefusedAndOtherAccountsWorkSideBySide() {
        BrowserContext browser = context(false);
        ParleyTab first = tab(browser);
        first.register("ivan");

        ParleyTab second = tab(browser);
        // A second tab of the same browser: ivan is taken, so it offers the choices.
        assertThat(second.byTestId("register-username")).isVisible();
        assertThat(second.page().getByText("open in another tab")).isVisible();
        second.register("judy");
        assertThat(second.contact("ivan")).hasAttribute("data-presence", "online");
        assertThat(first.contact("judy")).hasAttribute("data-presence", "online");
        second.openConversation("ivan");
        second.send("Hello from the tab next door");
        first.openConversation("judy");
        assertThat(first.incoming("Hello from the tab next door")).hasCount(1);

        // A duplicated tab that wants ivan again (as after "duplicate tab"): told, not opened.
        ParleyTab third = tab(browser);
        assertThat(third.byTestId("register-username")).isVisible();
        third.page().evaluate("() => { sessionStorage.setItem('parley.account', 'ivan'); }");
        third.reload();
        assertThat(third.byTestId("account-in-use")).isVisible();
        assertThat(third.byTestId("account-in-use")).containsText("ivan is open in another tab");
        third.screenshot("desktop-account-in-use");
        // The first tab still works.
        first.send("still here");
        assertThat(second.incoming("still here")).hasCount(1);
    }
}
