package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several devices of one account in real Chromium against a real server (docs/WEB-CLIENT.md,
 * "Several devices"): a laptop browser links a phone-sized one, which brings the history with
 * it; a contact's messages reach both; a reply from the phone shows as sent on the laptop;
 * reading on the laptop clears the phone's unread count; every device hears of the new
 * device; an unlinked browser is disconnected and nothing is encrypted to it afterwards; one
 * browser holds its own account and another account's linked device, one tab each, refuses
 * that device in a third tab, and refuses to be linked to an account it already holds.
 */
public class LinkedDevicesTest extends BrowserTest {

    @AfterEach
    void noViolations() {
        assertNoViolations();
    }

    @Test
    void aLinkedBrowserHasTheHistoryBothGetEveryMessageAndTheirStateIsShared() {
        ParleyTab laptop = registered("ld_alice");
        ParleyTab bob = registered("ld_bob");
        bob.openConversation("ld_alice");
        bob.send("before linking, from bob");
        laptop.openConversation("ld_bob");
        assertThat(laptop.incoming("before linking, from bob")).isVisible();
        laptop.send("before linking, from alice");
        assertThat(bob.incoming("before linking, from alice")).isVisible();

        ParleyTab phone = tab(true);
        String code = phone.startLinking("Alice's phone");
        phone.screenshot("link-new-device");
        laptop.approveLink(code, "Alice's phone", true);
        phone.awaitLinkedAs("ld_alice");
        assertThat(laptop.byTestId("device-2")).containsText("Alice's phone");
        laptop.screenshot("linked-devices");
        laptop.byTestId("dialog-close").click();

        // The history sent at linking, both directions, in the phone's conversation.
        phone.openConversation("ld_bob");
        assertThat(phone.incoming("before linking, from bob")).isVisible();
        assertThat(phone.outgoing("before linking, from alice")).isVisible();
        // Every other device of the account hears of the new one.
        assertThat(laptop.byTestId("new-device-notice")).containsText("Alice's phone");

        // Neither of Alice's browsers is being looked at while Bob writes (both in the background).
        laptop.setHidden(true);
        phone.setHidden(true);
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String text = "to both devices " + i;
            texts.add(text);
            bob.send(text);
        }
        for (String text : texts) {
            assertThat(laptop.incoming(text)).hasCount(1);
            assertThat(phone.incoming(text)).hasCount(1);
        }
        assertThat(phone.byTestId("unread-ld_bob")).hasText("5");
        assertThat(laptop.byTestId("unread-ld_bob")).hasText("5");

        // Reading on the laptop clears the phone's count.
        laptop.setHidden(false);
        assertThat(laptop.byTestId("unread-ld_bob")).isHidden();
        assertThat(phone.byTestId("unread-ld_bob")).isHidden();

        // A reply from the phone is outgoing on the laptop too.
        phone.setHidden(false);
        phone.send("from the phone");
        assertThat(bob.incoming("from the phone")).isVisible();
        Locator onLaptop = laptop.outgoing("from the phone");
        assertThat(onLaptop).isVisible();
    }

    @Test
    void anUnlinkedBrowserIsDisconnectedAndNothingIsEncryptedToItAfterwards() {
        ParleyTab laptop = registered("lu_alice");
        ParleyTab bob = registered("lu_bob");
        ParleyTab phone = tab(true);
        laptop.approveLink(phone.startLinking("Old phone"), "Old phone", false);
        phone.awaitLinkedAs("lu_alice");

        laptop.byTestId("unlink-device-2").click();
        laptop.byTestId("confirm-unlink").click();
        assertThat(laptop.byTestId("device-2")).hasCount(0);
        assertThat(phone.byTestId("error-banner")).containsText("unlinked");
        laptop.byTestId("dialog-close").click();

        // Bob's client learns the new list (the server refuses copies for device 2) and sends
        // to the laptop alone; the phone, gone, shows nothing more.
        bob.openConversation("lu_alice");
        bob.send("after the unlink");
        laptop.openConversation("lu_bob");
        assertThat(laptop.incoming("after the unlink")).isVisible();
        assertThat(phone.byTestId("connection-status")).not().hasAttribute("data-state", "online");
        assertThat(phone.incoming("after the unlink")).hasCount(0);

        // Reloading the unlinked browser does not log it in again.
        phone.reload();
        assertThat(phone.byTestId("error-banner")).containsText("unlinked");
        assertThat(phone.byTestId("connection-status")).not().hasAttribute("data-state", "online");
    }

    @Test
    void oneBrowserRunsItsOwnAccountAndAnotherAccountsLinkedDeviceInTwoTabsAndRefusesTheDeviceInAThird() {
        ParleyTab laptop = registered("lt_alice");
        BrowserContext phoneBrowser = context(true);
        ParleyTab carol = tab(phoneBrowser);
        carol.register("lt_carol");

        // A second tab of carol's browser becomes alice's second device, next to carol.
        ParleyTab phone = tab(phoneBrowser);
        assertThat(phone.page().getByText("open in another tab")).hasCount(1);
        laptop.approveLink(phone.startLinking("Alice's phone"), "Alice's phone", false);
        phone.awaitLinkedAs("lt_alice");
        laptop.byTestId("dialog-close").click();
        assertThat(carol.byTestId("account-name")).hasText("lt_carol");

        // Carol writes to alice: both of alice's devices get it, one of them in carol's own browser.
        carol.openConversation("lt_alice");
        carol.send("from carol, next door");
        laptop.openConversation("lt_carol");
        phone.openConversation("lt_carol");
        assertThat(laptop.incoming("from carol, next door")).hasCount(1);
        assertThat(phone.incoming("from carol, next door")).hasCount(1);
        carol.awaitStatus("from carol, next door", "read");
        phone.send("from alice's phone");
        assertThat(carol.incoming("from alice's phone")).hasCount(1);
        assertThat(laptop.outgoing("from alice's phone")).hasCount(1);

        // The same device wanted in a third tab (as after "duplicate tab"): told, not opened; the
        // phone's tab keeps its connection and its messages.
        ParleyTab third = tab(phoneBrowser);
        assertThat(third.page().getByText("open in another tab")).hasCount(2);
        third.page().evaluate("() => { sessionStorage.setItem('parley.account', 'lt_alice'); }");
        third.reload();
        assertThat(third.byTestId("account-in-use")).containsText("lt_alice is open in another tab");
        laptop.send("still reaching the phone");
        assertThat(carol.incoming("still reaching the phone")).hasCount(1);
        assertThat(phone.outgoing("still reaching the phone")).hasCount(1);
        phone.awaitOnline();
        assertThat(phone.byTestId("error-banner")).isHidden();
        carol.send("and carol still reaches both");
        assertThat(laptop.incoming("and carol still reaches both")).hasCount(1);
        assertThat(phone.incoming("and carol still reaches both")).hasCount(1);

        // Linking this browser to alice again: the link fails in words, and the device it added is
        // removed from alice's list again, so no device nobody holds stays listed.
        ParleyTab fourth = tab(phoneBrowser);
        laptop.approveLink(fourth.startLinking("Second phone"), "Second phone", false);
        assertThat(fourth.byTestId("link-error")).containsText("This browser already has an account named lt_alice");
        assertThat(laptop.byTestId("device-3")).hasCount(0);
        assertThat(laptop.byTestId("device-2")).containsText("Alice's phone");
        assertThat(phone.byTestId("error-banner")).isHidden();
    }
}
