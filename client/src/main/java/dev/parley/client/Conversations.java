package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ContentStore;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversations, 1:1 and groups alike ({@link ParleyClient#conversations()}; docs/CLIENT.md,
 * "Message content and controls"): messages with quotes, attachments and timers, edits,
 * deletes, reactions, disappearing messages, and search over the history held here. A
 * conversation is a {@link ConversationRef}: a username, or a group by its id or unique name.
 * Sending follows {@link ParleyClient#send}: committed first, then sent by the outbox. A control
 * this account may not make (someone else's message, more than 24 hours old, not held here) is
 * REFUSED before anything is queued.
 */
public final class Conversations {

    /** Search results returned at most. */
    public static final int MAX_HITS = 50;

    private final ClientStore store;
    private final ContentSender sender;
    private final OwnDevicesSync sync;

    Conversations(ClientStore store, ContentSender sender, OwnDevicesSync sync) {
        this.store = store;
        this.sender = sender;
        this.sync = sync;
    }

    /**
     * Sends a draft (text, quote, attachment pointer) with the conversation's timer; returns its
     * id, once the server stored it when connected, at once otherwise. A plain text in a
     * conversation without a timer goes as a text (0x01), as {@link ParleyClient#send}.
     */
    public String send(ConversationRef to, MessageDraft draft) throws ClientException {
        return sender.send(to, draft);
    }

    /** Sends {@code text} quoting {@code quote} (its author and id; it need not be held here). */
    public String reply(ConversationRef to, Quote quote, String text) throws ClientException {
        return send(to, MessageDraft.text(text).withQuote(quote));
    }

    /** Replaces the text of one of this account's messages (within 24 hours of it); returns the edit's id. */
    public String edit(ConversationRef conversation, String id, String text) throws ClientException {
        return sender.control(conversation, (own, at) -> new Payload.Edit(own, at, id, text));
    }

    /** Deletes one of this account's messages for everyone (within 24 hours): text, quote and attachment are erased. */
    public String delete(ConversationRef conversation, String id) throws ClientException {
        return sender.control(conversation, (own, at) -> new Payload.Delete(own, at, id));
    }

    /** Reacts to {@code author}'s message {@code id} with {@code emoji} (replacing this account's reaction; "" removes it). */
    public String react(ConversationRef conversation, String author, String id, String emoji) throws ClientException {
        return sender.control(conversation, (own, at) -> new Payload.Reaction(own, at, author, id, emoji));
    }

    /** Sets the conversation's timer for everyone in it (zero: off; at most 4 weeks, whole seconds). */
    public String setTimer(ConversationRef conversation, Duration timer) throws ClientException {
        if (timer.isNegative() || timer.toMillis() % 1000 != 0 || timer.toSeconds() > Integer.MAX_VALUE) {
            throw new ClientException(Reason.REFUSED, "a timer is a whole number of seconds, 0 (off) to 4 weeks");
        }
        int seconds = (int) timer.toSeconds();
        return sender.control(conversation, (own, at) -> new Payload.Timer(own, at, seconds));
    }

    /** The conversation's timer (zero: off). */
    public Duration timer(ConversationRef conversation) throws ClientException {
        return Duration.ofSeconds(sender.timer(sender.resolved(conversation)));
    }

    /** The message {@code (author, id)} of the conversation as held here now, if it is (expired ones are gone). */
    public Optional<ContentMessage> message(ConversationRef conversation, String author, String id) throws ClientException {
        return ContentViews.load(store, sender.resolved(conversation), self(), author, id);
    }

    /** The system lines of a 1:1 conversation ("bob set disappearing messages to 1 hour"); a group's are in its history. */
    public List<String> systemLines(String user) {
        return store.content.lines(ContentStore.user(user));
    }

    /**
     * Searches the texts of every conversation held here (1:1 and groups; edited texts as they are
     * now; deleted and expired ones are gone): every word of {@code query} must occur (word
     * prefixes do not count). Best matches first, at most {@link #MAX_HITS}. Nothing is sent.
     */
    public List<SearchHit> search(String query) throws ClientException {
        List<String> words = new ArrayList<>();
        for (String word : query.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add("\"" + word.replace("\"", "\"\"") + "\"");
            }
        }
        if (words.isEmpty()) {
            throw new ClientException(Reason.REFUSED, "search for at least one word");
        }
        String self = self();
        return store.content.search(String.join(" ", words), MAX_HITS).stream().map(hit -> new SearchHit(
                hit.conv().startsWith("g:") ? ConversationRef.group(hit.conv().substring(2))
                        : ConversationRef.user(hit.conv().substring(2)),
                hit.author() == null ? self : hit.author(), hit.id(), hit.sentAt(), hit.snippet())).toList();
    }

    private String self() throws ClientException {
        String self = sync.self();
        if (self == null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home has no account");
        }
        return self;
    }
}
