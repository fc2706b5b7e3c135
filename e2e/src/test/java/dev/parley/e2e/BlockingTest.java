package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import org.junit.jupiter.api.Test;

/**
 * Blocking in browsers against the real server: a blocked account's messages and typing never
 * show (and no receipt goes back: its sender's message stays "stored"), the block is synced to
 * the account's second, linked browser, and after unblocking new messages show again.
 * Screenshots of a blocked conversation at desktop size and 375 px.
 */
class BlockingTest extends BrowserTest {

    @Test
    void aBlockedAccountsMessagesAndTypingDoNotShowUntilUnblocked() throws InterruptedException {
        Chat chat = chat("bl_alice", "bl_bob");
        ParleyTab alice = chat.first();
        ParleyTab bob = chat.second();
        ParleyTab bobPhone = tab(true);
        bob.approveLink(bobPhone.startLinking("Bob's phone"), "Bob's phone", false);
        bobPhone.awaitLinkedAs("bl_bob");
        bob.byTestId("dialog-close").click();

        alice.send("before the block");
        assertThat(bob.incoming("before the block")).isVisible();

        bob.byTestId("block-toggle").click();
        assertThat(bob.byTestId("block-toggle")).hasText("Unblock");
        assertThat(bob.byTestId("blocked-notice")).isVisible();
        assertThat(bob.contact("bl_alice")).hasAttribute("data-blocked", "true");
        assertThat(bob.byTestId("message-input")).isVisible();
        // Synced to bob's other browser with the block payload.
        assertThat(bobPhone.contact("bl_alice")).hasAttribute("data-blocked", "true");

        alice.byTestId("message-input").fill("typing while blocked");
        alice.send("sent while blocked");
        alice.awaitStatus("sent while blocked", "stored");
        Thread.sleep(2_000); // time enough for a delivery receipt, which must not come
        alice.awaitStatus("sent while blocked", "stored");
        assertThat(bob.incoming("sent while blocked")).hasCount(0);
        assertThat(bob.byTestId("typing-indicator")).isHidden();
        bobPhone.openConversation("bl_alice");
        assertThat(bobPhone.incoming("sent while blocked")).hasCount(0);
        assertThat(bobPhone.byTestId("block-toggle")).hasText("Unblock");
        bob.screenshot("blocked-conversation-desktop");
        bobPhone.screenshot("blocked-conversation-phone");

        bob.byTestId("block-toggle").click();
        assertThat(bob.byTestId("block-toggle")).hasText("Block");
        assertThat(bob.byTestId("blocked-notice")).isHidden();
        assertThat(bobPhone.contact("bl_alice")).hasAttribute("data-blocked", "false");
        alice.send("after the unblock");
        assertThat(bob.incoming("after the unblock")).isVisible();
        assertThat(bobPhone.incoming("after the unblock")).isVisible();
        alice.awaitStatus("after the unblock", "read");
        assertThat(bob.incoming("sent while blocked")).hasCount(0);
        assertNoViolations();
    }
}
