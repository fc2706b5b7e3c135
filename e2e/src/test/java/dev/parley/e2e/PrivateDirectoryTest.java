package dev.parley.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import dev.parley.e2e.support.BrowserTest;
import dev.parley.e2e.support.ParleyTab;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server started with {@code --directory private}, driven from browsers: nobody sees a list of
 * accounts, a person is found by exact name only ("New chat"), the two then chat, and every
 * {@code public_keys} the browser receives names only the people it looked up; a group's member
 * picker adds a member by exact name.
 */
class PrivateDirectoryTest extends BrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void privateDirectory() {
        server().restartWith("--directory", "private");
    }

    /** Every frame text the page's WebSockets send and receive from now on (after a reload, the new socket's). */
    private static List<String> recordFrames(ParleyTab tab, List<String> sent) {
        List<String> received = new CopyOnWriteArrayList<>();
        tab.page().onWebSocket(socket -> {
            socket.onFrameReceived(frame -> received.add(frame.text()));
            socket.onFrameSent(frame -> sent.add(frame.text()));
        });
        return received;
    }

    private static Set<String> usernamesIn(List<String> frames, String type) throws Exception {
        Set<String> names = new TreeSet<>();
        for (String text : frames) {
            JsonNode frame = JSON.readTree(text);
            if (frame.path("type").asText().equals(type)) {
                frame.path("users").forEach(user -> names.add(user.path("username").asText()));
            }
        }
        return names;
    }

    @Test
    void noListIsShownAPersonIsFoundByExactNameAndTheyChat() throws Exception {
        ParleyTab carol = registered("pd_carol");
        ParleyTab bob = registered("pd_bob");
        ParleyTab alice = registered("pd_alice");
        List<String> sent = new CopyOnWriteArrayList<>();
        List<String> received = recordFrames(alice, sent);
        alice.page().reload();
        alice.awaitOnline();

        // Nobody is listed: the browser knows no one yet.
        assertThat(alice.byTestId("sidebar-empty")).containsText("exact username");
        assertThat(alice.byTestId("contact-list").locator("[data-testid^=contact-]")).hasCount(0);
        assertThat(alice.contact("pd_carol")).hasCount(0);

        // A prefix finds nobody; the exact name opens the conversation.
        alice.byTestId("new-chat").click();
        alice.byTestId("new-chat-input").fill("pd_bo");
        alice.byTestId("new-chat-submit").click();
        assertThat(alice.byTestId("new-chat-error")).containsText("There is no user named");
        assertThat(alice.byTestId("new-chat-matches").locator("button")).hasCount(0);
        alice.byTestId("new-chat-input").fill("pd_bob");
        alice.screenshot("private-new-chat");
        alice.byTestId("new-chat-submit").click();
        assertThat(alice.byTestId("new-chat-dialog")).hasCount(0);
        assertThat(alice.page().getByLabel("Conversation with pd_bob")).isVisible();
        alice.send("hello from a private server");
        assertThat(alice.contact("pd_bob")).isVisible();

        // Bob learns alice from her message (and looks her up by that exact name), and answers.
        assertThat(bob.contact("pd_alice")).isVisible();
        bob.openConversation("pd_alice");
        assertThat(bob.incoming("hello from a private server")).isVisible();
        bob.send("hello alice");
        assertThat(alice.incoming("hello alice")).isVisible();
        alice.awaitStatus("hello from a private server", "read");
        assertThat(bob.contact("pd_carol")).hasCount(0);
        assertThat(carol.contact("pd_alice")).hasCount(0);

        // What the server told alice's browser: no list, and only the name she looked up.
        assertTrue(sent.stream().noneMatch(text -> text.contains("\"get_public_keys\"")), "the list is never asked");
        assertTrue(sent.stream().anyMatch(text -> text.contains("\"find_users\"")), "names are looked up");
        assertEquals(Set.of("pd_bob"), usernamesIn(received, "public_keys"), "public_keys names only who alice found");
        assertFalse(received.stream().anyMatch(text -> text.contains("pd_carol")), "carol is never named to alice");
        assertNoViolations();
    }

    @Test
    void theGroupPickerAddsAMemberByExactName() {
        ParleyTab dave = registered("pg_dave");
        ParleyTab erin = registered("pg_erin");
        dave.byTestId("new-group").click();
        dave.byTestId("group-name-input").fill("Quiet room");
        assertThat(dave.byTestId("group-member-pg_erin")).hasCount(0);
        dave.byTestId("group-member-name").fill("pg_eri");
        dave.byTestId("group-member-find").click();
        assertThat(dave.byTestId("group-member-find-error")).containsText("There is no user named");
        dave.byTestId("group-member-name").fill("pg_erin");
        dave.byTestId("group-member-find").click();
        assertThat(dave.byTestId("group-member-pg_erin")).isChecked();
        dave.byTestId("group-create").click();
        Locator entry = erin.byTestId("conversation-list").locator("[data-name=\"Quiet room\"]");
        entry.click();
        dave.send("welcome to the quiet room");
        assertThat(erin.incoming("welcome to the quiet room")).isVisible();
        assertNoViolations();
    }
}
