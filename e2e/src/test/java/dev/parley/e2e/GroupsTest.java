package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Groups in three browsers against the real server, driven as a user does: create, send, the
 * receipt summary, typing, removing a member (who gets nothing sent after), with the strict CSP
 * and no page error. The SDK's and the browsers' interplay is in the client module's
 * GroupInteropTest.
 */
public class GroupsTest extends BrowserTest {

    private static Locator lines(ParleyTab tab, String text) {
        return tab.byTestId("system-line").filter(new Locator.FilterOptions().setHasText(text));
    }

    private static Locator sidebarEntry(ParleyTab tab, String name) {
        return tab.byTestId("conversation-list").locator("[data-name=\"" + name + "\"]");
    }

    @Test
    void threeBrowsersCreateTalkAndRemoveAMember() {
        ParleyTab alice = registered("alice");
        ParleyTab bob = registered("bob");
        ParleyTab carol = registered("carol");
        assertThat(alice.contact("carol")).isVisible();
        alice.byTestId("new-group").click();
        alice.byTestId("group-name-input").fill("Trip");
        alice.byTestId("group-member-bob").check();
        alice.byTestId("group-member-carol").check();
        alice.screenshot("group-new");
        alice.byTestId("group-create").click();
        assertThat(lines(alice, "you created the group \"Trip\"")).isVisible();
        for (ParleyTab member : List.of(bob, carol)) {
            sidebarEntry(member, "Trip").click();
            assertThat(lines(member, "alice created the group \"Trip\"")).isVisible();
        }

        alice.send("hello group");
        assertThat(bob.incoming("hello group")).isVisible();
        assertThat(carol.incoming("hello group")).isVisible();
        assertThat(alice.outgoing("hello group").getByTestId("group-receipt-summary"))
                .hasText("delivered to 2 of 2 · read by 2 of 2");
        bob.send("hi from bob");
        assertThat(alice.incoming("hi from bob")).isVisible();
        assertThat(carol.incoming("hi from bob")).isVisible();
        bob.byTestId("message-input").fill("typing now");
        assertThat(alice.byTestId("typing-indicator")).hasText("bob is typing");
        alice.screenshot("group-conversation");

        alice.byTestId("group-members").click();
        alice.screenshot("group-members");
        alice.byTestId("group-remove-carol").click();
        assertThat(lines(carol, "alice removed you")).isVisible();
        assertThat(lines(bob, "alice removed carol")).isVisible();
        alice.byTestId("dialog-close").click();
        bob.byTestId("message-input").fill("");
        bob.send("after removal");
        assertThat(alice.incoming("after removal")).isVisible();
        assertThat(carol.byTestId("group-status")).hasText("You were removed from this group.");
        assertThat(carol.byTestId("message-input")).isDisabled();
        assertThat(carol.incoming("after removal")).hasCount(0);
        for (ParleyTab tab : tabs()) {
            assertEquals(List.of(), tab.pageErrors());
        }
        assertNoViolations();
    }
}
