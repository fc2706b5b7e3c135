package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.OutboxEntry;
import dev.parley.client.store.UndeliveredStore;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.payload.Payload;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Texts that a contact's account reset left {@link MessageStatus#UNDELIVERED} (marked by
 * {@link UndeliveredStore} when the new identity is observed), and sending them again.
 *
 * <p>Resending needs the new identity accepted by the usual trust rules: an unverified
 * contact's new identity is used at once; a verified contact's ({@link Contact.Trust#CHANGED})
 * only after the user verified the new safety number. Each text becomes a new message (new id,
 * the current time) to the new identity, queued in the original order; the old text records the
 * copy's id in the same transaction that queues the copy, so a text is resent once even if the
 * process dies mid-way, and nothing is lost (the copies are in the outbox, or kept as text until
 * a session can start, exactly like {@link ParleyClient#send}).
 */
final class UndeliveredTexts {

    private final ClientStore store;
    private final Outbox outbox;
    private final DeferredSends deferred;
    private final Randomness randomness;
    private final Clock clock;
    private final BooleanSupplier connected;

    UndeliveredTexts(ClientStore store, Outbox outbox, DeferredSends deferred, Randomness randomness, Clock clock,
            BooleanSupplier connected) {
        this.store = store;
        this.outbox = outbox;
        this.deferred = deferred;
        this.randomness = randomness;
        this.clock = clock;
        this.connected = connected;
    }

    List<UndeliveredMessage> list(String contact) {
        return store.undelivered().list(contact);
    }

    /**
     * Queues a copy of every undelivered text to {@code contact}, in order, and sends the
     * copies; returns their new ids. The server's stored acks arrive later ({@link
     * ParleyListener#onSent}). On a failure the texts already queued stay queued and the rest
     * stay undelivered, to be resent by a later call.
     */
    synchronized List<String> resend(Messaging messaging, String contact) throws ClientException {
        Optional<Contact> known = store.contact(contact);
        if (known.isPresent() && known.get().trust() == Contact.Trust.CHANGED) {
            throw Identities.refusal(known.get());
        }
        List<String> copies = new ArrayList<>();
        List<OutboxEntry> queued = new ArrayList<>();
        boolean deferring = false;
        try {
            for (UndeliveredMessage old : list(contact)) {
                Payload.Text copy = new Payload.Text(MessageIds.random(randomness), clock.millis(), old.text());
                Runnable markResent = () -> store.undelivered().markResent(contact, old.id(), copy.id());
                if (!deferring) {
                    try {
                        queued.add(messaging.encryptAndQueue(contact, copy, markResent));
                        copies.add(copy.id());
                        continue;
                    } catch (ClientException e) {
                        if (e.reason() != Reason.SERVER_UNREACHABLE) {
                            throw e;
                        }
                        deferring = true; // no session and no server to start one: this and the rest wait, in order
                    }
                }
                store.transaction(() -> {
                    deferred.defer(contact, copy);
                    markResent.run();
                });
                copies.add(copy.id());
            }
        } finally {
            queued.forEach(outbox::transmit);
            if (deferring && connected.getAsBoolean()) {
                deferred.encryptAll().forEach(outbox::transmit); // a connect that just happened may have missed them
            }
        }
        return copies;
    }
}
