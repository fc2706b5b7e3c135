package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.net.ServerAddress;
import dev.parley.server.testing.TestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SDK behaviour against a real server. */
class ParleyClientTest extends ServerTest {

    @Test
    void oneTimePreKeysAreReplenishedWhenTheServerSaysTheyRunLow() throws Exception {
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"));
                TestClient drainer = TestClient.registered(server, "pk_drainer")) {
            alice.register(address, "pk_alice");
            // 100 one-time X25519 and 20 ML-KEM keys were uploaded; 85 fetches leave 15 and 0.
            for (int i = 0; i < 85; i++) {
                JsonNode bundle = bundleOf(drainer, "pk_alice");
                assertTrue(bundle.has("oneTimePreKey"), "fetch " + i);
            }
            Thread.sleep(2000); // prekeys_low reached alice; she uploads a new batch
            JsonNode next = bundleOf(drainer, "pk_alice");
            assertEquals("one-time", next.path("kemPreKey").path("kind").asText(), "one-time KEM keys replenished");
            for (int i = 0; i < 30; i++) {
                assertTrue(bundleOf(drainer, "pk_alice").has("oneTimePreKey"), "one-time X25519 keys replenished, fetch " + i);
            }
        }
    }

    private static JsonNode bundleOf(TestClient client, String user) {
        JsonNode answer = client.request(TestClient.JSON.createObjectNode().put("type", "get_prekey_bundle").put("username", user)
                .put("device", 1));
        assertEquals("prekey_bundle", answer.path("type").asText(), answer::toString);
        return answer.path("bundle");
    }

    @Test
    void aVerifiedContactsResetIsPushedAndBlocksSending() throws Exception {
        var aliceEvents = new RecordingListener();
        RecoveryCode bobCode = registered("bob", "ic_bob");
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents)) {
            alice.register(address, "ic_alice");
            alice.send("ic_bob", "hello");
            alice.verify("ic_bob", alice.safetyNumber("ic_bob").digits());
            assertEquals(Contact.Trust.VERIFIED, alice.contact("ic_bob").orElseThrow().trust());

            try (ParleyClient newBob = ParleyClient.open(dir.resolve("bob-new"))) {
                newBob.reset(address, "ic_bob", bobCode.display());
            }
            Contact changed = aliceEvents.identityChanges.poll(10, TimeUnit.SECONDS);
            assertNotNull(changed, "the directory push announces the new identity");
            assertEquals(Contact.Trust.CHANGED, changed.trust());
            ClientException refused = assertThrows(ClientException.class, () -> alice.send("ic_bob", "still you?"));
            assertEquals(ClientException.Reason.IDENTITY_CHANGED, refused.reason());
            assertEquals(0, alice.outboxSize(), "nothing was encrypted for the new identity");

            ClientException wrong = assertThrows(ClientException.class, () -> alice.verify("ic_bob", "0".repeat(60)));
            assertEquals(ClientException.Reason.SAFETY_NUMBER_MISMATCH, wrong.reason());
            alice.verify("ic_bob", alice.safetyNumber("ic_bob").digits());
            alice.send("ic_bob", "welcome back");
        }
        var bobEvents = new RecordingListener();
        try (ParleyClient newBob = ParleyClient.open(dir.resolve("bob-new"), bobEvents)) {
            newBob.connect(null);
            IncomingMessage message = bobEvents.messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message);
            assertEquals("welcome back", message.text());
            assertNull(bobEvents.messages.poll(500, TimeUnit.MILLISECONDS), "the message sent to the old identity was dropped");
        }
    }

    @Test
    void textsLeftUndeliveredByAContactsResetAreReportedAndResentOnceInOrder() throws Exception {
        var aliceEvents = new RecordingListener();
        RecoveryCode bobCode = registered("bob", "un_bob");
        List<String> old = new ArrayList<>();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents)) {
            alice.register(address, "un_alice");
            old.add(alice.send("un_bob", "first"));
            old.add(alice.send("un_bob", "second"));
            alice.verify("un_bob", alice.safetyNumber("un_bob").digits());
        }
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents)) {
            old.add(alice.send("un_bob", "third")); // not connected: kept in the outbox as text, not encrypted yet
            assertEquals(MessageStatus.SENDING, alice.status("un_bob", old.get(2)).orElseThrow());
        }
        try (ParleyClient newBob = ParleyClient.open(dir.resolve("bob-new"))) {
            newBob.reset(address, "un_bob", bobCode.display()); // the server drops first and second
        }

        List<String> copies;
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents)) {
            alice.connect(null); // the directory shows the new identity
            List<String> stored = old.subList(0, 2);
            assertEquals("un_bob:" + stored, aliceEvents.undelivered.poll(10, TimeUnit.SECONDS));
            for (String id : stored) {
                assertEquals(MessageStatus.UNDELIVERED, alice.status("un_bob", id).orElseThrow(), id);
            }
            assertEquals(MessageStatus.SENDING, alice.status("un_bob", old.get(2)).orElseThrow(),
                    "not encrypted yet: it waits for the new identity to be accepted");
            assertEquals(1, alice.outboxSize());
            assertEquals(List.of("first", "second"),
                    alice.undelivered("un_bob").stream().map(UndeliveredMessage::text).toList());

            ClientException refused = assertThrows(ClientException.class, () -> alice.resendUndelivered("un_bob"));
            assertEquals(ClientException.Reason.IDENTITY_CHANGED, refused.reason(), "not before the new identity is accepted");
            assertEquals(2, alice.undelivered("un_bob").size());

            alice.verify("un_bob", alice.safetyNumber("un_bob").digits()); // "third" leaves, for the new identity
            copies = new ArrayList<>(List.of(old.get(2)));
            copies.addAll(alice.resendUndelivered("un_bob"));
            assertEquals(3, copies.size());
            assertTrue(copies.subList(1, 3).stream().noneMatch(old::contains), "new messages, new ids");
            assertEquals(List.of(), alice.resendUndelivered("un_bob"), "resent once");
            assertEquals(List.of(), alice.undelivered("un_bob"));
            assertEquals(MessageStatus.UNDELIVERED, alice.status("un_bob", old.get(0)).orElseThrow());
            copies.add(alice.send("un_bob", "after the resend"));
            assertTrue(alice.flush(Duration.ofSeconds(20)));
        }

        var bobEvents = new RecordingListener();
        try (ParleyClient newBob = ParleyClient.open(dir.resolve("bob-new"), bobEvents)) {
            newBob.connect(null);
            List<IncomingMessage> received = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                IncomingMessage message = bobEvents.messages.poll(10, TimeUnit.SECONDS);
                assertNotNull(message, "message " + i);
                received.add(message);
            }
            assertEquals(List.of("third", "first", "second", "after the resend"),
                    received.stream().map(IncomingMessage::text).toList(), "each once, in order, before the next message");
            assertEquals(copies, received.stream().map(IncomingMessage::id).toList());
            assertEquals(List.of(), List.copyOf(bobEvents.undecryptable), "nothing made for the old identity reached the new one");
        }
    }

    @Test
    void anUndecryptableMessageIsReportedAndAcknowledged() throws Exception {
        var events = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), events);
                TestClient mallory = TestClient.registered(server, "ud_mallory")) {
            alice.register(address, "ud_alice");
            JsonNode ack = mallory.sendMessage("ud_alice", "bogus1", "AgAAAA");
            assertEquals("stored", ack.path("type").asText(), ack::toString);
            assertEquals("ud_mallory/bogus1/MALFORMED", events.undecryptable.poll(10, TimeUnit.SECONDS));
        }
        var again = new RecordingListener();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"), again)) {
            alice.connect(null);
            assertNull(again.undecryptable.poll(1, TimeUnit.SECONDS), "acknowledged, so not replayed");
        }
    }

    @Test
    void aLostConnectionIsRestoredAndMessagesKeepFlowing() throws Exception {
        try (Peers peers = new Peers("rc")) {
            peers.bob.send("rc_alice", "before");
            assertEquals("before", peers.aliceEvents.messages.poll(10, TimeUnit.SECONDS).text());

            peers.proxy.dropAll();
            peers.bob.send("rc_alice", "while reconnecting");
            IncomingMessage after = peers.aliceEvents.messages.poll(20, TimeUnit.SECONDS);
            assertNotNull(after, "alice reconnected and received the queued message");
            assertEquals("while reconnecting", after.text());
            String id = peers.alice.send("rc_bob", "back online");
            assertStoredOrLater(peers.alice.status("rc_bob", id).orElseThrow()); // send returned once the server stored it
            assertEquals(List.of(), List.copyOf(peers.aliceEvents.undecryptable));
        }
    }

    @Test
    void aSendWhileTheLinkIsDownIsKeptPendingAndDeliveredOnceAfterReconnect() throws Exception {
        try (Peers peers = new Peers("ob")) {
            String first = peers.alice.send("ob_bob", "first");
            assertEquals("ob_bob/" + first, peers.aliceEvents.sent.poll(10, TimeUnit.SECONDS), "a connected send is reported stored too");
            assertEquals("first", peers.bobEvents.messages.poll(10, TimeUnit.SECONDS).text());

            peers.proxy.takeDown();
            awaitTrue(() -> !peers.alice.isConnected(), "alice noticed the link is down");
            String id = peers.alice.send("ob_bob", "while the link is down");
            assertEquals(MessageStatus.SENDING, peers.alice.status("ob_bob", id).orElseThrow(), "kept, not yet stored");
            assertEquals(1, peers.alice.outboxSize());
            assertNull(peers.bobEvents.messages.poll(1, TimeUnit.SECONDS), "nothing passed while the link was down");

            peers.proxy.restore();
            assertEquals("ob_bob/" + id, peers.aliceEvents.sent.poll(90, TimeUnit.SECONDS), "the listener learns it was stored after reconnect");
            assertStoredOrLater(peers.alice.status("ob_bob", id).orElseThrow());
            IncomingMessage delivered = peers.bobEvents.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(delivered, "bob received the message sent while the link was down");
            assertEquals("while the link is down", delivered.text());
            assertEquals(id, delivered.id());
            assertNull(peers.bobEvents.messages.poll(2, TimeUnit.SECONDS), "delivered exactly once");
            assertNull(peers.aliceEvents.sent.poll(1, TimeUnit.SECONDS), "reported stored once");
            assertEquals(0, peers.alice.outboxSize());
        }
    }

    @Test
    void aFirstMessageWhileDisconnectedWaitsForTheServerAndIsDeliveredOnce() throws Exception {
        try (Peers peers = new Peers("fm")) {
            peers.proxy.takeDown();
            awaitTrue(() -> !peers.alice.isConnected(), "alice noticed the link is down");

            // No session with fm_bob yet (it needs his prekeys from the server), and fm_nobody does not exist.
            String first = peers.alice.send("fm_bob", "hello, first message");
            String second = peers.alice.send("fm_bob", "and a second");
            String lost = peers.alice.send("fm_nobody", "to nobody");
            assertEquals(MessageStatus.SENDING, peers.alice.status("fm_bob", first).orElseThrow());
            assertEquals(3, peers.alice.outboxSize(), "all three are kept");

            peers.proxy.restore();
            assertEquals("fm_nobody/" + lost, peers.aliceEvents.notSent.poll(90, TimeUnit.SECONDS), "an unknown recipient is reported");
            assertEquals("fm_bob/" + first, peers.aliceEvents.sent.poll(30, TimeUnit.SECONDS));
            assertEquals("fm_bob/" + second, peers.aliceEvents.sent.poll(30, TimeUnit.SECONDS));
            IncomingMessage one = peers.bobEvents.messages.poll(30, TimeUnit.SECONDS);
            IncomingMessage two = peers.bobEvents.messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(one);
            assertNotNull(two);
            assertEquals(List.of("hello, first message", "and a second"), List.of(one.text(), two.text()), "in order");
            assertEquals(List.of(first, second), List.of(one.id(), two.id()));
            assertNull(peers.bobEvents.messages.poll(2, TimeUnit.SECONDS), "delivered exactly once");
            assertEquals(List.of(), List.copyOf(peers.bobEvents.undecryptable));
            assertEquals(0, peers.alice.outboxSize());
        }
    }

    /** bob, connected directly, and alice through a proxy that can drop or hold her link: PREFIX_bob and PREFIX_alice, registered. */
    private final class Peers implements AutoCloseable {
        final RecordingListener bobEvents = new RecordingListener();
        final RecordingListener aliceEvents = new RecordingListener();
        final TcpProxy proxy = new TcpProxy(server.port());
        final ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
        final ParleyClient alice = ParleyClient.open(dir.resolve("alice"), aliceEvents);

        Peers(String prefix) throws Exception {
            bob.register(address, prefix + "_bob");
            alice.register(via(proxy), prefix + "_alice");
        }

        @Override
        public void close() throws Exception {
            alice.close();
            bob.close();
            proxy.close();
        }
    }

    /** Registers {@code username} in the home {@code name} and closes it; returns the recovery code. */
    private RecoveryCode registered(String name, String username) throws ClientException {
        try (ParleyClient client = ParleyClient.open(dir.resolve(name))) {
            return client.register(address, username);
        }
    }

    /** The server, reached through {@code proxy} (which can drop or hold the link). */
    private static ServerAddress via(TcpProxy proxy) {
        return new ServerAddress(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), server.origin());
    }

    /** STORED, or a receipt already raised it (DELIVERED, READ). */
    private static void assertStoredOrLater(MessageStatus status) {
        assertTrue(List.of(MessageStatus.STORED, MessageStatus.DELIVERED, MessageStatus.READ).contains(status), status::name);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }
}
