package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import dev.parley.server.testing.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sidebar of an open directory: conversations (1:1 with a message, and groups) first, most
 * recent first, then everyone else; the search box once more than 20 people are listed; "New
 * chat" by prefix among the listed accounts. Screenshots of the sidebar and the dialog at
 * desktop size and 375 px.
 */
class SidebarTest extends BrowserTest {

    private static List<String> order(ParleyTab tab, String list) {
        return tab.byTestId(list).locator("button.contact").all().stream()
                .map(row -> row.getAttribute("data-testid")).toList();
    }

    @Test
    void conversationsComeFirstMostRecentFirstThenEveryoneElse() {
        for (int i = 0; i < 22; i++) {
            try (var filler = TestClient.connect(server().wsUrl(), server().origin())) {
                assertEquals("registered", filler.register(String.format("sb_fill_%02d", i)).path("type").asText());
            }
        }
        ParleyTab me = registered("sb_me");
        ParleyTab old = registered("sb_old");
        ParleyTab recent = registered("sb_recent");

        me.openConversation("sb_old");
        me.send("first, and oldest");
        me.byTestId("new-group").click();
        me.byTestId("group-name-input").fill("Sidebar club");
        me.byTestId("group-member-sb_old").check();
        me.byTestId("group-create").click();
        me.send("the group, second");
        assertThat(old.contact("sb_me").locator(".contact-preview")).hasText("first, and oldest");
        recent.openConversation("sb_me");
        recent.send("the newest");
        assertThat(me.contact("sb_recent").locator(".contact-preview")).hasText("the newest");

        List<String> conversations = order(me, "conversation-list");
        assertEquals(3, conversations.size(), conversations::toString);
        assertEquals("contact-sb_recent", conversations.get(0));
        assertEquals("group-", conversations.get(1).substring(0, 6));
        assertEquals("contact-sb_old", conversations.get(2));
        List<String> people = order(me, "people-list");
        assertEquals(22, people.size(), "everyone else, and nobody with a conversation: " + people);
        assertEquals("contact-sb_fill_00", people.get(0));

        me.byTestId("contact-list").evaluate("list => { list.scrollTop = 0; }");
        me.screenshot("sidebar-desktop");

        // More than 20 people: the search box filters.
        me.byTestId("contact-filter").fill("sb_fill_1");
        assertThat(me.byTestId("people-list").locator("button.contact")).hasCount(10);
        me.byTestId("contact-filter").fill("");
        assertThat(me.byTestId("people-list").locator("button.contact")).hasCount(22);

        // New chat by prefix among the listed accounts.
        me.byTestId("new-chat").click();
        me.byTestId("new-chat-input").fill("sb_fill_2");
        Locator matches = me.byTestId("new-chat-matches").locator("button");
        assertThat(matches).hasCount(2);
        me.screenshot("new-chat-desktop");
        me.byTestId("new-chat-result-sb_fill_21").click();
        assertThat(me.page().getByLabel("Conversation with sb_fill_21")).isVisible();

        // The same at 375 px: a phone browser's sidebar and dialog.
        ParleyTab phone = tab(true);
        phone.register("sb_phone");
        me.byTestId("new-chat").click();
        me.byTestId("new-chat-input").fill("sb_phone");
        me.byTestId("new-chat-submit").click();
        me.send("hello, small screen");
        assertThat(phone.contact("sb_me").locator(".contact-preview")).hasText("hello, small screen");
        assertEquals(List.of("contact-sb_me"), order(phone, "conversation-list"));
        phone.screenshot("sidebar-phone");
        phone.byTestId("new-chat").click();
        phone.byTestId("new-chat-input").fill("sb_");
        assertThat(phone.byTestId("new-chat-matches").locator("button")).hasCount(8);
        phone.screenshot("new-chat-phone");
        assertNoViolations();
    }
}
