package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.limits.FrameRates;
import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.MultiAppendResult;
import dev.parley.server.storage.OutgoingMessage;
import dev.parley.server.storage.OutgoingMulti;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StoredMessage;
import io.github.bucket4j.TimeMeter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mailbox in cluster mode (notifications out of commit order): a copy stored on this node is
 * relayed from its notification, without reading the queue, only when every copy pending before
 * it was relayed already ({@link StoredMessage#previousPending}); otherwise the queue is read, so
 * that a lower copy committed on another node, whose notification is still on its way, goes out
 * first. Events run on the caller's thread here, so every step has taken effect when it returns.
 */
class ClusterMailboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> relayed = new ArrayList<>();
    private final QueueStore store = new QueueStore();
    private Mailbox mailbox;

    @BeforeEach
    void loggedIn() {
        ClientConnection.Transport transport = new ClientConnection.Transport() {
            @Override
            public void sendText(String text, Runnable whenLeft) {
                try {
                    relayed.add(JSON.readTree(text).path("id").asText());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                whenLeft.run();
            }

            @Override
            public void demand() {
            }

            @Override
            public void close(int statusCode, String reason) {
            }

            @Override
            public void disconnect() {
            }
        };
        var connection = new ClientConnection(1, "127.0.0.1", transport, ConnectionLimits.defaults(),
                new FrameRates(10, 10, TimeMeter.SYSTEM_MILLISECONDS), new LongAdder(), (c, why) -> { });
        connection.authenticate("bob", 1, true);
        mailbox = new Mailbox(connection, store, 10, Runnable::run, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), false);
        mailbox.start();
        assertEquals(1, store.reads, "the replay at login reads the queue");
    }

    @Test
    void aCopyWhosePredecessorsWereRelayedGoesOutWithoutARead() {
        mailbox.stored(store.commit(5, 0));
        mailbox.stored(store.commit(8, 5));
        assertEquals(List.of("m5", "m8"), relayed);
        assertEquals(1, store.reads, "reads after the replay");
    }

    @Test
    void aLowerCopyFromAnotherNodeIsReadAndRelayedFirst() {
        mailbox.stored(store.commit(5, 0));
        store.commit(7, 5); // committed on another node; its notification has not arrived
        mailbox.stored(store.commit(9, 7));
        assertEquals(List.of("m5", "m7", "m9"), relayed);
        assertEquals(2, store.reads, "reads after the replay");
    }

    @Test
    void aCopyWithoutItsPredecessorMakesTheMailboxReadTheQueue() {
        store.commit(3, 0); // another node's, not yet told
        mailbox.stored(store.commit(4, StoredMessage.PREVIOUS_UNKNOWN));
        assertEquals(List.of("m3", "m4"), relayed);
        assertEquals(2, store.reads, "reads after the replay");
    }

    /** bob's device 1's queue: the copies committed so far, and how often it was read. */
    private static final class QueueStore implements MessageStore {

        final List<StoredMessage> queue = new ArrayList<>();
        int reads;

        /** Commits the copy {@code seq} (id "m" and its seq) and returns it as its store would notify it. */
        StoredMessage commit(long seq, long previousPending) {
            var copy = new StoredMessage(seq, "bob", 1, "alice", 1, "m" + seq, "AAAA", null, 0, false, previousPending);
            queue.add(copy);
            return copy;
        }

        @Override
        public List<StoredMessage> pending(String recipient, int device, long afterSeq, int limit, long now) {
            reads++;
            return queue.stream().filter(copy -> copy.seq() > afterSeq).limit(limit).toList();
        }

        @Override
        public CompletableFuture<Void> flush() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<AppendResult> append(OutgoingMessage message, QueueLimits limits) {
            throw new UnsupportedOperationException("a mailbox only reads its queue");
        }

        @Override
        public CompletableFuture<MultiAppendResult> appendMulti(OutgoingMulti message, QueueLimits limits) {
            throw new UnsupportedOperationException("a mailbox only reads its queue");
        }

        @Override
        public CompletableFuture<Boolean> acknowledge(String recipient, int device, String sender, String messageId) {
            throw new UnsupportedOperationException("a mailbox only reads its queue");
        }

        @Override
        public CompletableFuture<Integer> purgeExpired(long now) {
            throw new UnsupportedOperationException("a mailbox only reads its queue");
        }

        @Override
        public OptionalLong earliestExpiry() {
            return OptionalLong.empty();
        }
    }
}
