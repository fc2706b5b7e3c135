package dev.parley.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ClientException;
import dev.parley.client.ContentMessage;
import dev.parley.client.ControlEvent;
import dev.parley.client.ConversationRef;
import dev.parley.client.GroupEntry;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.SentElsewhere;
import dev.parley.protocol.attachments.AttachmentPointer;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON lines {@code parley receive} prints (docs/CLIENT.md, {@code receive}): one per
 * message received, sent by another device of this account, or received in a group, with what a
 * message adds ({@code replyTo}, {@code expiresIn}, {@code attachment}); and one per control
 * applied ({@code kind}).
 */
final class ReceiveLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ParleyClient client;
    /** With {@code --files}: saves each attachment and adds the outcome to its line; null without. */
    private final ReceivedFiles files;

    ReceiveLines(ParleyClient client) {
        this(client, null);
    }

    ReceiveLines(ParleyClient client, ReceivedFiles files) {
        this.client = client;
        this.files = files;
    }

    /** {@code {"from","device","id","text","sentAt"}} and the message's additions. */
    ObjectNode received(IncomingMessage message) throws ClientException {
        ObjectNode line = JSON.createObjectNode().put("from", message.from()).put("device", message.device())
                .put("id", message.id()).put("text", message.text()).put("sentAt", message.sentAt());
        return withContent(line, ConversationRef.user(message.from()), message.from(), message.id());
    }

    /** {@code {"from" (this account),"device","to","id","text","sentAt"}}: sent by another device of this account. */
    ObjectNode sentElsewhere(String self, SentElsewhere sent) throws ClientException {
        ObjectNode line = JSON.createObjectNode().put("from", self).put("device", sent.device()).put("to", sent.to())
                .put("id", sent.id()).put("text", sent.text()).put("sentAt", sent.sentAt());
        return withContent(line, ConversationRef.user(sent.to()), self, sent.id());
    }

    /** {@code {"group","from","device","id","text","sentAt"}}. */
    ObjectNode group(GroupEntry message) throws ClientException {
        ObjectNode line = JSON.createObjectNode().put("group", message.group()).put("from", message.from())
                .put("device", message.device()).put("id", message.id()).put("text", message.text())
                .put("sentAt", message.sentAt());
        return withContent(line, ConversationRef.group(message.group()), message.from(), message.id());
    }

    /**
     * {@code {"kind","from","device","id","target", "text" | "author","emoji" | "seconds"}}, with
     * {@code "group"} in a group and {@code "to"} for one this account's other device sent.
     */
    ObjectNode control(ControlEvent control) {
        ObjectNode line = JSON.createObjectNode().put("kind", control.kind().name().toLowerCase(Locale.ROOT));
        ConversationRef conversation = control.conversation();
        if (conversation.isGroup()) {
            line.put("group", conversation.group());
        }
        line.put("from", control.from()).put("device", control.device());
        if (!conversation.isGroup() && !conversation.user().equals(control.from())) {
            line.put("to", conversation.user());
        }
        line.put("id", control.id());
        switch (control.kind()) {
            case EDIT -> line.put("target", control.target()).put("text", control.text());
            case DELETE -> line.put("target", control.target());
            case REACTION -> line.put("target", control.target()).put("author", control.targetAuthor())
                    .put("emoji", control.emoji());
            case TIMER -> line.put("seconds", control.seconds());
        }
        return line;
    }

    /** Adds {@code replyTo}, {@code expiresIn} and {@code attachment} for a message that has them. */
    private ObjectNode withContent(ObjectNode line, ConversationRef conversation, String author, String id)
            throws ClientException {
        Optional<ContentMessage> held = client.conversations().message(conversation, author, id);
        if (held.isEmpty()) {
            return line;
        }
        ContentMessage message = held.get();
        if (message.quote() != null) {
            line.putObject("replyTo").put("author", message.quote().author()).put("id", message.quote().id());
        }
        if (message.expireSeconds() > 0) {
            line.put("expiresIn", message.expireSeconds());
        }
        AttachmentPointer attachment = message.attachment();
        if (attachment != null) {
            line.putObject("attachment").put("fileName", attachment.fileName()).put("contentType", attachment.contentType())
                    .put("size", attachment.size());
            if (files != null) {
                files.save(message, line);
            }
        }
        if (message.edited()) {
            line.put("edited", true);
        }
        return line;
    }
}
