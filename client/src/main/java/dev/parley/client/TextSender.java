package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore.OutboxEntry;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.payload.Payload;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * {@link ParleyClient#send}: one text, committed to the store before anything goes out.
 * Connected, it waits for the server's stored ack; disconnected, it returns at once with the
 * text pending, in the outbox (encrypted) or, for a contact without a session, deferred until
 * the next connect can fetch their prekeys.
 */
final class TextSender {

    private final Outbox outbox;
    private final DeferredSends deferred;
    private final Randomness randomness;
    private final Clock clock;
    private final Duration ackTimeout;
    private final BooleanSupplier connected;

    TextSender(Outbox outbox, DeferredSends deferred, Randomness randomness, Clock clock, Duration ackTimeout,
            BooleanSupplier connected) {
        this.outbox = outbox;
        this.deferred = deferred;
        this.randomness = randomness;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
        this.connected = connected;
    }

    String send(Messaging messaging, String to, String text) throws ClientException {
        boolean online = connected.getAsBoolean();
        Payload.Text payload = new Payload.Text(MessageIds.random(randomness), clock.millis(), text);
        OutboxEntry entry;
        try {
            entry = messaging.encryptAndQueue(to, payload);
        } catch (ClientException e) {
            if (e.reason() != Reason.SERVER_UNREACHABLE) {
                throw e;
            }
            deferred.defer(to, payload); // no session, and no server to start one: encrypted on the next connect
            if (connected.getAsBoolean()) {
                deferred.encryptAll().forEach(outbox::transmit); // a connect that just happened may have missed it
            }
            return payload.id();
        }
        if ("afterOutboxCommit".equals(System.getProperty(ParleyClient.HALT_PROPERTY))) {
            Runtime.getRuntime().halt(86);
        }
        if (online) {
            outbox.awaitStored(entry, ackTimeout);
        } else {
            outbox.transmit(entry); // a connect that read the outbox just before the commit missed it
        }
        return payload.id();
    }
}
