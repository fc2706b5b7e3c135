package dev.parley.client.interop;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.client.ClientException;
import dev.parley.client.ContentMessage;
import dev.parley.client.ControlEvent;
import dev.parley.client.ConversationRef;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.RecordingListener;
import dev.parley.protocol.payload.Quote;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java client and the full web client exchange replies, edits, reactions and deletes
 * through a real server, each applying the other's controls (the web client driven through the
 * data-testids of docs/TESTING.md in headless Chromium).
 */
class ContentInteropTest extends InteropTest {

    private static Locator byId(Page page, String id) {
        return page.locator("[data-testid=message][data-id=\"" + id + "\"]");
    }

    private static void menu(Page page, String id, String action) {
        byId(page, id).hover();
        page.getByTestId("message-actions-" + id).click();
        page.getByTestId(action + "-" + id).click();
    }

    @Test
    void replyEditReactionAndDeleteBetweenTheCliClientAndABrowser() throws Exception {
        var events = new RecordingListener();
        try (ParleyClient java = ParleyClient.open(dir.resolve("java"), events)) {
            java.register(address, "ci_java");
            ConversationRef withWeb = ConversationRef.user("ci_web");

            Page page = chromium.newPage();
            page.setDefaultTimeout(30_000);
            page.navigate(server.origin() + "/");
            page.getByTestId("register-username").fill("ci_web");
            page.getByTestId("register-submit").click();
            assertThat(page.getByTestId("recovery-code")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
            page.getByTestId("recovery-done").click();
            assertThat(page.getByTestId("connection-status")).hasAttribute("data-state", "online");
            page.getByTestId("contact-ci_java").click();

            type(page, "where shall we meet?");
            IncomingMessage question = events.messages.poll(30, TimeUnit.SECONDS);
            assertEquals("where shall we meet?", question.text());

            // Java replies quoting the browser's message; the browser shows the quote.
            String answer = java.conversations().reply(withWeb, new Quote("ci_web", question.id()), "at the station");
            Locator reply = byId(page, answer);
            assertThat(reply.getByTestId("message-quote")).hasAttribute("data-quoted-id", question.id());
            assertThat(reply.getByTestId("message-quote")).containsText("where shall we meet?");

            // The browser reacts to it; Java holds one reaction of ci_web.
            menu(page, answer, "react");
            page.locator("[data-testid=emoji-option][data-emoji=\"👍\"]").click();
            ControlEvent reaction = events.nextControl();
            assertEquals(List.of("REACTION", "ci_web", "ci_java", answer, "👍"), List.of(reaction.kind().name(),
                    reaction.from(), reaction.targetAuthor(), reaction.target(), reaction.emoji()));
            assertEquals(Map.of("ci_web", "👍"), message(java, withWeb, "ci_java", answer).reactions());

            // Java edits its reply; the browser shows the new text, edited.
            java.conversations().edit(withWeb, answer, "at the north entrance of the station");
            assertThat(reply.getByTestId("message-text")).hasText("at the north entrance of the station");
            assertThat(reply.getByTestId("message-edited")).isVisible();

            // The browser replies to the reply and edits its first message; Java gets the quote and the new text.
            menu(page, answer, "reply");
            type(page, "see you there");
            ContentMessage webReply = events.nextContent();
            assertEquals(List.of("ci_web", "see you there", "ci_java", answer), List.of(webReply.from(),
                    webReply.text(), webReply.quote().author(), webReply.quote().id()));
            menu(page, question.id(), "edit");
            Locator input = page.getByTestId("message-input");
            input.fill("where shall we meet tomorrow?");
            input.press("Enter");
            assertEquals(question.id(), events.nextControl().target());
            ContentMessage edited = message(java, withWeb, "ci_web", question.id());
            assertEquals("where shall we meet tomorrow?", edited.text());
            assertTrue(edited.edited());

            // Java reacts to the browser's message; then each deletes its own.
            java.conversations().react(withWeb, "ci_web", webReply.id(), "🎉");
            assertThat(byId(page, webReply.id()).locator("[data-testid=reaction][data-emoji=\"🎉\"]"))
                    .hasAttribute("data-count", "1");
            java.conversations().delete(withWeb, answer);
            assertThat(reply.getByTestId("message-deleted")).hasText("message deleted");
            assertThat(reply.getByTestId("message-text")).hasCount(0);
            menu(page, question.id(), "delete");
            assertEquals(ControlEvent.Kind.DELETE, events.nextControl().kind());
            ContentMessage deleted = message(java, withWeb, "ci_web", question.id());
            assertTrue(deleted.deleted() && deleted.text().isEmpty(), deleted.toString());
            assertTrue(events.refusedControls.isEmpty(), events.refusedControls::toString);
            assertTrue(events.undecryptable.isEmpty(), events.undecryptable::toString);
        }
    }

    private static ContentMessage message(ParleyClient java, ConversationRef conversation, String author, String id)
            throws ClientException {
        return java.conversations().message(conversation, author, id).orElseThrow();
    }
}
