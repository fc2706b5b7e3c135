package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.UndeliveredStore;
import dev.parley.protocol.payload.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Texts that a contact's account reset left {@link MessageStatus#UNDELIVERED} (marked by
 * {@link UndeliveredStore} when the new identity is observed), and sending them again.
 *
 * <p>Resending needs the new identity accepted by the usual trust rules: an unverified
 * contact's new identity is used at once; a verified contact's ({@link Contact.Trust#CHANGED})
 * only after the user verified the new safety number. Each text becomes a new message (new id,
 * the current time) queued in the outbox in the original order; the old text records the copy's
 * id in the same transaction that queues the copy, so a text is resent once even if the process
 * dies mid-way, and nothing is lost.
 */
final class UndeliveredTexts {

    private final ClientStore store;
    private final Outbox outbox;
    private final Function<String, Payload.Text> newText;

    /** {@code newText} makes a new message of a text: a fresh id, sent now. */
    UndeliveredTexts(ClientStore store, Outbox outbox, Function<String, Payload.Text> newText) {
        this.store = store;
        this.outbox = outbox;
        this.newText = newText;
    }

    List<UndeliveredMessage> list(String contact) {
        return store.undelivered.list(contact);
    }

    /** Queues a copy of every undelivered text to {@code contact}, in order; returns the copies' ids. */
    synchronized List<String> resend(String contact) throws ClientException {
        Optional<Contact> known = store.contact(contact);
        if (known.isPresent() && known.get().trust() == Contact.Trust.CHANGED) {
            throw Identities.refusal(known.get());
        }
        List<String> copies = new ArrayList<>();
        try {
            for (UndeliveredMessage old : list(contact)) {
                Payload.Text copy = newText.apply(old.text());
                outbox.queueText(contact, copy, () -> store.undelivered.markResent(contact, old.id(), copy.id()));
                copies.add(copy.id());
            }
        } finally {
            outbox.pump();
        }
        return copies;
    }
}
