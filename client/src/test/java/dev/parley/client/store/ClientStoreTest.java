package dev.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientException;
import dev.parley.client.Contact;
import dev.parley.client.IncomingMessage;
import dev.parley.client.MessageStatus;
import dev.parley.client.RecoveryCode;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.List;
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
                store.saveSessions("bob", new byte[] {1, 2, 3});
                store.addToOutbox(new ClientStore.OutboxEntry("m1", "bob", "envelope"), 1, BOB);
                throw new IllegalStateException("crash in the middle");
            }));
            assertTrue(store.sessions("bob").isEmpty());
            assertEquals(List.of(), store.outbox());

            store.transaction(() -> {
                store.saveSessions("bob", new byte[] {1, 2, 3});
                store.addToOutbox(new ClientStore.OutboxEntry("m1", "bob", "envelope"), 1, BOB);
                store.saveOutgoing("bob", "m1", "hello", 1);
            });
            assertEquals(List.of(new ClientStore.OutboxEntry("m1", "bob", "envelope")), store.outbox());
            store.raiseStatus("bob", "m1", MessageStatus.READ);
            store.raiseStatus("bob", "m1", MessageStatus.DELIVERED); // never lowered
            assertEquals(MessageStatus.READ, store.outgoingStatus("bob", "m1").orElseThrow());
        }
    }

    @Test
    void aContactsNewIdentityLeavesWhatWasMadeForTheOldOneUndelivered() {
        PublicIdentity newBob = IdentityKeyPair.generate(RANDOM).publicIdentity();
        try (ClientStore store = ClientStore.open(dir)) {
            UndeliveredStore undelivered = store.undelivered();
            store.transaction(() -> {
                for (String id : List.of("stored", "queued", "delivered", "forNew")) {
                    store.saveOutgoing("bob", id, "text " + id, 1);
                    undelivered.encryptedFor("bob", id, id.equals("forNew") ? newBob : BOB);
                }
                store.addToOutbox(new ClientStore.OutboxEntry("queued", "bob", "envelope"), 1, BOB);
                store.addToOutbox(new ClientStore.OutboxEntry("receipt", "bob", "envelope"), 1, BOB);
                store.addToOutbox(new ClientStore.OutboxEntry("forNew", "bob", "envelope"), 1, newBob);
                store.defer(new ClientStore.DeferredText("bob", "kept", "text kept", 2)); // not encrypted yet
            });
            store.raiseStatus("bob", "stored", MessageStatus.SENT);
            store.raiseStatus("bob", "delivered", MessageStatus.DELIVERED);

            assertEquals(List.of("stored", "queued"), undelivered.markUndelivered("bob", newBob));
            assertEquals(List.of(new ClientStore.OutboxEntry("forNew", "bob", "envelope")), store.outbox());
            assertEquals(MessageStatus.PENDING, store.outgoingStatus("bob", "kept").orElseThrow());
            assertEquals(MessageStatus.PENDING, store.outgoingStatus("bob", "forNew").orElseThrow());
            assertEquals(MessageStatus.DELIVERED, store.outgoingStatus("bob", "delivered").orElseThrow());
            store.raiseStatus("bob", "stored", MessageStatus.SENT); // a late stored ack does not lower it
            assertEquals(MessageStatus.UNDELIVERED, store.outgoingStatus("bob", "stored").orElseThrow());
            assertEquals(List.of("stored", "queued"), undelivered.list("bob").stream().map(m -> m.id()).toList());

            assertTrue(undelivered.markResent("bob", "stored", "copy1"));
            assertFalse(undelivered.markResent("bob", "stored", "copy2"), "resent once");
            store.raiseStatus("bob", "queued", MessageStatus.DELIVERED); // the old device had received it after all
            assertEquals(List.of(), undelivered.list("bob"));
        }
    }

    @Test
    void receivedMessagesAreDeduplicatedAndReadOnce() {
        try (ClientStore store = ClientStore.open(dir)) {
            var message = new IncomingMessage("bob", "m1", "hi", 5, 6);
            store.saveIncoming(message);
            store.saveIncoming(message);
            store.markReceived("bob", "w1", 10);
            assertTrue(store.received("bob", "w1"));
            assertFalse(store.received("carol", "w1"));
            assertEquals(List.of(message), store.unread());
            assertTrue(store.markRead("bob", "m1"));
            assertFalse(store.markRead("bob", "m1"));
            assertEquals(List.of(), store.unread());
            store.pruneReceived(11);
            assertFalse(store.received("bob", "w1"));
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
