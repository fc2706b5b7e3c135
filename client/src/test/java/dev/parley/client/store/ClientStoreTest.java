package dev.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientException;
import dev.parley.client.Contact;
import dev.parley.client.IncomingMessage;
import dev.parley.client.MessageStatus;
import dev.parley.client.RecoveryCode;
import dev.parley.client.store.OutboxStore.OutboxEntry;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientStoreTest {

    private static final Randomness RANDOM = Randomness.from(new SecureRandom());
    private static final PublicIdentity BOB = IdentityKeyPair.generate(RANDOM).publicIdentity();

    @TempDir
    Path dir;

    @Test
    void homeIsPrivateAndLockedAgainstASecondUser() throws Exception {
        Path home = dir.resolve("a/home");
        try (HomeLock lock = HomeLock.acquire(home); ClientStore store = ClientStore.open(home)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
            ClientException second = assertThrows(ClientException.class, () -> HomeLock.acquire(home));
            assertEquals(ClientException.Reason.HOME_LOCKED, second.reason());
            assertEquals("another parley process is using " + home + " (wait for it to finish, or use another --home)",
                    second.getMessage());
        }
        HomeLock.acquire(home).close(); // released with the first holder
    }

    @Test
    void accountRoundTripsAndPrintsNoSecret() {
        IdentityKeyPair identity = IdentityKeyPair.generate(RANDOM);
        try (ClientStore store = ClientStore.open(dir)) {
            assertTrue(store.account().isEmpty());
            store.saveAccount("alice", "http://127.0.0.1:5000", identity);
            ClientStore.Account account = store.account().orElseThrow();
            assertEquals(identity.publicIdentity(), account.identity().publicIdentity());
            assertEquals("Account[username=alice, server=http://127.0.0.1:5000]", account.toString());
            assertFalse(store.registered());
            store.setRegistered(true);
            assertTrue(store.registered());
        }
        try (ClientStore reopened = ClientStore.open(dir)) {
            assertEquals(identity.publicIdentity(), reopened.account().orElseThrow().identity().publicIdentity());
        }
    }

    @Test
    void aFailedTransactionLeavesNothing() {
        try (ClientStore store = ClientStore.open(dir)) {
            assertThrows(IllegalStateException.class, () -> store.transaction(() -> {
                store.devices.saveSession("bob", 1, new byte[] {1, 2, 3});
                store.outbox.queue("bob", "m1", new byte[] {4}, 1);
                throw new IllegalStateException("crash in the middle");
            }));
            assertTrue(store.devices.session("bob", 1).isEmpty());
            assertEquals(List.of(), store.outbox.entries());

            store.transaction(() -> {
                store.outbox.queue("bob", "m1", new byte[] {4}, 1);
                store.history.saveOutgoing("bob", "m1", "hello", 1);
            });
            store.transaction(() -> {
                store.devices.saveSession("bob", 2, new byte[] {1, 2, 3});
                store.outbox.sealed("bob", "m1", "content", new byte[32], Map.of(2, "envelope2", 5, "envelope5"), BOB);
            });
            OutboxEntry entry = store.outbox.entries().getFirst();
            assertEquals("m1", entry.id());
            assertEquals(Map.of(2, "envelope2", 5, "envelope5"), entry.envelopes());
            assertEquals("content", entry.content());
            assertEquals(null, entry.payload(), "the sealed form replaced the payload");
            assertFalse(entry.toString().contains("envelope2") || entry.toString().contains("content,"), entry.toString());
            store.outbox.removeEnvelope("bob", "m1", 5);
            store.outbox.addEnvelope("bob", "m1", 7, "envelope7");
            assertEquals(Map.of(2, "envelope2", 7, "envelope7"), store.outbox.entries().getFirst().envelopes());
            assertEquals(MessageStatus.SENDING, store.history.outgoingStatus("bob", "m1").orElseThrow());
            store.history.raiseStatus("bob", "m1", MessageStatus.READ);
            store.history.raiseStatus("bob", "m1", MessageStatus.DELIVERED); // never lowered
            assertEquals(MessageStatus.READ, store.history.outgoingStatus("bob", "m1").orElseThrow());
        }
    }

    @Test
    void aContactsNewIdentityLeavesWhatWasMadeForTheOldOneUndelivered() {
        PublicIdentity newBob = IdentityKeyPair.generate(RANDOM).publicIdentity();
        try (ClientStore store = ClientStore.open(dir)) {
            UndeliveredStore undelivered = store.undelivered;
            store.transaction(() -> {
                for (String id : List.of("stored", "queued", "delivered", "forNew", "kept")) {
                    store.history.saveOutgoing("bob", id, "text " + id, 1);
                }
                for (String id : List.of("stored", "delivered")) {
                    undelivered.encryptedFor("bob", id, BOB);
                }
                for (String id : List.of("queued", "receipt", "forNew", "kept")) {
                    store.outbox.queue("bob", id, new byte[] {1}, 1);
                }
                for (String id : List.of("queued", "receipt", "forNew")) {
                    PublicIdentity made = id.equals("forNew") ? newBob : BOB;
                    store.outbox.sealed("bob", id, "content", new byte[32], Map.of(1, "envelope"), made);
                    undelivered.encryptedFor("bob", id, made);
                }
            }); // "kept" is still its payload: not encrypted yet
            store.history.raiseStatus("bob", "stored", MessageStatus.STORED);
            store.history.raiseStatus("bob", "delivered", MessageStatus.DELIVERED);

            assertEquals(List.of("stored", "queued"), undelivered.markUndelivered("bob", newBob));
            assertEquals(List.of("forNew", "kept"), store.outbox.entries().stream().map(OutboxEntry::id).toList());
            assertEquals(MessageStatus.SENDING, store.history.outgoingStatus("bob", "kept").orElseThrow());
            assertEquals(MessageStatus.SENDING, store.history.outgoingStatus("bob", "forNew").orElseThrow());
            assertEquals(MessageStatus.DELIVERED, store.history.outgoingStatus("bob", "delivered").orElseThrow());
            store.history.raiseStatus("bob", "stored", MessageStatus.STORED); // a late stored ack does not lower it
            assertEquals(MessageStatus.UNDELIVERED, store.history.outgoingStatus("bob", "stored").orElseThrow());
            store.history.raiseStatus("bob", "stored", MessageStatus.FAILED); // nor does a rank-equal state replace it
            assertEquals(MessageStatus.UNDELIVERED, store.history.outgoingStatus("bob", "stored").orElseThrow());
            assertEquals(List.of("stored", "queued"), undelivered.list("bob").stream().map(m -> m.id()).toList());

            assertTrue(undelivered.markResent("bob", "stored", "copy1"));
            assertFalse(undelivered.markResent("bob", "stored", "copy2"), "resent once");
            store.history.raiseStatus("bob", "queued", MessageStatus.DELIVERED); // the old device had received it after all
            assertEquals(List.of(), undelivered.list("bob"));
        }
    }

    @Test
    void receivedMessagesAreDeduplicatedAndReadOnce() {
        try (ClientStore store = ClientStore.open(dir)) {
            var message = new IncomingMessage("bob", "m1", "hi", 5, 6);
            HistoryStore history = store.history;
            history.saveIncoming(message);
            history.saveIncoming(message);
            history.markReceived("bob", "w1", 10);
            assertTrue(history.received("bob", "w1"));
            assertFalse(history.received("carol", "w1"));
            assertEquals(List.of(message), history.unread());
            assertTrue(history.markRead("bob", "m1"));
            assertFalse(history.markRead("bob", "m1"));
            assertEquals(List.of(), history.unread());
            history.pruneReceived(11);
            assertFalse(history.received("bob", "w1"));
        }
    }

    @Test
    void contactsKeepTheirVerifiedIdentity() {
        IdentityKeyPair bob = IdentityKeyPair.generate(RANDOM);
        try (ClientStore store = ClientStore.open(dir)) {
            store.saveContact(new Contact("bob", bob.publicIdentity(), Contact.Trust.VERIFIED));
            Contact stored = store.contact("bob").orElseThrow();
            assertEquals(bob.publicIdentity(), stored.identity());
            assertEquals(Contact.Trust.VERIFIED, stored.trust());
        }
    }

    @Test
    void aStoreFromANewerClientIsRefused() throws Exception {
        try (ClientStore store = ClientStore.open(dir)) {
            assertTrue(store.account().isEmpty());
        }
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ClientStore.FILE_NAME));
                var s = db.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.VERSION + 1));
        }
        StoreException e = assertThrows(StoreException.class, () -> ClientStore.open(dir));
        assertTrue(e.getMessage().contains("newer Parley client"), e.getMessage());
    }

    @Test
    void aHomeOfTheOldSchemaKeepsItsMessagesAndItsWaitingTexts() throws Exception {
        Files.createDirectories(dir);
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ClientStore.FILE_NAME));
                var s = db.createStatement()) {
            Schema.migrate(db, 3); // a home written before the client model
            s.execute("INSERT INTO messages(peer, id, outgoing, text, sent_at, status) VALUES"
                    + " ('bob','p',1,'pending',1,'PENDING'), ('bob','s',1,'sent',2,'SENT'), ('bob','d',1,'deferred',3,'PENDING'),"
                    + " ('bob','r',0,'received',4,'UNREAD')");
            s.execute("INSERT INTO outbox(id, recipient, envelope, created_at) VALUES ('p','bob','AAAA',1)");
            s.execute("INSERT INTO deferred(recipient, id, text, sent_at) VALUES ('bob','d','deferred',3)");
        }
        try (ClientStore store = ClientStore.open(dir)) {
            assertEquals(MessageStatus.SENDING, store.history.outgoingStatus("bob", "p").orElseThrow());
            assertEquals(MessageStatus.STORED, store.history.outgoingStatus("bob", "s").orElseThrow());
            assertEquals(MessageStatus.SENDING, store.history.outgoingStatus("bob", "d").orElseThrow());
            assertEquals(List.of(new IncomingMessage("bob", "r", "received", 4, 0)), store.history.unread());
            List<OutboxEntry> outbox = store.outbox.entries();
            assertEquals(List.of("p", "d"), outbox.stream().map(OutboxEntry::id).toList(), "the deferred text after the outbox");
            assertEquals(Map.of(1, "AAAA"), outbox.get(0).envelopes(), "an envelope is resent as it was, to device 1");
            assertEquals(null, outbox.get(0).content(), "a whole message, not a fan-out");
            assertEquals(new Payload.Text("d", 3, "deferred"), PayloadCodec.decode(outbox.get(1).payload()),
                    "the deferred text waits as its payload");
        }
    }

    @Test
    void aHomeFromBeforeDevicesHasItsSessionsWithDevice1AndNoDeviceYet() throws Exception {
        Files.createDirectories(dir);
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ClientStore.FILE_NAME));
                var s = db.createStatement()) {
            Schema.migrate(db, 4); // a home written before devices existed
            s.execute("INSERT INTO sessions(username, record) VALUES ('bob', x'010203')");
            s.execute("INSERT INTO outbox(id, recipient, envelope, created_at) VALUES ('e','bob','AAAA',1)");
            s.execute("INSERT INTO outbox(id, recipient, payload, created_at) VALUES ('q','bob',x'04',2)");
            s.execute("INSERT INTO messages(peer, id, outgoing, text, sent_at, server_time, status) VALUES"
                    + " ('bob','r',0,'received',4,5,'UNREAD')");
        }
        try (ClientStore store = ClientStore.open(dir)) {
            assertArrayEquals(new byte[] {1, 2, 3}, store.devices.session("bob", 1).orElseThrow());
            assertTrue(store.devices.session("bob", 2).isEmpty());
            List<OutboxEntry> outbox = store.outbox.entries();
            assertEquals(List.of("e", "q"), outbox.stream().map(OutboxEntry::id).toList(), "order kept");
            assertEquals(Map.of(1, "AAAA"), outbox.get(0).envelopes());
            assertArrayEquals(new byte[] {4}, outbox.get(1).payload());
            assertEquals(List.of(new IncomingMessage("bob", "r", "received", 4, 5, 0)), store.history.unread(),
                    "device unknown (0) for what came before devices");
            assertTrue(store.devices.thisDevice().isEmpty(), "the first connect makes this device 1");
            assertTrue(store.devices.deviceKey().isEmpty());
        }
    }

    @Test
    void deviceListsKeepTheLargestIdAndAreForgottenWithTheIdentity() {
        byte[] k1 = new byte[32];
        byte[] k3 = new byte[32];
        k3[0] = 3;
        var v1 = new DeviceList(1, 10, List.of(new DeviceEntry(1, k1, 10)), new byte[64]);
        var v2 = new DeviceList(2, 20, List.of(new DeviceEntry(1, k1, 10), new DeviceEntry(3, k3, 20)), new byte[64]);
        var v3 = new DeviceList(3, 30, List.of(new DeviceEntry(1, k1, 10)), new byte[64]);
        try (ClientStore store = ClientStore.open(dir)) {
            store.saveAccount("alice", "http://127.0.0.1:5000", IdentityKeyPair.generate(RANDOM));
            store.devices.saveList("bob", v1);
            store.devices.saveList("bob", v2);
            store.devices.saveList("bob", v3);
            assertEquals(3, store.devices.list("bob").orElseThrow().version());
            assertEquals(List.of(1), store.devices.list("bob").orElseThrow().devices().stream().map(DeviceEntry::id).toList());
            assertEquals(3, store.devices.largestDeviceId("bob"), "an id once listed is never used again");
            store.devices.saveSession("bob", 1, new byte[] {1});
            store.devices.saveSession("bob", 3, new byte[] {3});
            store.devices.dropSessionsExcept("bob", List.of(1));
            assertTrue(store.devices.session("bob", 3).isEmpty());
            assertTrue(store.devices.session("bob", 1).isPresent());
            store.devices.forgetList("bob");
            assertTrue(store.devices.list("bob").isEmpty());

            store.devices.saveList("alice", v2);
            store.devices.saveName(3, "Laptop");
            store.devices.saveDeviceKey(new byte[32]);
            store.devices.saveThisDevice(3);
            store.saveContact(new Contact("bob", BOB, Contact.Trust.VERIFIED));
            store.devices.saveList("bob", v1);
            store.forgetIdentity();
            assertTrue(store.devices.list("alice").isEmpty(), "the own list goes with the identity");
            assertEquals(Map.of(), store.devices.names());
            assertTrue(store.devices.thisDevice().isEmpty());
            assertTrue(store.devices.deviceKey().isEmpty());
            assertTrue(store.devices.list("bob").isPresent(), "contacts' lists stay");
        }
    }

    @Test
    void transcriptsAreOutgoingAndShownOnceAndReadUpToMarksRead() {
        try (ClientStore store = ClientStore.open(dir)) {
            var sent = new dev.parley.client.SentElsewhere("bob", "t1", "from my laptop", 7, 2);
            store.history.saveTranscript(sent);
            store.history.saveTranscript(sent);
            assertEquals(List.of(sent), store.history.unshownTranscripts());
            assertEquals(MessageStatus.STORED, store.history.outgoingStatus("bob", "t1").orElseThrow());
            store.history.markShown("bob", "t1");
            assertEquals(List.of(), store.history.unshownTranscripts());

            store.history.saveIncoming(new IncomingMessage("bob", "a", "one", 1, 100, 1));
            store.history.saveIncoming(new IncomingMessage("bob", "b", "two", 2, 200, 1));
            assertEquals(1, store.history.markReadUpTo("bob", 150));
            assertEquals(List.of("b"), store.history.unread().stream().map(IncomingMessage::id).toList());
            assertEquals(200L, store.history.latestServerTime("bob", List.of("a", "b")).orElseThrow());
            assertEquals(List.of("a", "b", "t1"), store.history.since(0, 10).stream().map(HistoryStore.Entry::id).toList());
            assertEquals(List.of("b", "t1"), store.history.since(0, 2).stream().map(HistoryStore.Entry::id).toList(),
                    "the newest ones within the limit");
            store.history.importEntry(new HistoryStore.Entry(false, "carol", "c", 3, "old"));
            assertEquals(List.of("b"), store.history.unread().stream().map(IncomingMessage::id).toList(),
                    "history brought at linking is read");
        }
    }

    @Test
    void trustBroughtAtLinkingAppliesToTheSameIdentityOnly() {
        PublicIdentity other = IdentityKeyPair.generate(RANDOM).publicIdentity();
        byte[] bobKey = dev.parley.protocol.codec.Bytes.concat(BOB.signingKey(), BOB.dhKey());
        try (ClientStore store = ClientStore.open(dir)) {
            store.saveLinkedTrust("bob", bobKey, Contact.Trust.VERIFIED);
            assertEquals(java.util.Optional.of(Contact.Trust.VERIFIED), store.linkedTrust("bob", BOB));
            assertTrue(store.linkedTrust("bob", BOB).isEmpty(), "consumed");
            store.saveLinkedTrust("bob", bobKey, Contact.Trust.VERIFIED);
            assertEquals(java.util.Optional.of(Contact.Trust.CHANGED), store.linkedTrust("bob", other),
                    "verified for another identity: a change");
            store.saveLinkedTrust("carol", bobKey, Contact.Trust.UNVERIFIED);
            assertEquals(java.util.Optional.of(Contact.Trust.UNVERIFIED), store.linkedTrust("carol", other));
        }
    }

    @Test
    void recoveryCodesHave160BitsAndCanonicalise() {
        RecoveryCode code = RecoveryCode.generate(new SecureRandom());
        assertEquals(32, code.canonical().length());
        assertTrue(code.display().matches("([0-9A-Z]{4}-){7}[0-9A-Z]{4}"));
        assertEquals(code.canonical(), RecoveryCode.parse(" " + code.display().toLowerCase() + " ").orElseThrow().canonical());
        assertEquals("RecoveryCode[hidden]", code.toString());
        assertTrue(RecoveryCode.parse("too-short").isEmpty());
        assertEquals(RecoveryCode.parse("0000000000000000000000000000000O").orElseThrow().canonical(),
                "00000000000000000000000000000000");
    }
}
