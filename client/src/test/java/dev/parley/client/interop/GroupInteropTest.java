package dev.parley.client.interop;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.client.GroupKit;
import dev.parley.client.ParleyClient;
import dev.parley.client.RecordingListener;
import dev.parley.client.cli.Cli;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupOp;
import dev.parley.protocol.groups.GroupState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Acceptance for groups (GROUPS.md) through a real server: three people in browsers and one with
 * the {@code parley} command in one group. Everyone sees every message, in order, with its
 * sender; a member who is offline (a browser that left the page, the terminal between commands)
 * gets the backlog; changes a member without admin rights injects are refused by every browser
 * with a warning in the group.
 */
class GroupInteropTest extends InteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Page browser(String username) {
        Page page = chromium.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(server.origin() + "/");
        page.getByTestId("register-username").fill(username);
        page.getByTestId("register-submit").click();
        assertThat(page.getByTestId("recovery-code")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        page.getByTestId("recovery-done").click();
        assertThat(page.getByTestId("account-name")).hasText(username);
        assertThat(page.getByTestId("connection-status")).hasAttribute("data-state", "online");
        return page;
    }

    /** The group conversation's messages as "sender: text", oldest first. */
    private static List<String> timeline(Page page) {
        List<String> seen = new ArrayList<>();
        Locator messages = page.getByTestId("message-list").getByTestId("message");
        for (int i = 0; i < messages.count(); i++) {
            Locator m = messages.nth(i);
            seen.add(m.getAttribute("data-sender") + ": " + m.getByTestId("message-text").textContent().strip());
        }
        return seen;
    }

    /** Waits until {@code page} shows {@code expected} exactly, in that order. */
    private static void awaitTimeline(Page page, List<String> expected) {
        assertThat(page.getByTestId("message-list").getByTestId("message")).hasCount(expected.size());
        assertEquals(expected, timeline(page));
    }

    private static Locator systemLine(Page page, String kind, String text) {
        return page.getByTestId("system-line").and(page.locator("[data-kind=" + kind + "]"))
                .filter(new Locator.FilterOptions().setHasText(text));
    }

    /** The terminal's {@code parley receive}: its group messages as "sender: text". */
    private static List<String> receive(Cli cli, Path home, String group) throws Exception {
        Cli.Result result = cli.run(home, "receive", "--wait", "3");
        assertEquals(0, result.code(), result::toString);
        List<String> texts = new ArrayList<>();
        for (String line : result.lines()) {
            JsonNode message = JSON.readTree(line);
            assertEquals(group, message.path("group").asText(), line);
            texts.add(message.get("from").asText() + ": " + message.get("text").asText());
        }
        return texts;
    }

    @Test
    void threeBrowsersAndATerminalShareAGroup() throws Exception {
        Cli cli = new Cli(server.origin());
        Path dan = dir.resolve("dan");
        assertEquals(0, cli.run(dan, "register", "gx_dan").code());
        Page alice = browser("gx_alice");
        Page bob = browser("gx_bob");
        Page carol = browser("gx_carol");

        alice.getByTestId("new-group").click();
        alice.getByTestId("group-name-input").fill("Trip");
        for (String member : List.of("gx_bob", "gx_carol", "gx_dan")) {
            alice.getByTestId("group-member-" + member).check();
        }
        alice.getByTestId("group-create").click();
        assertThat(systemLine(alice, "change", "you created the group \"Trip\"")).isVisible();
        String group = alice.getByTestId("group-title").getAttribute("data-group-id");
        for (Page page : List.of(bob, carol)) {
            page.getByTestId("group-" + group).click();
            assertThat(systemLine(page, "change", "gx_alice created the group \"Trip\"")).isVisible();
        }
        assertEquals(List.of(), receive(cli, dan, group), "the terminal applies the create");

        // Everyone online; each message waits for the one before it, so the order is the same for all.
        type(alice, "one, from alice");
        awaitTimeline(bob, List.of("gx_alice: one, from alice"));
        type(bob, "two, from bob");
        awaitTimeline(carol, List.of("gx_alice: one, from alice", "gx_bob: two, from bob"));
        assertEquals(List.of("gx_alice: one, from alice", "gx_bob: two, from bob"), receive(cli, dan, group));
        assertEquals(0, cli.run(dan, "group", "send", group, "three, from dan").code());
        awaitTimeline(carol, List.of("gx_alice: one, from alice", "gx_bob: two, from bob", "gx_dan: three, from dan"));
        type(carol, "four, from carol");
        List<String> all = List.of("gx_alice: one, from alice", "gx_bob: two, from bob", "gx_dan: three, from dan",
                "gx_carol: four, from carol");
        awaitTimeline(alice, all);
        awaitTimeline(bob, all);
        awaitTimeline(carol, all);
        assertEquals(List.of("gx_carol: four, from carol"), receive(cli, dan, group));

        // Carol leaves the page: the backlog waits in her queue; the terminal is offline between commands.
        carol.navigate("about:blank");
        type(alice, "five, while carol is away");
        awaitTimeline(bob, append(all, "gx_alice: five, while carol is away"));
        type(bob, "six, also while away");
        awaitTimeline(alice, append(all, "gx_alice: five, while carol is away", "gx_bob: six, also while away"));
        carol.navigate(server.origin() + "/");
        assertThat(carol.getByTestId("connection-status")).hasAttribute("data-state", "online");
        carol.getByTestId("group-" + group).click();
        List<String> withBacklog = append(all, "gx_alice: five, while carol is away", "gx_bob: six, also while away");
        awaitTimeline(carol, withBacklog);
        assertEquals(List.of("gx_alice: five, while carol is away", "gx_bob: six, also while away"), receive(cli, dan, group));
        assertThat(alice.getByTestId("message-list").getByTestId("group-receipt-summary").last())
                .containsText("delivered to 3 of 3");

        // A member who is no admin injects changes through its own client: every browser refuses them.
        var malloryEvents = new RecordingListener();
        try (ParleyClient mallory = ParleyClient.open(dir.resolve("mallory"), malloryEvents)) {
            mallory.register(address, "gx_mallory");
            alice.getByTestId("group-members").click();
            alice.getByTestId("group-add-member").click();
            alice.getByTestId("group-member-gx_mallory").check();
            alice.getByTestId("group-add-confirm").click();
            GroupKit.awaitVersion(group, 2, mallory);
            GroupState v2 = GroupKit.state(mallory, group);
            List<String> members = List.of("gx_alice", "gx_bob", "gx_carol");
            GroupKit.inject(mallory, GroupChange.next(GroupKit.identity(mallory), "gx_mallory", v2,
                    new GroupOp.Remove(List.of("gx_alice"))), members);
            for (Page page : List.of(alice, bob, carol)) {
                assertThat(systemLine(page, "warning", "by gx_mallory (version 3) was refused: its author is not an admin")).isVisible();
            }
            GroupState held = GroupKit.state(mallory, group);
            assertEquals(2, held.version());
            assertTrue(held.isMember("gx_alice"), "mallory's own client did not apply its forged change");
        }
        type(bob, "seven, after the forgery");
        for (Page page : List.of(alice, carol)) {
            assertThat(page.getByTestId("message-list").getByTestId("message").last()).hasAttribute("data-sender", "gx_bob");
            assertThat(page.getByTestId("message-list").getByTestId("message").last()).containsText("seven, after the forgery");
        }
        assertEquals(List.of("gx_bob: seven, after the forgery"), receive(cli, dan, group));
    }

    private static List<String> append(List<String> list, String... more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }
}
