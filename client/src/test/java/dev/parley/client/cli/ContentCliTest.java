package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ConversationRef;
import dev.parley.client.MessageDraft;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.attachments.AttachmentPointer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code parley reply|edit|delete|react|timer|search} and the {@code receive} lines they make, end to end, in-process. */
class ContentCliTest extends CliServerTest {

    @Test
    void replyEditReactDeleteTimerAndSearchOneToOneAndInAGroup() throws Exception {
        Path ann = dir.resolve("ann");
        Path ben = dir.resolve("ben");
        ok(cli.run(ann, "register", "ccli_ann"));
        ok(cli.run(ben, "register", "ccli_ben"));

        String question = ok(cli.run(ben, "send", "ccli_ann", "dinner", "tonight?")).out().strip();
        assertEquals(question, json(ok(cli.run(ann, "receive", "--wait", "2")).lines().getFirst()).get("id").asText());
        String reply = ok(cli.run(ann, "reply", "ccli_ben", "ccli_ben", question, "yes", "please")).out().strip();
        assertTrue(reply.matches("[A-Za-z0-9_-]{22}"), reply);
        JsonNode replied = json(ok(cli.run(ben, "receive", "--wait", "2")).lines().getFirst());
        assertEquals(List.of("ccli_ann", reply, "yes please", "ccli_ben", question), List.of(replied.get("from").asText(),
                replied.get("id").asText(), replied.get("text").asText(), replied.get("replyTo").get("author").asText(),
                replied.get("replyTo").get("id").asText()));

        ok(cli.run(ann, "edit", "ccli_ben", reply, "yes,", "at", "eight"));
        ok(cli.run(ann, "react", "ccli_ben", "ccli_ben", question, "👍"));
        List<String> controls = ok(cli.run(ben, "receive", "--wait", "2")).lines();
        assertEquals(2, controls.size(), controls::toString);
        JsonNode edit = json(controls.get(0));
        assertEquals(List.of("edit", "ccli_ann", "1", reply, "yes, at eight"), List.of(edit.get("kind").asText(),
                edit.get("from").asText(), edit.get("device").asText(), edit.get("target").asText(), edit.get("text").asText()));
        JsonNode reaction = json(controls.get(1));
        assertEquals(List.of("reaction", question, "ccli_ben", "👍"), List.of(reaction.get("kind").asText(),
                reaction.get("target").asText(), reaction.get("author").asText(), reaction.get("emoji").asText()));

        Cli.Result notHis = cli.run(ben, "edit", "ccli_ann", reply, "forged");
        assertEquals(9, notHis.code(), notHis::toString);
        assertTrue(notHis.err().contains("only its author may change it"), notHis::toString);
        Cli.Result neither = cli.run(ben, "react", "ccli_ann", "ccli_ann", reply);
        assertEquals(9, neither.code(), neither::toString);

        ok(cli.run(ann, "delete", "ccli_ben", reply));
        ok(cli.run(ann, "timer", "ccli_ben", "5m"));
        Cli.Result badTimer = cli.run(ann, "timer", "ccli_ben", "soon");
        assertEquals(9, badTimer.code(), badTimer::toString);
        String gone = ok(cli.run(ann, "send", "ccli_ben", "gone", "in", "five")).out().strip();
        List<String> later = ok(cli.run(ben, "receive", "--wait", "2")).lines();
        assertEquals(List.of("delete", "timer"), later.stream().filter(l -> json(l).has("kind"))
                .map(l -> json(l).get("kind").asText()).toList(), later::toString);
        assertEquals(300, later.stream().map(CliServerTest::json).filter(l -> l.has("seconds")).findFirst().orElseThrow()
                .get("seconds").asInt());
        JsonNode disappearing = later.stream().map(CliServerTest::json).filter(l -> l.has("text")).findFirst().orElseThrow();
        assertEquals(List.of(gone, "300"), List.of(disappearing.get("id").asText(), disappearing.get("expiresIn").asText()));

        assertEquals(List.of(), ok(cli.run(ben, "search", "eight")).lines(), "the deleted reply is not found");
        List<String> found = ok(cli.run(ben, "search", "DINNER")).lines();
        assertEquals(1, found.size(), found::toString);
        JsonNode hit = json(found.getFirst());
        assertEquals(List.of("ccli_ann", "ccli_ben", question, "[dinner] tonight?"), List.of(hit.get("with").asText(),
                hit.get("from").asText(), hit.get("id").asText(), hit.get("text").asText()));
        // Search syntax in the words is taken literally: a quote, a star, NEAR, a column name.
        assertEquals(found, ok(cli.run(ben, "search", "\"dinner")).lines());
        assertEquals(List.of(), ok(cli.run(ben, "search", "dinner*", "NEAR", "text:")).lines());

        // An attachment pointer (sent with the SDK: 'send-file' uploads the file first) shows in the line.
        try (ParleyClient sdk = ParleyClient.open(ann)) {
            sdk.connect(null);
            sdk.conversations().send(ConversationRef.user("ccli_ben"), MessageDraft.text("the menu").withAttachment(
                    new AttachmentPointer("AAAAAAAAAAAAAAAAAAAAAA", new byte[32], new byte[32], 1234, "application/pdf", "menu.pdf",
                            0, 0, new byte[0])));
        }
        JsonNode withFile = json(ok(cli.run(ben, "receive", "--wait", "2")).lines().getFirst());
        assertEquals(List.of("the menu", "menu.pdf", "application/pdf", "1234"), List.of(withFile.get("text").asText(),
                withFile.get("attachment").get("fileName").asText(), withFile.get("attachment").get("contentType").asText(),
                withFile.get("attachment").get("size").asText()));

        String group = ok(cli.run(ann, "group", "create", "crew", "--members", "ccli_ben")).out().strip();
        String hello = ok(cli.run(ann, "group", "send", "crew", "hi", "crew")).out().strip();
        ok(cli.run(ben, "receive", "--wait", "2"));
        String answer = ok(cli.run(ben, "reply", "--group", group, "ccli_ann", hello, "hey")).out().strip();
        JsonNode groupReply = json(ok(cli.run(ann, "receive", "--wait", "2")).lines().getFirst());
        assertEquals(List.of(group, "ccli_ben", "hey", hello), List.of(groupReply.get("group").asText(),
                groupReply.get("from").asText(), groupReply.get("text").asText(), groupReply.get("replyTo").get("id").asText()));
        ok(cli.run(ann, "react", "--group", "crew", "ccli_ben", answer, "🎉"));
        List<String> atBen = ok(cli.run(ben, "receive", "--wait", "2")).lines();
        JsonNode groupReaction = json(atBen.getLast());
        assertEquals(List.of("reaction", group, "ccli_ann", answer, "🎉"), List.of(groupReaction.get("kind").asText(),
                groupReaction.get("group").asText(), groupReaction.get("from").asText(), groupReaction.get("target").asText(),
                groupReaction.get("emoji").asText()), atBen::toString);
    }
}
